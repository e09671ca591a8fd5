"""The room's challenges: the labs, and the handout's lessons with what solves each.

A lesson is solved by the token event it is about, as the front desk announces
it (``accounts.signals``) for a card whose signature it verified: the user it
names is who did it. A lesson whose point is that the server cannot tell who you
are (no card at all) has no check, and says so.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from accounts import signals
from lab.models import Lab

Check = Callable[[str, Mapping[str, object]], bool]


def kind_is(*kinds: str) -> Check:
    return lambda kind, about: kind in kinds


@dataclass(frozen=True)
class Lesson:
    """A lesson of docs/workshop.md: its heading's anchor, and what solves it."""

    id: str
    title: str
    anchor: str
    check: Check | None
    hint: str


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        "lesson-3",
        "The front desk issues your card",
        "lesson-3-the-front-desk-issues-your-card",
        kind_is(signals.ISSUED),
        "Log in at the front desk: POST /api/auth/token/ with your name and password.",
    ),
    Lesson(
        "lesson-7",
        "Logging out",
        "lesson-7-logging-out-and-why-revocation-is-hard",
        kind_is(signals.LOGGED_OUT),
        "Hand your refresh token back: POST /api/auth/logout/.",
    ),
)

LABS: tuple[Lab, ...] = tuple(Lab)


def lesson_solved_by(kind: str, about: Mapping[str, object]) -> str | None:
    """The lesson a token event solves, if any."""
    for lesson in LESSONS:
        if lesson.check is not None and lesson.check(kind, about):
            return lesson.id
    return None


@dataclass(frozen=True)
class Challenge:
    """A column of the room's table: a lesson or a lab."""

    id: str
    short: str
    title: str


def challenges() -> list[Challenge]:
    """Every challenge, in the order the room meets them: lessons, then labs."""
    return [
        Challenge(lesson.id, f"L{lesson.id.removeprefix('lesson-')}", lesson.title)
        for lesson in LESSONS
    ] + [
        Challenge(lab.value, f"Lab {number}", lab.label)
        for number, lab in enumerate(LABS, start=1)
    ]
