"""The demo data: complete, idempotent, refused in production without --force."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Role, User
from menu.models import Category, MenuItem, Restaurant


def snapshot():
    return (
        sorted(User.objects.values_list("username", "role", "password", "restaurant")),
        sorted(
            Restaurant.objects.values_list("slug", "name", "delivery_fee", "is_open")
        ),
        sorted(Category.objects.values_list("restaurant__slug", "name", "position")),
        sorted(MenuItem.objects.values_list("restaurant__slug", "name", "price")),
    )


@pytest.fixture
def seeded(db, settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    return capsys.readouterr().out


def test_seed_creates_the_documented_demo(seeded):
    assert "Demo data created" in seeded
    for name in ("alice", "bob", "chef", "admin"):
        assert User.objects.get(username=name).check_password("delivery-demo")
    chef = User.objects.get(username="chef")
    assert chef.role == Role.KITCHEN
    assert chef.restaurant.slug == "marios-pizzeria"
    for restaurant in Restaurant.objects.all():
        cooks = restaurant.staff.filter(role=Role.KITCHEN)
        assert cooks.count() == 1, restaurant.slug
        assert cooks.get().check_password("delivery-demo")
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="alice").role == Role.CUSTOMER
    assert Restaurant.objects.count() >= 5
    assert Restaurant.objects.values("cuisine").distinct().count() >= 5
    assert MenuItem.objects.filter(
        restaurant__slug="marios-pizzeria", name="Margherita Pizza"
    ).exists()
    for restaurant in Restaurant.objects.all():
        assert restaurant.items.count() >= 6
        assert restaurant.categories.count() >= 2
    assert MenuItem.objects.filter(available=False).exists()


def test_seed_twice_changes_nothing(seeded, capsys):
    before = snapshot()
    call_command("seed_demo")
    assert "nothing changed" in capsys.readouterr().out
    assert snapshot() == before


def test_seed_keeps_what_a_person_changed(seeded):
    alice = User.objects.get(username="alice")
    alice.set_password("my-own-pass-phrase")
    alice.save()
    call_command("seed_demo")
    alice.refresh_from_db()
    assert alice.check_password("my-own-pass-phrase")


def test_seed_refuses_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not User.objects.exists()
    assert not Restaurant.objects.exists()


def test_seed_with_force_runs_when_debug_is_off(db, settings):
    settings.DEBUG = False
    call_command("seed_demo", force=True)
    assert User.objects.filter(username="alice").exists()
