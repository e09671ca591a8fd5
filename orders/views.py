"""The waiter: every request needs a valid access token before an order moves."""

import re

from django.db.models import prefetch_related_objects
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import (
    APIException,
    AuthenticationFailed,
    NotFound,
    ValidationError,
)
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from api.errors import ErrorSerializer
from api.pagination import NewestFirstPagination
from orders import selectors, services
from orders.exceptions import (
    IdempotencyConflict,
    OrderError,
    TransitionNotAllowed,
    UnknownCustomer,
)
from orders.filters import KitchenBoardFilter
from orders.models import Order
from orders.permissions import IsKitchenStaff
from orders.selectors import RECENT_HOURS
from orders.serializers import (
    AdvanceRequestSerializer,
    KitchenBoardQuerySerializer,
    KitchenOrderSerializer,
    OrderRequestSerializer,
    OrderSerializer,
)
from orders.throttling import PlaceOrderThrottle

IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,64}")

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "pattern": f"^{IDEMPOTENCY_KEY.pattern}$"},
    OpenApiParameter.HEADER,
    description=(
        "Up to 64 printable ASCII characters. Sending the same key again returns "
        "the first order (200) instead of placing a second one; the same key with a "
        "different order is a 409."
    ),
)

# Swagger UI's "Try it out" starts from this body: it places an order in the demo
# data of a fresh database (Mario's Pizzeria's first dishes).
ORDER_EXAMPLE = OpenApiExample(
    "Two pizzas and a garlic bread",
    value={
        "items": [{"menu_item": 1, "quantity": 2}, {"menu_item": 6, "quantity": 1}],
        "delivery_address": "1 Main Street",
        "note": "Ring twice",
    },
    request_only=True,
)


CURSOR_PAGES = (
    "Pages are cursor pages: follow `next` for older orders (and `previous` back) "
    "until `next` is null. There is no `count`, and no page numbers: each page "
    "starts where the last ended, so it costs the same however long the history, "
    "and an order placed meanwhile neither repeats nor hides another."
)

NOT_A_CURSOR = OpenApiResponse(description="A `cursor` that no link of the API gave.")


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the order's current state."
    default_code = "conflict"


def translate(error: OrderError) -> APIException:
    """Turn a domain error into the HTTP answer the API documents."""
    if isinstance(error, TransitionNotAllowed):
        return Conflict(error.message, code="invalid_transition")
    if isinstance(error, IdempotencyConflict):
        return Conflict(error.message, code="idempotency_key_reused")
    if isinstance(error, UnknownCustomer):
        return AuthenticationFailed(error.message, code="no_active_account")
    return ValidationError({error.field: [error.message]})


@extend_schema_view(
    list=extend_schema(
        responses={200: OrderSerializer(many=True), 404: NOT_A_CURSOR},
        summary="Your orders, newest first",
        description="Your own orders, newest first, 20 a page. " + CURSOR_PAGES,
    ),
    retrieve=extend_schema(
        summary="One of your orders",
        description="One of your own orders; anyone else's is a 404.",
    ),
)
class OrderViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """A customer's own orders: list, place, look at one, cancel."""

    permission_classes = [IsAuthenticated]
    serializer_class = OrderSerializer
    pagination_class = NewestFirstPagination

    def get_queryset(self):
        return selectors.customer_orders(customer_id=self.request.user.id)

    def get_throttles(self):
        """Placing orders is limited per customer; reading them is not."""
        return [PlaceOrderThrottle()] if self.action == "create" else []

    @extend_schema(
        request=OrderRequestSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        examples=[ORDER_EXAMPLE],
        responses={
            201: OrderSerializer,
            200: OpenApiResponse(OrderSerializer, description="A replayed order."),
            400: OpenApiResponse(description="Invalid order."),
            401: ErrorSerializer,
            409: ErrorSerializer,
        },
        summary="Place an order (priced by the kitchen, not the client)",
    )
    def create(self, request: Request) -> Response:
        """Place an order: the kitchen prices every dish from the menu, and whatever
        price, total, status or owner the body names is ignored. The same
        ``Idempotency-Key`` again returns the first order instead of a second."""
        key = request.headers.get("Idempotency-Key")
        if key is not None and not IDEMPOTENCY_KEY.fullmatch(key):
            raise ValidationError(
                {"idempotency_key": ["Use 1 to 64 printable ASCII characters."]}
            )
        serializer = OrderRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            placed = services.place_order(
                customer_id=request.user.id,
                lines=[
                    services.OrderLineRequest(
                        menu_item_id=line["menu_item"], quantity=line["quantity"]
                    )
                    for line in data["items"]
                ],
                delivery_address=data["delivery_address"],
                note=data.get("note", ""),
                restaurant_slug=data.get("restaurant"),
                idempotency_key=key,
            )
        except OrderError as exc:
            raise translate(exc) from exc
        order = placed.order
        # The lines just written are read once; a replayed order's restaurant too.
        prefetch_related_objects([order], "restaurant", "items")
        return Response(
            OrderSerializer(order).data,
            status=status.HTTP_201_CREATED if placed.created else status.HTTP_200_OK,
            headers={"Idempotent-Replayed": "false" if placed.created else "true"}
            if key
            else None,
        )

    @extend_schema(
        request=None,
        responses={200: OrderSerializer, 404: ErrorSerializer, 409: ErrorSerializer},
        summary="Cancel one's own order while it is still only placed",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel one of your orders while it is only placed; later it is a 409."""
        order_id = parse_id(pk)
        try:
            services.cancel_order(order_id=order_id, customer_id=request.user.id)
        except Order.DoesNotExist as exc:
            raise NotFound("No such order.") from exc
        except OrderError as exc:
            raise translate(exc) from exc
        return Response(OrderSerializer(self.get_queryset().get(pk=order_id)).data)


@extend_schema_view(
    list=extend_schema(
        parameters=[KitchenBoardQuerySerializer],
        responses={
            200: KitchenOrderSerializer(many=True),
            400: OpenApiResponse(description="An unknown `status` or `show`."),
            404: NOT_A_CURSOR,
        },
        summary="The kitchen's board: the work, or the whole history",
        description=(
            "The orders of the caller's restaurant, newest first, 20 a page. By "
            "default only the work: the orders still to deliver (placed, preparing, "
            "ready, out for delivery), however old, and every order placed in the "
            f"last {RECENT_HOURS} hours, delivered or cancelled ones included; "
            "`?show=all` pages through the whole history. " + CURSOR_PAGES
        ),
    )
)
class KitchenOrderViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The kitchen's board: the orders of the staff member's own restaurant."""

    permission_classes = [IsKitchenStaff]
    serializer_class = KitchenOrderSerializer
    pagination_class = NewestFirstPagination
    filter_backends = [KitchenBoardFilter]

    def get_queryset(self):
        return selectors.kitchen_orders(kitchen_user_id=self.request.user.id)

    @extend_schema(
        request=AdvanceRequestSerializer,
        responses={
            200: KitchenOrderSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
            409: ErrorSerializer,
        },
        summary="Move an order one step: placed → preparing → ready → … → delivered",
    )
    @action(detail=True, methods=["post"])
    def advance(self, request: Request, pk: str | None = None) -> Response:
        """Move an order of your kitchen one step on; past the end, or once
        cancelled, it is a 409. With ``current_status``, only from that status."""
        order_id = parse_id(pk)
        serializer = AdvanceRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.advance_order(
                order_id=order_id,
                kitchen_user_id=request.user.id,
                expected_status=serializer.validated_data.get("current_status"),
            )
        except Order.DoesNotExist as exc:
            raise NotFound("No such order in your kitchen.") from exc
        except OrderError as exc:
            raise translate(exc) from exc
        order = self.get_queryset().get(pk=order_id)
        return Response(KitchenOrderSerializer(order).data)


def parse_id(raw: str | None) -> int:
    """An order id from the URL; anything but a plain positive number is a 404."""
    try:
        value = serializers.IntegerField(
            min_value=1, max_value=2**63 - 1
        ).run_validation(raw)
    except ValidationError as exc:
        raise NotFound("No such order.") from exc
    return value
