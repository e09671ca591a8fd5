"""The room between two sessions: back to where it started, in seconds.

Every table is emptied (``flush``) and filled again as ``make workshop`` fills it:
the demo data, with the instructor's password, and the room's accounts with the
passwords on their cards. Orders, registrations, refresh tokens (outstanding and
blacklisted), admin sessions and anything else a session wrote are gone. The
caches are emptied, and the card keys are new: a card of the last session would
otherwise be accepted again (its blacklist entry is gone with the rest), or even
speak for someone else once the ids are given out again.
"""

from dataclasses import dataclass
from io import StringIO

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction
from django_redis.cache import RedisCache
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from accounts.models import User
from menu.demo_data import USERS
from menu.models import Restaurant
from orders.models import Order
from teaching.room import database, keys
from teaching.room.accounts import ROOM_GROUP, room_accounts


@dataclass(frozen=True)
class KeptAccount:
    """A room account as the reset finds it, password hash included."""

    username: str
    password: str
    email: str
    role: str
    restaurant: str | None
    is_active: bool


@dataclass(frozen=True)
class Removed:
    orders: int
    accounts: int
    refresh_tokens: int


def what_a_reset_removes() -> Removed:
    kept = {name for name, *_ in USERS} | set(
        room_accounts().values_list("username", flat=True)
    )
    return Removed(
        orders=Order.objects.count(),
        accounts=User.objects.exclude(username__in=kept).count(),
        refresh_tokens=OutstandingToken.objects.count(),
    )


def _room_accounts() -> list[KeptAccount]:
    return [
        KeptAccount(
            username=user.username,
            password=user.password,
            email=user.email,
            role=user.role,
            restaurant=user.restaurant.slug if user.restaurant else None,
            is_active=user.is_active,
        )
        for user in room_accounts().select_related("restaurant").order_by("pk")
    ]


def _restore(accounts: list[KeptAccount]) -> None:
    """The room accounts again, with their hashes: the printed cards still work."""
    restaurants = {
        restaurant.slug: restaurant for restaurant in Restaurant.objects.all()
    }
    users = User.objects.bulk_create(
        User(
            username=account.username,
            password=account.password,
            email=account.email,
            role=account.role,
            restaurant=restaurants.get(account.restaurant or ""),
            is_active=account.is_active,
        )
        for account in accounts
        if account.restaurant is None or account.restaurant in restaurants
    )
    group = Group.objects.create(name=ROOM_GROUP)
    group.user_set.add(*User.objects.filter(username__in=[u.username for u in users]))


def empty_caches() -> None:
    """Login counts, revocation marks, the ticket rail: this machine's copies.

    A Redis cache loses only the keys of its own prefix; the memory of a running
    server is emptied by its restart, which the new keys bring about.
    """
    for alias in settings.CACHES:
        cache = caches[alias]
        if isinstance(cache, RedisCache):
            cache.delete_pattern("*")
        else:
            cache.clear()


def reset_room() -> Removed:
    """Bring the room back to its starting point; the same answer every time."""
    removed = what_a_reset_removes()
    room_keys = keys.room_keys()
    with transaction.atomic():
        accounts = _room_accounts()
        call_command("flush", interactive=False, verbosity=0)
        call_command("seed_demo", force=True, stdout=StringIO())
        database.secure_instructor(keys=room_keys)
        _restore(accounts)
    empty_caches()
    keys.rotate_card_keys()
    return removed
