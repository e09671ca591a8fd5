"""The room's accounts: random passwords shown once, stored hashed, a cook each."""

import io
import json
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from rest_framework_simplejwt.exceptions import TokenError

from accounts.models import Role, User
from accounts.services import issue_token_pair, rotate_refresh_token
from teaching.room import database, keys
from teaching.room.accounts import ROOM_GROUP, issue_cards, new_password, room_accounts
from tests.factories import RestaurantFactory

CARD = re.compile(r"Username  (\S+)\s+\|\n\| Password  (\S+)")


@pytest.fixture
def kitchens(db):
    return [
        RestaurantFactory(name="Mario's Pizzeria", slug="marios-pizzeria"),
        RestaurantFactory(name="Sakura Sushi", slug="sakura-sushi"),
    ]


def test_a_password_is_random_readable_and_long():
    passwords = {new_password() for _ in range(200)}
    assert len(passwords) == 200
    for password in passwords:
        assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", password)
        assert not set(password) & set("01ilo")


def test_cards_give_each_attendee_and_each_kitchen_an_account(kitchens):
    cards = issue_cards(attendees=3)
    assert [card.username for card in cards] == [
        "table-001",
        "table-002",
        "table-003",
        "cook-marios-pizzeria",
        "cook-sakura-sushi",
    ]
    assert len({card.password for card in cards}) == 5
    for card in cards:
        user = User.objects.get(username=card.username)
        assert user.check_password(card.password)
        assert card.password not in user.password
        assert user.groups.filter(name=ROOM_GROUP).exists()
    cook = User.objects.get(username="cook-sakura-sushi")
    assert (cook.role, cook.restaurant.slug) == (Role.KITCHEN, "sakura-sushi")
    assert cards[-1].restaurant == "Sakura Sushi"
    assert User.objects.get(username="table-001").role == Role.CUSTOMER
    assert list(room_accounts().values_list("username", flat=True)) == [
        "table-001",
        "table-002",
        "table-003",
        "cook-marios-pizzeria",
        "cook-sakura-sushi",
    ]


def test_new_cards_void_the_old_ones_and_switch_off_extra_attendees(kitchens):
    first = {card.username: card.password for card in issue_cards(attendees=3)}
    table_one = User.objects.get(username="table-001")
    pair = issue_token_pair(user=table_one)

    second = {card.username: card.password for card in issue_cards(attendees=2)}

    assert set(second) == set(first) - {"table-003"}
    for username, password in second.items():
        user = User.objects.get(username=username)
        assert user.check_password(password)
        assert not user.check_password(first[username])
    assert not User.objects.get(username="table-003").is_active
    with pytest.raises(TokenError):
        rotate_refresh_token(raw_token=str(pair.refresh))
    assert User.objects.count() == 5


def test_a_room_size_out_of_bounds_writes_nothing(kitchens):
    for attendees in (0, 501):
        with pytest.raises(ValueError, match="1 to 500"):
            issue_cards(attendees=attendees)
    assert not User.objects.exists()
    assert not Group.objects.exists()


@pytest.fixture
def room_database(db, settings, tmp_path):
    """The room's commands prepare the database themselves; their keys go here."""
    settings.DEV_SECRETS_FILE = tmp_path / "secrets.json"


COOKS = [
    "cook-el-camino-taqueria",
    "cook-green-bowl",
    "cook-le-petit-bistro",
    "cook-marios-pizzeria",
    "cook-sakura-sushi",
    "cook-taj-spice",
]


def test_the_command_prints_cards_whose_passwords_log_in(
    room_database, capsys, api_client
):
    call_command("workshop_accounts", "2", "--address", "http://192.168.1.20:8000")
    out = capsys.readouterr().out
    printed = dict(CARD.findall(out))
    assert list(printed) == ["table-001", "table-002", *COOKS]
    assert out.count("Address   http://192.168.1.20:8000") == 8
    assert "Kitchen   Sakura Sushi" in out
    for username in ("table-002", "cook-taj-spice"):
        answer = api_client.post(
            "/api/auth/token/",
            {"username": username, "password": printed[username]},
            format="json",
        )
        assert answer.status_code == 200


def test_the_command_loads_the_demo_and_leaves_the_instructor_alone(room_database):
    call_command("workshop_accounts", "1", stdout=io.StringIO())
    assert User.objects.get(username="admin").check_password("delivery-demo")
    assert User.objects.filter(username="chef-sakura").exists()


def test_the_room_gives_the_instructor_a_password_of_its_own(room_database, settings):
    database.prepare(keys=keys.room_keys())
    admin = User.objects.get(username="admin")
    assert not admin.check_password("delivery-demo")
    stored = json.loads(settings.DEV_SECRETS_FILE.read_text())
    assert admin.check_password(stored["ROOM_ADMIN_PASSWORD"])
    assert User.objects.get(username="alice").check_password("delivery-demo")


def test_the_command_names_the_room_from_host_and_port(
    room_database, capsys, monkeypatch
):
    monkeypatch.setenv("HOST", "127.0.0.2")
    monkeypatch.setenv("PORT", "9000")
    call_command("workshop_accounts", "1")
    assert "Address   http://127.0.0.2:9000" in capsys.readouterr().out


def test_the_command_refuses_an_empty_room(room_database):
    with pytest.raises(CommandError, match="1 to 500"):
        call_command("workshop_accounts", "0")
    assert not User.objects.exists()
