"""The room's challenges: the handout's lessons with what solves each, and the labs.

A lesson is solved by what the server saw the attendee do: a token event the front
desk announced for a card whose signature it checked (``accounts.signals``), so
the user it names is who did it; an order placed; a lab solved. A lesson whose
point is that the server cannot tell who you are has no check, and says so.

The lessons' titles and anchors are read from docs/workshop.md, so that a ✓ lands
on the heading the room reads.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from markdown.extensions.toc import slugify

from accounts import signals
from accounts.keys import current_key_set
from lab.models import Lab

EventTest = Callable[[str, Mapping[str, object]], bool]
HANDOUT = Path(settings.BASE_DIR) / "docs" / "workshop.md"
LESSON_HEADING = re.compile(r"^## (Lesson (\d+): .+)$", re.MULTILINE)
ORDER_PLACED = "order placed"  # not a token event: the orders app's own (lab.apps)
LAB_SOLVED = "lab solved"  # the labs' own


def logged_in(kind: str, about: Mapping[str, object]) -> bool:
    return kind == signals.ISSUED


def logged_in_with_a_public_key(kind: str, about: Mapping[str, object]) -> bool:
    return kind == signals.ISSUED and current_key_set().is_asymmetric


def expired_card_refused(kind: str, about: Mapping[str, object]) -> bool:
    return kind == signals.REFUSED and str(about.get("reason", "")).startswith(
        "Token is expired"
    )


def logged_out(kind: str, about: Mapping[str, object]) -> bool:
    return kind == signals.LOGGED_OUT


def is_kind(expected: str) -> EventTest:
    return lambda kind, about: kind == expected


def lab_solved(lab: Lab) -> EventTest:
    return lambda kind, about: kind == LAB_SOLVED and about.get("lab") == lab


@dataclass(frozen=True)
class Rule:
    """What solves a lesson: a test on what the server saw, and a hint in words."""

    test: EventTest | None
    hint: str


RULES: dict[int, Rule] = {
    1: Rule(
        None,
        "Nothing to tick: without a card the server cannot tell who read the menu. "
        "That is the lesson.",
    ),
    2: Rule(
        None,
        "Nothing to tick: an order without a card names nobody, so the server "
        "cannot know it was you. That is the lesson.",
    ),
    3: Rule(
        logged_in, "Log in at the front desk: POST /api/auth/token/ with your card."
    ),
    4: Rule(
        is_kind(ORDER_PLACED),
        "Place an order with your access token: POST /api/orders/.",
    ),
    5: Rule(
        is_kind(LAB_SOLVED),
        "A forgery from curl is refused, but nobody can say whose it was. Solve "
        "any attack lab (/lab/): there the real waiter refuses a forgery the "
        "server knows you made.",
    ),
    6: Rule(
        expired_card_refused,
        "Show a card of yours after it expired, e.g. at the 30-second front desk "
        "($SHORT): the refusal names you, since the signature was still good.",
    ),
    7: Rule(
        logged_out,
        "Hand your refresh token back: POST /api/auth/logout/.",
    ),
    8: Rule(
        logged_in_with_a_public_key,
        "Get a card from the front desk that signs with RS256 ($RSA).",
    ),
    9: Rule(
        None,
        "Nothing to tick: a comparison to measure and read, with nothing refused.",
    ),
    10: Rule(
        None,
        "Nothing to tick: the self-check tries every role, with the demo accounts.",
    ),
    11: Rule(
        lab_solved(Lab.WEAK_SECRET),
        "Crack lab 3's card with crack_hs256.py and the wordlist, sign a kitchen "
        "card with the word, and show it to both waiters.",
    ),
    12: Rule(
        is_kind(signals.REUSED),
        "Trade in a refresh token, wait past the 10-second grace period, and "
        "trade the old one in again: POST /api/auth/token/refresh/.",
    ),
}


@dataclass(frozen=True)
class Lesson:
    """A lesson of docs/workshop.md: its heading, its anchor, and what solves it."""

    number: int
    title: str
    anchor: str
    check: EventTest | None
    hint: str

    @property
    def id(self) -> str:
        return f"lesson-{self.number}"


@lru_cache(maxsize=4)
def read_lessons(modified: float) -> tuple[Lesson, ...]:
    """The lessons of the handout as it was at ``modified``."""
    found = []
    for heading, number in LESSON_HEADING.findall(HANDOUT.read_text()):
        rule = RULES.get(int(number), Rule(None, ""))
        anchor = slugify(heading, "-")
        found.append(Lesson(int(number), heading, anchor, rule.test, rule.hint))
    return tuple(found)


def lessons() -> tuple[Lesson, ...]:
    """The handout's lessons, in its order (read again when the file changes)."""
    return read_lessons(HANDOUT.stat().st_mtime)


def checked_lessons() -> tuple[Lesson, ...]:
    return tuple(lesson for lesson in lessons() if lesson.check is not None)


LABS: tuple[Lab, ...] = tuple(Lab)


def lessons_solved_by(kind: str, about: Mapping[str, object]) -> list[str]:
    """The lessons an event solves."""
    return [lesson.id for lesson in checked_lessons() if lesson.check(kind, about)]


@dataclass(frozen=True)
class Challenge:
    """A column of the room's table: a lesson or a lab."""

    id: str
    short: str
    title: str


def challenges() -> list[Challenge]:
    """Every challenge the server can see solved, in the room's order."""
    return [
        Challenge(lesson.id, f"L{lesson.number}", lesson.title)
        for lesson in checked_lessons()
    ] + [
        Challenge(lab.value, f"Lab {number}", lab.label)
        for number, lab in enumerate(LABS, start=1)
    ]
