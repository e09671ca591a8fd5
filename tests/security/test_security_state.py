"""Login counters and revocation marks are out of reach of anonymous traffic.

Anyone can make the menu render a new answer with a new query. Those answers
must not push out the counters that limit password guesses, nor the marks that
keep revoked tokens refused, nor grow the shared Redis without end.
"""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.services import issue_token_pair
from tests.conftest import throttle_rates
from tests.factories import PASSWORD, RestaurantFactory

TOKEN = reverse("accounts:token")
LOGOUT = reverse("accounts:logout")
ME = reverse("accounts:me")
ITEMS = reverse("menu-item-list")
# More distinct answers than the menu keeps (settings.CACHES["menu"]), and more
# than a local-memory cache holds by default.
FLOOD = 600


def flood_the_menu(client, count: int = FLOOD) -> None:
    """Ask for ``count`` answers the menu has never rendered, as a crawler might."""
    for number in range(count):
        response = client.get(ITEMS, {"search": f"flood-{number}"})
        assert response.status_code == 200


@pytest.fixture
def restaurant(db):
    return RestaurantFactory()


def test_flooding_the_menu_does_not_forget_failed_logins(
    api_client, user, restaurant, settings
):
    # An hour's window: however long the flood takes, the guesses still count.
    throttle_rates(settings, login_username="3/hour")
    wrong = {"username": user.username, "password": "wrong-password"}
    for _ in range(3):
        assert api_client.post(TOKEN, wrong).status_code == 401
    flood_the_menu(api_client)
    right = {"username": user.username, "password": PASSWORD}
    response = api_client.post(TOKEN, right)
    assert response.status_code == 429
    assert "access" not in response.json()


def test_flooding_the_menu_does_not_bring_a_revoked_token_back(
    api_client, user, restaurant, settings
):
    settings.JWT_INSTANT_REVOCATION = True
    pair = issue_token_pair(user=user)
    logout = api_client.post(LOGOUT, {"refresh": str(pair.refresh)}, format="json")
    assert logout.status_code == 205
    flood_the_menu(api_client)
    refused = api_client.get(ME, HTTP_AUTHORIZATION=f"Bearer {pair.access}")
    assert refused.status_code == 401
    assert refused.json()["detail"] == "Token has been revoked"


@pytest.mark.skipif(
    not settings.CACHES["default"]["BACKEND"].startswith("django_redis"),
    reason="counts the keys of the shared Redis (CI's PostgreSQL and Redis pass)",
)
def test_flooding_the_menu_adds_nothing_to_the_shared_redis(api_client, restaurant):
    from django_redis import get_redis_connection

    redis = get_redis_connection("default")
    assert api_client.get(ITEMS).status_code == 200
    before = redis.dbsize()
    flood_the_menu(api_client, count=200)
    assert redis.dbsize() == before
