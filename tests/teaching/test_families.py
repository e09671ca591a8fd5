"""The inspector draws a card's login: born, renewed, current, and how it ended; the
record only for the card's owner or the holder of a valid card."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Login
from accounts.tokens import UntypedToken
from teaching import ticket_rail
from tests.conftest import log_in, past_the_grace_period
from tests.factories import PASSWORD, UserFactory
from tests.tokens import tampered

TOKEN = reverse("accounts:token")
REFRESH = reverse("accounts:token-refresh")
INSPECT = reverse("teaching:inspect")
MINE = reverse("jwt-mine")
DEVICE = "Firefox 133 on Linux"


@pytest.fixture(autouse=True)
def empty_rail():
    ticket_rail.rail().clear()
    yield
    ticket_rail.rail().clear()


def log_in_by_api(user) -> dict:
    """A new login through the front desk, as curl does; its first pair."""
    answer = APIClient().post(
        TOKEN, {"username": user.username, "password": PASSWORD}, format="json"
    )
    assert answer.status_code == 200, answer.content
    pair = answer.json()
    fam = Login.objects.latest("created_at")
    fam.device = DEVICE
    fam.save(update_fields=["device"])
    return pair


def renew(refresh: str) -> dict:
    answer = APIClient().post(REFRESH, {"refresh": refresh}, format="json")
    assert answer.status_code == 200, answer.content
    return answer.json()


def family_of(client, token, **headers) -> dict:
    answer = client.post(INSPECT, {"token": token}, format="json", **headers)
    assert answer.status_code == 200, answer.content
    return answer.json()["family"]


def jti(token: str) -> str:
    return UntypedToken(token, verify=False)["jti"]


def test_a_valid_card_draws_its_logins_birth_renewals_and_current_card(
    api_client, user
):
    first = log_in_by_api(user)
    second = renew(first["refresh"])
    third = renew(second["refresh"])
    family = family_of(api_client, third["refresh"])
    assert family["shown"] is True
    assert family["withheld"] == ""
    assert family["device"] == DEVICE
    assert family["state"] == "open"
    steps = family["steps"]
    assert [step["kind"] for step in steps] == ["born", "renewed", "renewed", "current"]
    assert [step["jti"] for step in steps] == [
        jti(first["refresh"]),
        jti(first["refresh"]),
        jti(second["refresh"]),
        jti(third["refresh"]),
    ]
    assert [step["this_card"] for step in steps] == [False, False, False, True]
    assert "current refresh token" in family["this_card"]
    assert family["id"] == Login.objects.get().family


def test_an_access_card_is_placed_in_its_login(api_client, user):
    first = log_in_by_api(user)
    renewed = renew(first["refresh"])
    family = family_of(api_client, renewed["access"])
    assert family["shown"] is True
    assert [step["kind"] for step in family["steps"]] == ["born", "renewed", "current"]
    assert not any(step["this_card"] for step in family["steps"])
    assert family["this_card"].startswith("An access card of this login")


def test_a_second_tab_within_the_grace_period_is_drawn_as_renewed_again(
    api_client, user
):
    first = log_in_by_api(user)
    renew(first["refresh"])
    again = renew(first["refresh"])
    family = family_of(api_client, again["refresh"])
    kinds = [step["kind"] for step in family["steps"]]
    assert kinds == ["born", "renewed", "renewed again", "current"]


def test_the_owner_sees_the_reuse_that_ended_the_login(client, user):
    """The owner replays a traded-in refresh token (as a thief would): the login
    ends, and their browser, another login, sees the whole story."""
    first = log_in_by_api(user)
    newer = renew(first["refresh"])
    with past_the_grace_period():
        replay = APIClient().post(REFRESH, {"refresh": first["refresh"]})
        assert replay.status_code == 401
        assert APIClient().post(REFRESH, {"refresh": newer["refresh"]}).status_code
        log_in(client, user)
        family = family_of(client, first["refresh"])
        newest = family_of(client, newer["refresh"])
    assert family["shown"] is True
    assert family["state"] == "ended: a traded-in refresh token came back"
    assert [step["kind"] for step in family["steps"]] == ["born", "renewed", "ended"]
    assert all(step["this_card"] for step in family["steps"])
    end = family["steps"][-1]
    assert end["jti"] == jti(first["refresh"])
    assert "the thief's and the owner's" in end["detail"]
    assert newest["steps"] == [{**step, "this_card": False} for step in family["steps"]]
    assert "it ended with it" in newest["this_card"]


def test_the_owner_may_show_another_login_in_the_authorization_header(user):
    first = log_in_by_api(user)
    api_client = APIClient()
    api_client.post(REFRESH, {"refresh": first["refresh"]})
    with past_the_grace_period():
        api_client.post(REFRESH, {"refresh": first["refresh"]})
        other = log_in_by_api(user)
        family = family_of(
            api_client, first["refresh"], HTTP_AUTHORIZATION=f"Bearer {other['access']}"
        )
    assert family["shown"] is True
    assert family["steps"][-1]["kind"] == "ended"


@pytest.mark.parametrize("viewer", ["anonymous", "another person", "a broken header"])
def test_a_stranger_with_a_refused_card_learns_only_what_it_carries(
    client, user, viewer
):
    """A stolen card that is no longer valid proves its family and its birth, and
    nothing of the login's record: neither its device nor its renewals."""
    first = log_in_by_api(user)
    newer = renew(first["refresh"])
    headers = {}
    if viewer == "another person":
        log_in(client, UserFactory())
    elif viewer == "a broken header":
        headers = {"HTTP_AUTHORIZATION": "Bearer not.a.card"}
    later = timezone.now() + settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"]
    with time_machine.travel(later + timedelta(seconds=1)):
        answer = client.post(INSPECT, {"token": newer["access"]}, **headers)
    assert answer.status_code == 200
    family = answer.json()["family"]
    fam = Login.objects.get(user=user)
    assert family == {
        "id": fam.family,
        "born_at": family["born_at"],
        "shown": False,
        "withheld": family["withheld"],
        "device": "",
        "state": "",
        "this_card": "",
        "steps": [],
    }
    assert abs(
        timezone.datetime.fromisoformat(family["born_at"]) - fam.created_at
    ) < timedelta(seconds=1)
    assert family["withheld"].startswith("Only the owner of this card")
    body = answer.content.decode()
    assert DEVICE not in body
    assert jti(first["refresh"]) not in body


def test_a_forged_card_names_no_family(api_client, user):
    first = log_in_by_api(user)
    answer = api_client.post(
        INSPECT, {"token": tampered(first["access"], role="kitchen")}, format="json"
    )
    assert answer.json()["family"] is None


def test_a_login_whose_renewals_left_the_rail_keeps_its_last_one_from_the_record(
    api_client, user
):
    first = log_in_by_api(user)
    second = renew(first["refresh"])
    third = renew(second["refresh"])
    ticket_rail.rail().clear()
    family = family_of(api_client, third["refresh"])
    steps = family["steps"]
    assert [step["kind"] for step in steps] == ["born", "renewed", "current"]
    assert steps[0]["jti"] == ""
    assert steps[1]["jti"] == jti(second["refresh"])
    assert "from the login's record" in steps[1]["detail"]


def test_the_browsers_own_card_draws_its_login(client, user):
    log_in(client, user)
    answer = client.get(MINE)
    family = answer.json()["family"]
    assert family["shown"] is True
    assert [step["kind"] for step in family["steps"]] == ["born", "current"]


def test_drawing_a_valid_cards_login_reads_the_login_once(
    api_client, user, django_assert_num_queries
):
    """The waiter's check spends nothing; the inspector reads the card's login
    (one query) and its account (one), and the rail from the cache."""
    first = log_in_by_api(user)
    with django_assert_num_queries(2):
        family = family_of(api_client, first["access"])
    assert family["shown"] is True
