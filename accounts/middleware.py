"""Keep a browser logged in: renew an expired access cookie before the view runs.

The access token lives minutes; the refresh token a day. When a request arrives
with no valid access cookie but with a refresh cookie, the refresh token is traded
at the front desk (rotated: the old one is blacklisted) and the view sees the new
access token as if the browser had sent it. The response carries the new pair
back. An API client that sends an ``Authorization`` header is left alone.

The middleware also tells the site's pages who holds the card:
``request.token_user`` is the ``TokenUser`` of a valid access cookie, or an
anonymous user; it costs no database query.
"""

import logging
from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject
from rest_framework_simplejwt.exceptions import TokenError

from accounts import services
from accounts.cookies import (
    access_cookie_name,
    delete_token_cookies,
    read_access_cookie,
    read_refresh_cookie,
    refresh_cookie_name,
    set_token_cookies,
)
from accounts.exceptions import InactiveAccount
from accounts.revocation import RevocationListUnavailable
from accounts.tokens import TokenUser
from accounts.verification import verify_card

logger = logging.getLogger(__name__)


class CannotCheck(Exception):
    """The card could not be checked just now (e.g. the revocation list is down)."""


def valid_access_user(raw_token: str | None) -> TokenUser | None:
    """The holder of a valid access token, judged by the waiter's ``verify_card``.

    ``None`` for a missing or refused token; ``CannotCheck`` when the check itself
    failed, which is not a reason to renew the token.
    """
    if not raw_token:
        return None
    try:
        return TokenUser(verify_card(raw_token))
    except TokenError:
        return None
    except RevocationListUnavailable as exc:
        raise CannotCheck from exc


def page_user(request: HttpRequest) -> TokenUser | AnonymousUser:
    """Who the site's pages greet: the card holder, or nobody when in doubt."""
    try:
        return valid_access_user(read_access_cookie(request)) or AnonymousUser()
    except CannotCheck:
        return AnonymousUser()


class TokenCookieMiddleware:
    """Renew an expired access cookie with the refresh cookie, and name the holder."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        renewal: services.TokenPair | None = None
        forget = False
        if "HTTP_AUTHORIZATION" not in request.META:
            renewal, forget = self._renew_if_needed(request)
        request.token_user = SimpleLazyObject(lambda: page_user(request))
        response = self.get_response(request)
        if access_cookie_name() in response.cookies:
            return response  # the view logged in or out: its word stands
        if renewal is not None:
            set_token_cookies(response, renewal)
        elif forget:
            delete_token_cookies(response)
        return response

    def _renew_if_needed(
        self, request: HttpRequest
    ) -> tuple[services.TokenPair | None, bool]:
        """Return a new pair when one was needed and given, and whether to forget.

        A refresh token that cannot be traded (expired, blacklisted, of a disabled
        account) is removed from the browser, and this request goes on anonymous.
        """
        raw_refresh = read_refresh_cookie(request)
        if raw_refresh is None:
            return None, False
        try:
            if valid_access_user(read_access_cookie(request)) is not None:
                return None, False
        except CannotCheck:
            return None, False  # the view will say why (e.g. a 503 from the API)
        try:
            pair = services.rotate_refresh_token(raw_token=raw_refresh)
        except RevocationListUnavailable:
            return None, False  # not renewed now; the cookies stay for a retry
        except (TokenError, InactiveAccount) as exc:
            logger.info("access cookie not renewed: %s", exc)
            request.COOKIES.pop(access_cookie_name(), None)
            request.COOKIES.pop(refresh_cookie_name(), None)
            return None, True
        request.COOKIES[access_cookie_name()] = str(pair.access)
        request.COOKIES[refresh_cookie_name()] = str(pair.refresh)
        return pair, False
