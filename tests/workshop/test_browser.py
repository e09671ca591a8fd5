"""The handout in Chromium: on an attendee's phone, and on the room's projector.

The browser visits the live `make workshop` of tests/workshop/conftest.py.
Screenshots land in test-artifacts/ (workshop-phone*.png, workshop-projector.png).
"""

import pytest
from django.db import connection

from tests.workshop.browser import PHONE, PROJECTOR, save

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(
        connection.vendor != "sqlite",
        reason="the room runs on its own SQLite database; once per CI run is enough",
    ),
]


def test_the_handout_fits_a_phone_with_the_rooms_addresses(open_page, room):
    page = open_page(PHONE)
    page.goto("/workshop/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    setup = page.locator("pre", has_text="export BASE=").inner_text()
    assert f"export BASE={room.url()}" in setup
    assert f"VERIFIER={room.url(5)}" in setup
    assert "ROOM" not in setup
    wide = page.locator("pre", has_text="FORGED=$(python3").first
    assert wide.evaluate("block => block.scrollWidth > block.clientWidth")
    save(page, "phone", full_page=False)
    page.locator("pre", has_text="export BASE=").scroll_into_view_if_needed()
    save(page, "phone-setup", full_page=False)
    page.locator("#lesson-9-jwt-versus-session-cookies").scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    save(page, "phone-lesson-9", full_page=False)


def test_the_projector_shows_one_lesson_at_a_time(open_page):
    page = open_page(PROJECTOR)
    page.goto("/workshop/?projector=1")
    visible = page.locator("section.lesson:visible")
    assert visible.count() == 1
    assert "Workshop: the waiter checks your ID card" in visible.inner_text()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert visible.count() == 1
    assert "Lesson 2: try to order without a card" in visible.inner_text()
    assert (
        float(
            page.locator("section.lesson:visible h2").evaluate(
                "heading => parseFloat(getComputedStyle(heading).fontSize)"
            )
        )
        >= 32
    )
    save(page, "projector", full_page=False)
    page.keyboard.press("ArrowLeft")
    assert "Lesson 1:" in visible.inner_text()
