"""The labs' API: each lab's front desk and broken waiter, and an attendee's material.

Who the attendee is always comes from their real card, as the real API reads it
(the ``Authorization`` header or the site's cookie). The broken waiter is the one
exception: its ``Authorization`` header holds the lab card being tried, so it
knows the attendee by the real card in the site's cookie alone.

None of this is part of the API's contract: it is left out of the OpenAPI schema.
"""

from decimal import Decimal
from typing import Any

from rest_framework import exceptions, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lab import desks, progress
from lab.cards import MAX_CARD_LENGTH, CardRefused, lab_jwk, read_card
from lab.catalogue import lessons
from lab.models import Loot, PublishedKeySet, Review
from lab.serializers import (
    KeySetSerializer,
    LabOrderSerializer,
    LootSerializer,
    ReviewSerializer,
)
from lab.tables import Table, table_from_cookie
from lab.waiters import WAITERS
from menu.models import MenuItem
from orders.serializers import OrderRequestSerializer

REALM = 'Bearer realm="lab"'


class LabCardRefused(exceptions.AuthenticationFailed):
    """The broken waiter refused the card: a 401, as the real waiter's."""


class LabLoginRequired(exceptions.PermissionDenied):
    default_detail = (
        "The lab needs to know whose table this is: log in on this site (from "
        "curl, send your real access token as the delivery_access cookie)."
    )
    default_code = "lab_login_required"


class LabAPIView(APIView):
    """A lab endpoint: outside the API's schema."""

    schema = None


class CardView(LabAPIView):
    """``POST /lab/<lab>/card/``: the lab's front desk hands you its genuine card."""

    def post(self, request: Request, lab: str) -> Response:
        card = desks.issue_card(
            lab,
            attendee_id=request.user.id,
            table=request.user.username,
            jku_base=f"{request.scheme}://{request.get_host()}",
        )
        return Response({"lab": lab, "card": card})


def table_of(request: Request) -> Table:
    table = table_from_cookie(request)
    if table is None:
        raise LabLoginRequired
    return table


def presented_card(request: Request) -> str:
    """The card in ``Authorization: Bearer <card>``."""
    scheme, _, card = request.headers.get("Authorization", "").partition(" ")
    if scheme != "Bearer" or not card:
        raise exceptions.NotAuthenticated(
            "Show the broken waiter a lab card: Authorization: Bearer <card>."
        )
    if len(card) > MAX_CARD_LENGTH or not card.isascii():
        raise LabCardRefused("The card is not three base64url parts of JSON.")
    return card


def priced_lines(
    items: list[dict[str, int]],
) -> tuple[list[dict[str, Any]], Decimal]:
    """The order's lines, priced from the menu, and their total."""
    wanted = {item["menu_item"]: item["quantity"] for item in items}
    dishes = MenuItem.objects.filter(pk__in=wanted, available=True).only(
        "name", "price"
    )
    if len(dishes) != len(wanted):
        raise serializers.ValidationError(
            {"items": ["Every dish must exist and be available."]}
        )
    lines = [
        {
            "menu_item": dish.pk,
            "name": dish.name,
            "quantity": wanted[dish.pk],
            "unit_price": str(dish.price),
        }
        for dish in dishes
    ]
    total = sum((dish.price * wanted[dish.pk] for dish in dishes), Decimal("0.00"))
    return lines, total


class BrokenWaiterView(LabAPIView):
    """``POST /lab/<lab>/orders/``: the broken waiter takes an order on a lab card.

    The request is the one the real waiter takes at ``POST /api/orders/``. A
    kitchen card orders a staff meal, free: that is each lab's goal.
    """

    authentication_classes = []
    permission_classes = [permissions.AllowAny]

    def get_authenticate_header(self, request: Request) -> str:
        return REALM

    def post(self, request: Request, lab: str) -> Response:
        table = table_of(request)
        raw = presented_card(request)
        try:
            card = read_card(raw)
            claims = WAITERS[lab](card, table)
        except CardRefused as exc:
            raise LabCardRefused(exc.detail, exc.code) from exc
        order = OrderRequestSerializer(data=request.data)
        order.is_valid(raise_exception=True)
        lines, total = priced_lines(order.validated_data["items"])
        staff_meal = claims["role"] == "kitchen"
        lab_order = progress.record_lab_order(
            attendee_id=table.attendee_id,
            lab=lab,
            card_fingerprint=card.fingerprint,
            customer=claims["sub"],
            staff_meal=staff_meal,
            lines=lines,
            total=Decimal("0.00") if staff_meal else total,
        )
        return Response(LabOrderSerializer(lab_order).data, status.HTTP_201_CREATED)


class ProgressView(LabAPIView):
    """``GET /lab/progress/``: what the server saw you solve. Yours alone."""

    def get(self, request: Request) -> Response:
        solved = progress.solved_by(request.user.id)
        return Response(
            {
                "solved": {name: at.isoformat() for name, at in solved.items()},
                "lessons": [
                    {
                        "id": lesson.id,
                        "anchor": lesson.anchor,
                        "checked": lesson.check is not None,
                        "hint": lesson.hint,
                    }
                    for lesson in lessons()
                ],
            }
        )


class KeySetView(LabAPIView):
    """``PUT /lab/jku/keys/``: publish your key set at /lab/jku/<you>/jwks.json."""

    def put(self, request: Request) -> Response:
        serializer = KeySetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        PublishedKeySet.objects.update_or_create(
            owner_id=request.user.id, defaults={"jwks": serializer.validated_data}
        )
        return Response(serializer.validated_data)


class PublishedKeySetView(LabAPIView):
    """``GET /lab/jku/[<owner>/]jwks.json``: a key set, as a jku would find it."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]

    def get(self, request: Request, owner: str | None = None) -> Response:
        if owner is None:
            return Response({"keys": [lab_jwk()]})
        published = PublishedKeySet.objects.filter(owner__username=owner).first()
        if published is None:
            raise exceptions.NotFound("Nobody published a key set here.")
        return Response(published.jwks)


class ReviewView(LabAPIView):
    """``GET``/``PUT /lab/stolen-from-storage/review/``: your review for the chef."""

    def get(self, request: Request) -> Response:
        review = Review.objects.filter(author_id=request.user.id).first()
        return Response({"text": review.text if review else ""})

    def put(self, request: Request) -> Response:
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        Review.objects.update_or_create(
            author_id=request.user.id, defaults=serializer.validated_data
        )
        return Response(serializer.validated_data)


class LootView(LabAPIView):
    """``GET /lab/stolen-from-storage/loot/``: what reached your drop box."""

    def get(self, request: Request) -> Response:
        loot = Loot.objects.filter(owner_id=request.user.id).first()
        if loot is None:
            return Response({"card": "", "cookie_names": [], "received_at": None})
        return Response(LootSerializer(loot).data)
