"""Login throttles: a password may be guessed only so often, per name and address."""

import hashlib

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle
from rest_framework.views import APIView


class CurrentRatesMixin:
    """Read the rates when a request comes, not once at import as DRF does.

    DRF copies ``DEFAULT_THROTTLE_RATES`` into a class attribute at import time, so
    a changed setting (a workshop's configuration, a test) would be ignored.
    """

    @property
    def THROTTLE_RATES(self) -> dict[str, str | None]:
        return api_settings.DEFAULT_THROTTLE_RATES


class ScopedThrottle(CurrentRatesMixin, ScopedRateThrottle):
    """DRF's per-view scoped throttle, with current rates."""


class LoginUsernameThrottle(CurrentRatesMixin, SimpleRateThrottle):
    """Limit login attempts per username, from however many addresses they come."""

    scope = "login_username"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        data = request.data
        username = data.get("username") if hasattr(data, "get") else None
        if not isinstance(username, str) or not username.strip():
            return None
        ident = hashlib.sha256(username.strip().casefold().encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}


class LoginAddressThrottle(CurrentRatesMixin, SimpleRateThrottle):
    """Limit login attempts per client address, whatever usernames they try."""

    scope = "login_address"

    def get_cache_key(self, request: Request, view: APIView) -> str:
        return self.cache_format % {
            "scope": self.scope,
            "ident": self.get_ident(request),
        }
