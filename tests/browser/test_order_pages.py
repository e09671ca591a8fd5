"""My orders and the kitchen board in Chromium, over a history of orders: the
pages follow the API's cursor pages, newest first."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from menu.models import Restaurant
from orders.models import ACTIVE_STATUSES, FINISHED_STATUSES, Order
from tests.browser.conftest import log_in, screenshot
from tests.orders.conftest import build_history

pytestmark = pytest.mark.browser


def ticket_ids(page, selector: str) -> list[int]:
    """The order ids of the cards or tickets shown, top to bottom."""
    ids = page.locator(selector).evaluate_all("ts => ts.map(t => t.dataset.orderId)")
    return [int(pk) for pk in ids]


def test_my_orders_shows_older_orders_a_page_at_a_time(person):
    alice = User.objects.get(username="alice")
    pizzeria = Restaurant.objects.get(slug="marios-pizzeria")
    history = build_history(pizzeria, [alice], count=45, now=timezone.now())
    newest_first = sorted(history, key=lambda order: order.created_at, reverse=True)
    page = person()
    log_in(page, "alice", "/orders/")
    cards = page.locator("[data-orders] > li")
    older = page.get_by_role("button", name="Show older orders")
    expect(cards).to_have_count(20)
    expect(cards.first).to_have_id(f"order-{newest_first[0].pk}")
    screenshot(page, "orders-first-page")
    older.click()
    expect(cards).to_have_count(40)
    older.click()
    expect(cards).to_have_count(45)
    expect(older).to_be_hidden()
    shown = ticket_ids(page, "[data-orders] > li")
    assert shown == [order.pk for order in newest_first]
    screenshot(page, "orders-older")

    # The kitchen moves the newest order on: the page, still showing 45 orders,
    # hears of it at its next look at the first page.
    Order.objects.filter(pk=newest_first[0].pk).update(status="ready")
    expect(page.locator(f"#order-{newest_first[0].pk} .status")).to_have_text("Ready")
    expect(cards).to_have_count(45)


def test_the_kitchen_board_shows_the_work_not_the_history(person):
    pizzeria = Restaurant.objects.get(slug="marios-pizzeria")
    customers = list(User.objects.filter(username__in=["alice", "bob"]))
    history = build_history(pizzeria, customers, count=450, now=timezone.now())
    newest_first = sorted(history, key=lambda order: order.created_at, reverse=True)
    since = timezone.now() - timedelta(hours=3)
    waiting = [o.pk for o in newest_first if o.status in ACTIVE_STATUSES]
    finished = [
        o.pk
        for o in newest_first
        if o.status in FINISHED_STATUSES and o.created_at >= since
    ]
    page = person()
    log_in(page, "chef", "/kitchen/")
    # Twelve orders of the day and one forgotten since yesterday, in their columns
    # (oldest first); the ten newest finished ones beside them.
    tickets = page.locator('[data-column]:not([data-column="done"]) .ticket')
    expect(tickets).to_have_count(13)
    assert len(waiting) == 13
    for status in ACTIVE_STATUSES:
        column = [o.pk for o in newest_first if o.pk in waiting and o.status == status]
        assert ticket_ids(page, f'[data-column="{status}"] .ticket') == column[::-1]
    assert ticket_ids(page, '[data-column="done"] .ticket') == finished[:10]
    screenshot(page, "kitchen-board-work")
