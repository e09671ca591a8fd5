"""Fixtures of the lab tests: attendees with a real card, a dish to order."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import override_settings
from rest_framework.response import Response
from rest_framework.test import APIClient

from accounts.services import issue_token_pair
from tests.factories import MenuItemFactory, UserFactory


@pytest.fixture(autouse=True)
def _labs_enabled():
    """The suite runs with DEBUG on, which enables the labs; say it anyway."""
    with override_settings(LABS_ENABLED=True):
        yield


@pytest.fixture
def dish(db):
    return MenuItemFactory(price=Decimal("9.50"))


@dataclass
class Attendee:
    """One person in the room, with the real card the front desk gave them.

    Like curl, the client sends the real card in the header to the lab's own
    endpoints, and as the site's cookie with the card being tried.
    """

    user: object
    access: str
    client: APIClient
    dish_id: int

    def card(self, lab: str) -> str:
        answer = self.client.post(
            f"/lab/{lab}/card/", HTTP_AUTHORIZATION=f"Bearer {self.access}"
        )
        assert answer.status_code == 200, answer.content
        return answer.json()["card"]

    def order_body(self) -> dict:
        return {
            "items": [{"menu_item": self.dish_id, "quantity": 1}],
            "delivery_address": "The lab, table 1",
        }

    def show(self, path: str, card: str) -> Response:
        """POST the order to ``path`` with ``card``, the real card in the cookie."""
        self.client.cookies["delivery_access"] = self.access
        return self.client.post(
            path, self.order_body(), format="json", HTTP_AUTHORIZATION=f"Bearer {card}"
        )

    def broken(self, lab: str, card: str) -> Response:
        return self.show(f"/lab/{lab}/orders/", card)

    def real(self, card: str) -> Response:
        return self.show("/api/orders/", card)

    def solved(self) -> set[str]:
        answer = self.client.get(
            "/lab/progress/", HTTP_AUTHORIZATION=f"Bearer {self.access}"
        )
        assert answer.status_code == 200
        return set(answer.json()["solved"])


@pytest.fixture
def attendee_for(dish):
    def make(**fields) -> Attendee:
        user = UserFactory(**fields)
        access = str(issue_token_pair(user=user).access)
        return Attendee(user, access, APIClient(), dish.pk)

    return make


@pytest.fixture
def attendee(attendee_for) -> Attendee:
    return attendee_for()
