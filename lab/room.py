"""The room at a glance: every attendee against every challenge, for the instructor."""

from collections import Counter, defaultdict
from dataclasses import asdict
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import Role, User
from lab.catalogue import challenges as all_challenges
from lab.models import Solve
from lab.progress import quiet_since
from teaching.room.accounts import ROOM_GROUP


def attendees() -> QuerySet[User]:
    """The room: its attendee accounts (``make workshop``'s cards), and anyone else
    who solved something; never an instructor or a disabled account."""
    in_room = Exists(
        User.groups.through.objects.filter(
            user_id=OuterRef("pk"), group__name=ROOM_GROUP
        )
    )
    solved = Exists(Solve.objects.filter(attendee_id=OuterRef("pk")))
    return User.objects.filter(
        (in_room & Q(role=Role.CUSTOMER)) | solved, is_active=True, is_staff=False
    ).order_by("username")


def stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def room_at_a_glance() -> dict[str, Any]:
    """Attendees by challenges, the count per challenge, and who has gone quiet.

    Two queries, whatever the size of the room. An attendee is quiet when they
    solved nothing in the last ten minutes (or nothing at all).
    """
    people = list(attendees().values_list("id", "username"))
    solved: dict[int, dict[str, str]] = defaultdict(dict)
    latest: dict[int, datetime] = {}
    per_challenge: Counter[str] = Counter()
    names = dict(people)
    for attendee, challenge, at in Solve.objects.filter(
        attendee_id__in=names
    ).values_list("attendee_id", "challenge", "solved_at"):
        solved[attendee][challenge] = stamp(at)
        per_challenge[challenge] += 1
        latest[attendee] = max(at, latest.get(attendee, at))
    since = quiet_since()
    challenges = all_challenges()
    return {
        "challenges": [asdict(challenge) for challenge in challenges],
        "counts": {
            challenge.id: per_challenge[challenge.id] for challenge in challenges
        },
        "attendees": [
            {
                "username": username,
                "solved": solved[attendee],
                "count": len(solved[attendee]),
                "last_solved_at": stamp(latest[attendee])
                if attendee in latest
                else None,
            }
            for attendee, username in people
        ],
        "quiet": [
            username
            for attendee, username in people
            if attendee not in latest or latest[attendee] < since
        ],
        "quiet_minutes": 10,
    }
