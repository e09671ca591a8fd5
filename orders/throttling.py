"""How often one customer may place orders: nobody overloads the kitchen alone."""

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from accounts.throttling import CountedThrottleMixin


class PlaceOrderThrottle(CountedThrottleMixin, SimpleRateThrottle):
    """Orders placed per customer, from however many devices and tokens.

    The rate is ``ORDER_RATE_PER_USER``; an attempt past it is a 429 with
    ``Retry-After``, counted like the logins in the security cache.
    """

    scope = "place_order"

    def get_cache_key(self, request: Request, view: APIView) -> str:
        return self.cache_format % {"scope": self.scope, "ident": request.user.id}
