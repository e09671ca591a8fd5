"""The API's two kinds of pages: numbered for the menu, cursors for the order lists.

Both refuse what they cannot read with a 404 in the API's shape, never a 500.
"""

from base64 import b64encode
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests.factories import RestaurantFactory

RESTAURANTS = reverse("restaurant-list")
ORDERS = reverse("order-list")


# --- page numbers (the menu) ---------------------------------------------------------


def test_numbered_pages_cover_every_row_once(api_client, db):
    made = RestaurantFactory.create_batch(41)
    first = api_client.get(RESTAURANTS).json()
    assert first == api_client.get(RESTAURANTS, {"page": "1"}).json()
    assert first["count"] == 41
    assert first["previous"] is None
    assert first["next"].endswith("?page=2")
    second = api_client.get(RESTAURANTS, {"page": "2"}).json()
    third = api_client.get(RESTAURANTS, {"page": "3"}).json()
    assert third["next"] is None
    seen = [row["slug"] for page in (first, second, third) for row in page["results"]]
    assert sorted(seen) == sorted(restaurant.slug for restaurant in made)
    assert api_client.get(RESTAURANTS, {"page": "4"}).status_code == 404


@pytest.mark.parametrize("page", ["0", "-1", "1.0", "01x", "last", ""])
def test_a_page_that_is_not_a_whole_number_from_1_is_a_404(api_client, db, page):
    RestaurantFactory()
    response = api_client.get(RESTAURANTS, {"page": page})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# --- cursors (the order lists) -------------------------------------------------------


def cursor(**tokens: str) -> str:
    """A cursor as DRF writes one: its tokens, url-encoded, then base64."""
    return b64encode(urlencode(tokens).encode()).decode()


NOT_CURSORS = {
    "not-base64": "not base64!",
    "not-ascii": "%ff",
    "offset-not-a-number": cursor(o="x"),
    "direction-not-a-number": cursor(r="maybe"),
    "position-not-a-moment": cursor(p="yesterday"),
    "position-not-a-date": cursor(p="2026-13-45 25:61:00+00:00"),
    "position-without-time-zone": cursor(p="2026-05-04 12:00:00"),
    "position-thousands-of-digits": cursor(p="1" * 5000),
}


@pytest.mark.parametrize("value", NOT_CURSORS.values(), ids=NOT_CURSORS.keys())
def test_a_cursor_that_is_not_one_is_a_404(auth_client, value):
    response = auth_client.get(ORDERS, {"cursor": value})
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid cursor", "code": "not_found"}


def test_a_cursor_with_a_moment_is_a_page(auth_client):
    response = auth_client.get(ORDERS, {"cursor": cursor(p="2026-05-04 12:00+02:00")})
    assert response.status_code == 200
    assert response.json()["results"] == []
