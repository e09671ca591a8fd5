"""A room of thirty at once, the reset between two sessions, and the next cards.

Thirty attendees, each with a card from `make workshop-accounts`, run lessons 1 to
8 against one `make workshop` at the same time (a thirty-first runs the whole
handout, tests/workshop/test_handout.py). Then the instructor resets the room and
prints the cards of the next session, eight to an A4 sheet.
"""

import re
import time

import pytest
from django.db import connection

from tests.workshop.browser import ARTIFACTS, LAPTOP, save
from tests.workshop.handout import steps
from tests.workshop.room import ATTENDEES, LOGINS_PER_MINUTE, attend
from tests.workshop.servers import Visitor

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        connection.vendor != "sqlite",
        reason="the room runs on its own SQLite database; once per CI run is enough",
    ),
]

STATUS = re.compile(r"\bstatus=(\d{3})\b")
DEMO_PASSWORD = "delivery-demo"  # the documented password of the demo accounts
DEMO_ACCOUNTS = (
    "alice",
    "bob",
    "chef",
    "chef-sakura",
    "chef-taj",
    "chef-camino",
    "chef-green",
    "chef-bistro",
)


def test_thirty_attendees_get_every_promised_answer_at_once(session):
    at_once = [name for name in session.commands if name != max(session.commands)]
    assert len(at_once) == ATTENDEES
    assert len({session.commands[name] for name in at_once}) == 1
    for name in at_once:
        failures = session.failures[name]
        assert not failures, f"{name}:\n" + "\n\n".join(map(str, failures))


def test_the_room_answered_no_5xx_and_no_429_to_the_session(session):
    statuses = [int(status) for status in STATUS.findall(session.log)]
    assert len(statuses) > ATTENDEES * 20
    assert [status for status in statuses if status >= 500] == []
    assert 429 not in statuses


def wait_for_the_room_to_restart(room, since: int, old_access: str) -> None:
    room.wait_until_ready(since)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        me = Visitor(room.url()).get(
            "/api/auth/me/", headers={"Authorization": f"Bearer {old_access}"}
        )
        if me.status == 401:
            return
        time.sleep(0.3)
    raise AssertionError("a card of the last session still works")


def check_the_starting_point(room) -> None:
    assert room.table_counts() == room.baseline
    accounts = {
        **dict.fromkeys(DEMO_ACCOUNTS, DEMO_PASSWORD),
        **room.cards,
        "admin": room.secrets["ROOM_ADMIN_PASSWORD"],
    }
    for username, password in accounts.items():
        answer = room.log_in(username, password)
        assert answer.status == 200, (username, answer.status, answer.text)
    for offset in range(5):
        assert Visitor(room.url(offset)).get("/healthz").status == 200


def test_a_reset_brings_back_the_exact_starting_point_every_time(room, session):
    assert room.table_counts() != room.baseline  # the session left its traces
    old_access = room.log_in("alice", DEMO_PASSWORD).json()["access"]
    throttled = "table-007"
    for _ in range(LOGINS_PER_MINUTE + 1):
        last = room.log_in(throttled, "a-wrong-password")
    assert last.status == 429

    since = room.log.stat().st_size
    started = time.monotonic()
    out = room.make("workshop-reset", "YES=1")
    took = time.monotonic() - started
    assert "The room is back to its starting point" in out
    wait_for_the_room_to_restart(room, since, old_access)
    check_the_starting_point(room)
    assert took < 60

    since = room.log.stat().st_size
    old_access = room.log_in("bob", DEMO_PASSWORD).json()["access"]
    room.make("workshop-reset", "YES=1")
    wait_for_the_room_to_restart(room, since, old_access)
    check_the_starting_point(room)


@pytest.mark.browser
def test_the_next_session_gets_new_cards_eight_to_a_sheet(open_page, room):
    page = open_page(LAPTOP)
    page.goto("/login/?next=/workshop/cards/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", room.secrets["ROOM_ADMIN_PASSWORD"])
    page.click("main form button[type=submit]")
    page.wait_for_url("**/workshop/cards/")
    attendees = len([name for name in room.cards if name.startswith("table-")])
    page.fill("#id_attendees", str(attendees))
    # Every password is hashed on purpose slowly: a few seconds for the room.
    with page.expect_navigation(timeout=180_000):
        page.click("main form button[type=submit]")
    cards = page.locator(".room-card")
    count = cards.count()
    assert count == len(room.cards)
    printed = {}
    for index in range(count):
        card = cards.nth(index)
        username = card.locator("dd code").nth(1).inner_text()
        printed[username] = card.locator(".room-card-password").inner_text()
        assert card.locator("dd code").first.inner_text() == room.url()
    assert set(printed) == set(room.cards)
    room.cards.update(printed)  # the old cards stopped working: keep the new ones
    save(page, "cards")

    ARTIFACTS.mkdir(exist_ok=True)
    pdf = page.pdf(path=ARTIFACTS / "workshop-cards.pdf", format="A4")
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    assert pages == -(-count // 8)
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    save(page, "cards-print")

    # The next session: an attendee with a new card, lessons 1 to 5.
    plan = [step for step in steps() if (step.lesson_number or 0) <= 5]
    ran, failures = attend(
        room,
        plan,
        username="table-001",
        password=printed["table-001"],
        folder=room.folder / "next-session",
    )
    assert ran > 10
    assert not failures, "\n\n".join(map(str, failures))
