"""Bench-only baselines, to set the API's numbers side by side with plain Django.

Each view answers the same question as a real endpoint, minus one thing, so the
difference between the two is the price of that thing:

- ``floor``: a plain Django JSON view, no database, no DRF. No endpoint can be
  faster on the same server; everything else is measured against it.
- ``ten_rows``: a plain Django view that reads ten menu rows. The cached public
  menu is held to this.
- ``OrdersBySession``: the same list, authenticated by a Django database session
  instead of a JWT: the manager is asked on every request.
- ``OrdersByStatefulJWT``: the same list with simplejwt's stock authentication,
  which reads the user from the database on every request.
"""

from django.http import HttpRequest, JsonResponse
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework_simplejwt.authentication import JWTAuthentication

from menu.models import MenuItem
from orders.views import OrderViewSet


def floor(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


def ten_rows(request: HttpRequest) -> JsonResponse:
    rows = MenuItem.objects.order_by("id").values("id", "name", "price")[:10]
    return JsonResponse({"results": list(rows)})


class OrdersBySession(OrderViewSet):
    """The caller's orders, the caller known from a Django session cookie."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]


class OrdersByStatefulJWT(OrderViewSet):
    """The caller's orders, the user of the token read from the database."""

    authentication_classes = [JWTAuthentication]
    permission_classes = [IsAuthenticated]
