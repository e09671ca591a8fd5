"""The reset between two sessions: the starting point again, and void cards."""

import io

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import CommandError, call_command
from rest_framework_simplejwt.token_blacklist.models import (
    BlacklistedToken,
    OutstandingToken,
)

from accounts.models import User
from accounts.services import issue_token_pair, register_customer
from menu.models import MenuItem, Restaurant
from orders.services import OrderLineRequest, place_order
from teaching.room import database, keys
from teaching.room.accounts import issue_cards
from teaching.room.reset import reset_room


@pytest.fixture
def room(transactional_db, settings, tmp_path, monkeypatch):
    """The room as make workshop and the cards leave it; returns the cards."""
    monkeypatch.delenv("JWT_SIGNING_KEY", raising=False)
    settings.DEV_SECRETS_FILE = tmp_path / "secrets.json"
    settings.DEBUG = True  # as make workshop-reset runs
    database.prepare(keys=keys.room_keys())
    return {card.username: card.password for card in issue_cards(attendees=3)}


def counts() -> dict[str, int]:
    return {model._meta.db_table: model.objects.count() for model in apps.get_models()}


def a_session(cards: dict[str, str]) -> None:
    """What a session leaves: orders, registrations, tokens, edits, sessions."""
    attendee = User.objects.get(username="table-001")
    guest = register_customer(username="table-001-guest", password="a-long-pass-1")
    pizza = MenuItem.objects.get(name="Margherita Pizza")
    for customer in (attendee, guest):
        place_order(
            customer_id=customer.pk,
            lines=[OrderLineRequest(menu_item_id=pizza.pk, quantity=2)],
            delivery_address="1 Main St",
        )
    pair = issue_token_pair(user=attendee)
    BlacklistedToken.objects.create(
        token=OutstandingToken.objects.get(jti=pair.refresh["jti"])
    )
    issue_token_pair(user=guest)
    pizza.price = "0.01"
    pizza.save()
    Restaurant.objects.filter(slug="le-petit-bistro").update(name="Renamed")
    alice = User.objects.get(username="alice")
    alice.set_password("changed-by-someone")
    alice.save()
    SessionStore().create()


def test_a_reset_brings_back_every_table_as_it_started(room):
    before = counts()
    a_session(room)
    assert counts() != before

    removed = reset_room()

    assert (removed.orders, removed.accounts) == (2, 1)
    assert removed.refresh_tokens >= 2
    assert counts() == before
    pizza = MenuItem.objects.get(name="Margherita Pizza")
    assert str(pizza.price) == "11.50"
    assert Restaurant.objects.get(slug="le-petit-bistro").name == "Le Petit Bistro"
    assert User.objects.get(username="alice").check_password("delivery-demo")
    for username, password in room.items():
        assert User.objects.get(username=username).check_password(password)
    admin = User.objects.get(username="admin")
    assert admin.check_password(keys.room_keys().admin_password)


def test_a_reset_voids_every_card_and_twice_is_once(room):
    before_keys = keys.room_keys()
    reset_room()
    after_one = counts()
    middle_keys = keys.room_keys()
    reset_room()
    assert counts() == after_one
    assert middle_keys.jwt_signing_key != before_keys.jwt_signing_key
    assert middle_keys.rs256_private_key != before_keys.rs256_private_key
    assert keys.room_keys().jwt_signing_key != middle_keys.jwt_signing_key
    assert keys.room_keys().admin_password == before_keys.admin_password


def test_the_command_asks_first_and_a_no_changes_nothing(room, monkeypatch):
    a_session(room)
    before = counts()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("workshop_reset", stdout=io.StringIO())
    assert counts() == before


def test_the_command_resets_after_a_yes(room, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    a_session(room)
    out = io.StringIO()
    call_command("workshop_reset", stdout=out)
    assert "2 orders, 1 accounts made during the session" in out.getvalue()
    assert "back to its starting point" in out.getvalue()
    assert not User.objects.filter(username="table-001-guest").exists()


def test_the_command_refuses_with_debug_off_unless_forced(room, settings):
    a_session(room)
    before = counts()
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("workshop_reset", "--yes", stdout=io.StringIO())
    assert counts() == before
    call_command("workshop_reset", "--yes", "--force", stdout=io.StringIO())
    assert counts() != before
