"""The instructor's page of cards: staff only, new passwords, never cached."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from teaching.room.accounts import ROOM_GROUP
from tests.conftest import log_in
from tests.factories import RestaurantFactory, UserFactory

PAGE = reverse("workshop-cards-page")
PRINTED = re.compile(
    r"<code>(table-\d+|cook-[a-z-]+)</code></dd>\s*<dt>Password</dt>"
    r'<dd><code class="room-card-password">([a-z2-9-]+)</code>'
)


@pytest.fixture
def kitchen(db):
    return RestaurantFactory(name="Mario's Pizzeria", slug="marios-pizzeria")


@pytest.fixture
def instructor(kitchen, client):
    return log_in(client, UserFactory(username="teacher", is_staff=True))


def room_users():
    return User.objects.filter(groups__name=ROOM_GROUP)


def test_anonymous_visitors_are_sent_to_log_in(kitchen, client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login-page"))


def test_customers_may_neither_see_nor_make_cards(kitchen, client):
    log_in(client, UserFactory())
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"attendees": 3}).status_code == 403
    assert not room_users().exists()


def test_the_form_says_what_making_cards_does(instructor):
    response = instructor.get(PAGE)
    assert response.status_code == 200
    content = response.content.decode()
    assert "new</strong> password" in content
    assert "http://testserver:80" in content
    assert not room_users().exists()


def test_making_cards_prints_passwords_that_work_and_are_never_cached(instructor):
    response = instructor.post(PAGE, {"attendees": 2})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    printed = dict(PRINTED.findall(response.content.decode()))
    assert list(printed) == ["table-001", "table-002", "cook-marios-pizzeria"]
    for username, password in printed.items():
        assert User.objects.get(username=username).check_password(password)
    assert room_users().count() == 3


def test_a_wrong_number_of_attendees_is_a_400_and_writes_nothing(instructor):
    for attendees in ("0", "501", "many", ""):
        response = instructor.post(PAGE, {"attendees": attendees})
        assert response.status_code == 400
        assert b"field-error" in response.content
    assert not room_users().exists()


def test_the_form_needs_the_csrf_token(instructor):
    browser = Client(enforce_csrf_checks=True)
    browser.cookies = instructor.cookies
    assert browser.get(PAGE).status_code == 200
    assert browser.post(PAGE, {"attendees": 2}).status_code == 403
    assert not room_users().exists()


def test_a_page_opened_on_the_loopback_address_points_to_the_room(instructor, settings):
    settings.ALLOWED_HOSTS = ["192.168.1.20", "127.0.0.1", "localhost"]
    response = instructor.get(PAGE, HTTP_HOST="127.0.0.1:8000")
    content = response.content.decode()
    assert "only this machine can reach" in content
    assert 'href="http://192.168.1.20:8000/workshop/cards/"' in content
    elsewhere = instructor.get(PAGE, HTTP_HOST="192.168.1.20:8000")
    assert "only this machine can reach" not in elsewhere.content.decode()
