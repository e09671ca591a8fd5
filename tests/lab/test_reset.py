"""The room's reset (make workshop-reset) forgets the labs too: every attendee's
progress, and the lab's keys, so no lab card of one session works in the next."""

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import issue_token_pair
from lab.models import Lab, LabKey, LabOrder, PublishedKeySet, Solve
from menu.models import MenuItem
from teaching.room import database, keys
from teaching.room.accounts import issue_cards
from teaching.room.reset import reset_room
from tests.lab import forgery
from tests.lab.conftest import Attendee


@pytest.fixture
def room(transactional_db, settings, tmp_path, monkeypatch):
    """The room as make workshop and its cards leave it (as tests/teaching/room)."""
    monkeypatch.delenv("JWT_SIGNING_KEY", raising=False)
    settings.DEV_SECRETS_FILE = tmp_path / "secrets.json"
    settings.DEBUG = True  # as make workshop-reset runs
    database.prepare(keys=keys.room_keys())
    issue_cards(attendees=2)


def seated(username: str, dish: int) -> Attendee:
    user = User.objects.get(username=username)
    return Attendee(user, str(issue_token_pair(user=user).access), APIClient(), dish)


def test_a_reset_forgets_the_labs_and_voids_their_cards(room):
    dish = MenuItem.objects.filter(available=True).first().pk
    attendee = seated("table-001", dish)
    forged = forgery.alg_none(attendee.card(Lab.ALG_NONE))
    attendee.broken(Lab.ALG_NONE, forged)
    attendee.real(forged)
    attendee.client.put(
        "/lab/jku/keys/",
        forgery.key_set(b"mine"),
        format="json",
        HTTP_AUTHORIZATION=f"Bearer {attendee.access}",
    )
    old_card = attendee.card(Lab.EXPIRY_UNCHECKED)
    assert Solve.objects.exists()

    reset_room()

    for model in (Solve, LabOrder, PublishedKeySet, LabKey):
        assert not model.objects.exists(), model
    # The reset made the menu again, under new ids on PostgreSQL.
    again = seated("table-001", MenuItem.objects.filter(available=True).first().pk)
    assert again.solved() == set()
    answer = again.broken(Lab.EXPIRY_UNCHECKED, old_card)
    assert answer.status_code == 401
    assert answer.json()["code"] == "bad_signature"
    # An unsigned card needs no key: lab 2's mistake outlives any reset.
    assert again.broken(Lab.ALG_NONE, forged).status_code == 201
