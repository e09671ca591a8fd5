"""``GET /api/``: the API root, a link to every entry point (DRF's ``api_root``)."""

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

# Each entry point under its route's name; the schema (/api/schema/) has the rest.
ENTRY_POINTS = {
    "register": "accounts:register",
    "token": "accounts:token",
    "token-refresh": "accounts:token-refresh",
    "token-verify": "accounts:token-verify",
    "logout": "accounts:logout",
    "logout-all": "accounts:logout-all",
    "me": "accounts:me",
    "logins": "accounts:login-list",
    "password": "accounts:password",
    "jwks": "accounts:jwks",
    "inspect": "teaching:inspect",
    "restaurants": "restaurant-list",
    "menu-items": "menu-item-list",
    "orders": "order-list",
    "kitchen-orders": "kitchen-order-list",
    "schema": "schema",
    "docs": "docs",
}


@extend_schema(exclude=True)
class APIRootView(APIView):
    """Where a client starts: the API's entry points, as links.

    Public, like the menu: no card is needed, and one that is sent is not read.
    """

    authentication_classes = []
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        return Response(
            {
                name: reverse(route, request=request)
                for name, route in ENTRY_POINTS.items()
            }
        )
