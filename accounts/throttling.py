"""Request rates: how often a password may be guessed, per name and per address.

The counters live in the "security" cache (``settings.CACHES``), apart from
anything anonymous clients can create at will, such as the menu's cached answers:
flooding the site cannot push a counter out and buy fresh guesses. When that
cache does not answer, the attempt is refused with a 503 rather than let through
uncounted.
"""

import hashlib

from django.core.cache import BaseCache, caches
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle
from rest_framework.views import APIView


class ThrottleUnavailable(APIException):
    """The attempts cannot be counted just now, so none is allowed."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Attempts cannot be counted right now; try again shortly."
    default_code = "throttle_unavailable"


class CountedThrottleMixin:
    """Count in the security cache, with the rates of the moment; fail closed.

    DRF copies ``DEFAULT_THROTTLE_RATES`` into a class attribute at import time, so
    a changed setting (a workshop's configuration, a test) would be ignored: the
    rates are read when a request comes instead.
    """

    @property
    def cache(self) -> BaseCache:
        return caches["security"]

    @property
    def THROTTLE_RATES(self) -> dict[str, str | None]:
        return api_settings.DEFAULT_THROTTLE_RATES

    def allow_request(self, request: Request, view: APIView) -> bool:
        try:
            return super().allow_request(request, view)
        except (ConnectionInterrupted, RedisError, OSError) as exc:
            raise ThrottleUnavailable from exc


class ScopedThrottle(CountedThrottleMixin, ScopedRateThrottle):
    """DRF's per-view scoped throttle, counted in the security cache."""


class LoginUsernameThrottle(CountedThrottleMixin, SimpleRateThrottle):
    """Limit login attempts per username, from however many addresses they come."""

    scope = "login_username"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        username = self.username(request)
        if not isinstance(username, str) or not username.strip():
            return None
        ident = hashlib.sha256(username.strip().casefold().encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def username(self, request: Request) -> object:
        """The username the attempt is for, as the body names it."""
        data = request.data
        return data.get("username") if hasattr(data, "get") else None


class PasswordUsernameThrottle(LoginUsernameThrottle):
    """Count a password change in the login's bucket of the caller's username.

    A password change checks the old password, so it is a guess like a login: a
    stolen access token must not buy more guesses than the login page gives.
    """

    def username(self, request: Request) -> object:
        return request.user.get_username()


class LoginAddressThrottle(CountedThrottleMixin, SimpleRateThrottle):
    """Limit login attempts per client address, whatever usernames they try."""

    scope = "login_address"

    def get_cache_key(self, request: Request, view: APIView) -> str:
        return self.cache_format % {
            "scope": self.scope,
            "ident": self.get_ident(request),
        }
