"""The admin's user forms: an instructor makes a cook; a bad choice is a form error."""

import pytest
from django.urls import reverse

from accounts.models import Role, User
from tests.factories import KitchenUserFactory, RestaurantFactory, UserFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:accounts_user_add")


def change_url(user: User) -> str:
    return reverse("admin:accounts_user_change", args=[user.pk])


@pytest.fixture
def instructor(client):
    """A superuser logged in to the admin (the admin keeps Django's session)."""
    admin = UserFactory(username="instructor", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def change_form(user: User, **changes) -> dict:
    """What the admin's change form posts for ``user``, with ``changes`` applied."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "role": user.role,
        "restaurant": user.restaurant_id or "",
    }
    data.update(changes)
    return data


def test_the_change_form_offers_the_restaurant(instructor):
    alice = UserFactory()
    page = instructor.get(change_url(alice))
    assert page.status_code == 200
    assert 'name="restaurant"' in page.content.decode()


def test_an_instructor_makes_a_cook_with_a_restaurant(instructor):
    alice = UserFactory()
    kitchen = RestaurantFactory()
    answer = instructor.post(
        change_url(alice), change_form(alice, role=Role.KITCHEN, restaurant=kitchen.pk)
    )
    assert answer.status_code == 302
    alice.refresh_from_db()
    assert alice.role == Role.KITCHEN
    assert alice.restaurant == kitchen


def test_a_cook_without_a_restaurant_is_a_form_error_not_a_500(instructor):
    alice = UserFactory()
    answer = instructor.post(change_url(alice), change_form(alice, role=Role.KITCHEN))
    assert answer.status_code == 200
    form = answer.context["adminform"].form
    assert form.errors == {"restaurant": ["Kitchen staff need a restaurant."]}
    alice.refresh_from_db()
    assert alice.role == Role.CUSTOMER
    assert alice.restaurant is None


def test_a_customer_with_a_restaurant_is_a_form_error(instructor):
    cook = KitchenUserFactory()
    answer = instructor.post(change_url(cook), change_form(cook, role=Role.CUSTOMER))
    assert answer.status_code == 200
    form = answer.context["adminform"].form
    assert form.errors == {
        "restaurant": ["Customers have no restaurant: leave it empty."]
    }
    cook.refresh_from_db()
    assert cook.role == Role.KITCHEN


def test_a_cook_back_to_customer_leaves_the_kitchen(instructor):
    cook = KitchenUserFactory()
    answer = instructor.post(
        change_url(cook), change_form(cook, role=Role.CUSTOMER, restaurant="")
    )
    assert answer.status_code == 302
    cook.refresh_from_db()
    assert cook.role == Role.CUSTOMER
    assert cook.restaurant is None


def test_an_instructor_adds_a_cook(instructor):
    kitchen = RestaurantFactory()
    body = {
        "username": "newcook",
        "usable_password": "true",
        "password1": "a-long-kitchen-phrase",
        "password2": "a-long-kitchen-phrase",
        "role": Role.KITCHEN,
        "restaurant": kitchen.pk,
    }
    answer = instructor.post(ADD, body)
    assert answer.status_code == 302
    cook = User.objects.get(username="newcook")
    assert (cook.role, cook.restaurant) == (Role.KITCHEN, kitchen)


def test_adding_a_cook_without_a_restaurant_is_a_form_error(instructor):
    body = {
        "username": "newcook",
        "usable_password": "true",
        "password1": "a-long-kitchen-phrase",
        "password2": "a-long-kitchen-phrase",
        "role": Role.KITCHEN,
    }
    answer = instructor.post(ADD, body)
    assert answer.status_code == 200
    form = answer.context["adminform"].form
    assert form.errors == {"restaurant": ["Kitchen staff need a restaurant."]}
    assert not User.objects.filter(username="newcook").exists()
