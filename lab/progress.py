"""Solved, as the server saw it: each attendee's labs and lessons.

A lab is solved when the broken waiter served a staff meal on a forged card at
the attendee's table, and the real waiter then refused the very same card for
the very same request (``POST /api/orders/``): the front desk announces each
refusal with the card's fingerprint (``accounts.signals``), and the lab
recognises the cards its broken waiter took. A lesson is solved by what it is
about (``lab.catalogue``): a token event, an order placed, a lab solved. Nothing
else marks a challenge solved: no endpoint takes a verdict.

Each relevant request costs at most one write: the lab order, or the solve.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from accounts import signals
from accounts.models import User
from lab.catalogue import LAB_SOLVED, ORDER_PLACED, lessons_solved_by
from lab.models import LabOrder, Solve
from orders.models import Order

# The real request a broken waiter's order mirrors.
REAL_ORDER_REQUEST = "POST /api/orders/"
QUIET_AFTER = timedelta(minutes=10)


def record_lab_order(
    *,
    attendee_id: int,
    lab: str,
    card_fingerprint: str,
    customer: str,
    staff_meal: bool,
    lines: list[dict[str, Any]],
    total: Decimal,
) -> LabOrder:
    """The broken waiter's order, kept with the fingerprint of the card it took."""
    return LabOrder.objects.create(
        attendee_id=attendee_id,
        lab=lab,
        card_fingerprint=card_fingerprint,
        customer=customer,
        staff_meal=staff_meal,
        lines=lines,
        total=total,
    )


def mark_solved(pairs: Iterable[tuple[int, str]]) -> None:
    """Note challenges as solved, once each: one statement, or none for nothing."""
    pairs = list(pairs)
    if not pairs:
        return
    Solve.objects.bulk_create(
        [Solve(attendee_id=attendee, challenge=name) for attendee, name in pairs],
        ignore_conflicts=True,
    )


def real_waiter_refused(*, fingerprint: str, path: str) -> None:
    """The real waiter refused a card: if the broken waiter served a staff meal on
    it for the same request, that lab is solved for the table it was forged at."""
    if path != REAL_ORDER_REQUEST or not fingerprint:
        return
    exploits = set(
        LabOrder.objects.filter(
            card_fingerprint=fingerprint, staff_meal=True
        ).values_list("attendee_id", "lab")
    )
    mark_solved(
        exploits
        | {
            (attendee, lesson)
            for attendee, lab in exploits
            for lesson in lessons_solved_by(LAB_SOLVED, {"lab": lab})
        }
    )


def on_token_event(*, kind: str, signal: object, sender: object, **about) -> None:
    """Receiver of ``accounts.signals.token_event``: what the real front desk and
    waiter just did, for the labs and for the lessons. Nothing while the labs are
    off."""
    if not settings.LABS_ENABLED:
        return
    if kind == signals.REFUSED:
        real_waiter_refused(
            fingerprint=str(about.get("fingerprint") or ""),
            path=str(about.get("path") or ""),
        )
    user_id = about.get("user_id")
    lessons = lessons_solved_by(kind, about) if isinstance(user_id, int) else []
    # A card outlives its account (an expired card of a deleted user is still
    # refused by name): only an account that is still there is credited.
    if lessons and User.objects.filter(pk=user_id, is_active=True).exists():
        mark_solved([(user_id, lesson) for lesson in lessons])


def on_order_placed(*, instance: Order, created: bool, **kwargs: object) -> None:
    """Receiver of ``post_save`` for a real order: lesson 4, an order with a card."""
    if created and settings.LABS_ENABLED:
        lessons = lessons_solved_by(ORDER_PLACED, {})
        mark_solved([(instance.customer_id, lesson) for lesson in lessons])


def solved_by(attendee_id: int) -> dict[str, datetime]:
    """The challenges one attendee solved, and when."""
    return dict(
        Solve.objects.filter(attendee_id=attendee_id).values_list(
            "challenge", "solved_at"
        )
    )


def quiet_since() -> datetime:
    """Attendees with no solve after this moment count as stuck on the room page."""
    return timezone.now() - QUIET_AFTER
