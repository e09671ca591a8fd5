"""The handout's lessons, ticked off by what the server saw each attendee do."""

import re
from datetime import timedelta

import pytest
import time_machine
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse
from django.utils import timezone

from accounts.services import issue_token_pair
from lab.catalogue import HANDOUT, RULES, lessons
from lab.models import Solve
from tests.conftest import past_the_grace_period
from tests.factories import PASSWORD
from tests.lab import forgery
from tests.tokens import resigned

ME = reverse("accounts:me")


def solved(user) -> set[str]:
    return set(Solve.objects.filter(attendee=user).values_list("challenge", flat=True))


def test_every_lesson_of_the_handout_has_its_rule():
    numbers = [
        int(n) for n in re.findall(r"^## Lesson (\d+):", HANDOUT.read_text(), re.M)
    ]
    assert numbers == sorted(RULES)
    assert [lesson.number for lesson in lessons()] == numbers
    for lesson in lessons():
        assert lesson.hint
        assert lesson.anchor.startswith(f"lesson-{lesson.number}-")


def test_the_workshop_page_has_every_anchor(client, db):
    page = client.get(reverse("workshop-page")).content.decode()
    for lesson in lessons():
        assert f'id="{lesson.anchor}"' in page


def test_logging_in_is_lesson_3(api_client, user):
    body = {"username": user.username, "password": PASSWORD}
    assert api_client.post(reverse("accounts:token"), body).status_code == 200
    assert solved(user) == {"lesson-3"}


def test_a_wrong_password_is_no_lesson(api_client, user):
    body = {"username": user.username, "password": "not-the-password"}
    assert api_client.post(reverse("accounts:token"), body).status_code == 401
    assert solved(user) == set()


def test_ordering_with_a_card_is_lesson_4(auth_client, user, dish):
    body = {"items": [{"menu_item": dish.pk, "quantity": 1}], "delivery_address": "1"}
    assert auth_client.post("/api/orders/", body, format="json").status_code == 201
    assert solved(user) == {"lesson-4"}


def test_your_expired_card_refused_is_lesson_6(api_client, user):
    access = issue_token_pair(user=user).access
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        answer = api_client.get(ME, HTTP_AUTHORIZATION=f"Bearer {access}")
    assert answer.status_code == 401
    assert answer.json()["detail"] == "Token is expired"
    assert solved(user) == {"lesson-6"}


def test_an_expired_forgery_names_nobody(api_client, user, attendee_for):
    """A card signed with another key, naming someone and long expired: the
    refusal is for expiry or signature, and it ticks nobody's lesson off."""
    victim = attendee_for()
    access = issue_token_pair(user=victim.user).access
    forged = resigned(access, key="not the server's key, but long enough to sign")
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        assert (
            api_client.get(ME, HTTP_AUTHORIZATION=f"Bearer {forged}").status_code == 401
        )
    assert not Solve.objects.exists()


def test_logging_out_is_lesson_7(api_client, user):
    refresh = str(issue_token_pair(user=user).refresh)
    answer = api_client.post(reverse("accounts:logout"), {"refresh": refresh})
    assert answer.status_code == 205
    assert solved(user) == {"lesson-7"}


def test_replaying_a_traded_in_refresh_token_is_lesson_12(api_client, user):
    """The front desk saw the same refresh token twice, past the grace period:
    the login is over, and the lesson is solved for the card's owner."""
    refresh = str(issue_token_pair(user=user).refresh)
    refresh_url = reverse("accounts:token-refresh")
    assert api_client.post(refresh_url, {"refresh": refresh}).status_code == 200
    assert solved(user) == set()
    with past_the_grace_period():
        assert api_client.post(refresh_url, {"refresh": refresh}).status_code == 401
    assert solved(user) == {"lesson-12"}


def test_a_second_tab_within_the_grace_period_is_no_lesson(api_client, user):
    refresh = str(issue_token_pair(user=user).refresh)
    refresh_url = reverse("accounts:token-refresh")
    for _ in range(2):
        assert api_client.post(refresh_url, {"refresh": refresh}).status_code == 200
    assert solved(user) == set()


def test_a_card_from_the_rs256_front_desk_is_lesson_8(api_client, user, settings):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    settings.SIMPLE_JWT = {
        **settings.SIMPLE_JWT,
        "ALGORITHM": "RS256",
        "SIGNING_KEY": key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode(),
    }
    body = {"username": user.username, "password": PASSWORD}
    assert api_client.post(reverse("accounts:token"), body).status_code == 200
    assert solved(user) == {"lesson-3", "lesson-8"}


def test_solving_a_lab_is_lesson_5(attendee):
    forged = forgery.alg_none(attendee.card("alg-none"))
    attendee.broken("alg-none", forged)
    attendee.real(forged)
    assert solved(attendee.user) == {"alg-none", "lesson-5"}


@pytest.mark.parametrize("number", [1, 2, 9, 10])
def test_a_lesson_the_server_cannot_see_says_why(number):
    (lesson,) = [lesson for lesson in lessons() if lesson.number == number]
    assert lesson.check is None
    assert lesson.hint.startswith("Nothing to tick")


def test_the_progress_lists_the_lessons_with_their_hints(attendee):
    answer = attendee.client.get(
        "/lab/progress/", HTTP_AUTHORIZATION=f"Bearer {attendee.access}"
    ).json()
    assert [lesson["id"] for lesson in answer["lessons"]] == [
        lesson.id for lesson in lessons()
    ]
    assert answer["lessons"][2] == {
        "id": "lesson-3",
        "anchor": lessons()[2].anchor,
        "checked": True,
        "hint": lessons()[2].hint,
    }


def test_an_expired_card_of_a_deleted_account_credits_nobody(api_client, user):
    access = issue_token_pair(user=user).access
    user.delete()
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        answer = api_client.get(ME, HTTP_AUTHORIZATION=f"Bearer {access}")
    assert answer.status_code == 401
    assert not Solve.objects.exists()
