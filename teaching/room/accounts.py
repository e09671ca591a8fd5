"""The room's accounts: one per attendee and one cook per kitchen, each on a card.

A card holds a username and a random password, shown once (on the card) and
stored only as a hash. Making the cards again gives every room account a new
password, so the cards printed before stop working. The accounts belong to the
group ``ROOM_GROUP``, which is how the reset knows to keep them.
"""

import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import QuerySet

from accounts.models import Role, User
from menu.models import Restaurant

ROOM_GROUP = "Workshop room"
ATTENDEE_PREFIX = "table-"
COOK_PREFIX = "cook-"
MAX_ATTENDEES = 500
# No 0/o, 1/l/i: a password copied from paper is typed right the first time.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105 - not a password


@dataclass(frozen=True)
class Card:
    """What one person is handed: who they are in the room, and their password."""

    username: str
    password: str
    role: str
    restaurant: str = ""


def new_password() -> str:
    """Twelve random characters (about 59 bits) in three groups: ``k7pm-x3ra-9wtn``."""
    characters = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(12))
    return "-".join(characters[start : start + 4] for start in (0, 4, 8))


def attendee_username(number: int) -> str:
    return f"{ATTENDEE_PREFIX}{number:03d}"


def cook_username(restaurant: Restaurant) -> str:
    return f"{COOK_PREFIX}{restaurant.slug}"


def room_accounts() -> QuerySet[User]:
    """Every account made for the room, attendees first."""
    return User.objects.filter(groups__name=ROOM_GROUP).order_by("role", "username")


def _hash_passwords(users_and_passwords: list[tuple[User, str]]) -> None:
    """Hash the passwords side by side: each hash takes a fifth of a second."""

    def hash_one(pair: tuple[User, str]) -> None:
        user, password = pair
        user.set_password(password)

    with ThreadPoolExecutor() as pool:
        list(pool.map(hash_one, users_and_passwords))


def issue_cards(*, attendees: int) -> list[Card]:
    """Give ``attendees`` attendee accounts and a cook for each kitchen new cards.

    Accounts are made when missing and given a new password when present; room
    attendees numbered beyond ``attendees`` are switched off, so that no card of an
    earlier, larger room still works. The passwords are hashed before the
    transaction begins, so the room's other writers never wait for them.
    """
    if not 1 <= attendees <= MAX_ATTENDEES:
        raise ValueError(f"A room has 1 to {MAX_ATTENDEES} attendees.")
    wanted: list[tuple[str, str, Restaurant | None]] = [
        (attendee_username(number), Role.CUSTOMER, None)
        for number in range(1, attendees + 1)
    ] + [
        (cook_username(restaurant), Role.KITCHEN, restaurant)
        for restaurant in Restaurant.objects.order_by("name")
    ]
    existing = {
        user.username: user
        for user in User.objects.filter(username__in=[name for name, *_ in wanted])
    }
    pairs: list[tuple[User, str]] = []
    for username, role, restaurant in wanted:
        user = existing.get(username) or User(username=username)
        user.role, user.restaurant, user.is_active = role, restaurant, True
        pairs.append((user, new_password()))
    _hash_passwords(pairs)
    with transaction.atomic():
        for user, _ in pairs:
            user.save()
        group, _ = Group.objects.get_or_create(name=ROOM_GROUP)
        group.user_set.add(*(user for user, _ in pairs))
        for user in group.user_set.filter(
            username__startswith=ATTENDEE_PREFIX, is_active=True
        ).exclude(pk__in=[user.pk for user, _ in pairs]):
            user.is_active = False
            user.save()
    return [
        Card(
            username=user.username,
            password=password,
            role=user.role,
            restaurant=user.restaurant.name if user.restaurant else "",
        )
        for user, password in pairs
    ]
