"""Keep a browser logged in: send a request whose access cookie ran out to be renewed.

The access token lives minutes; the refresh token a day. The refresh cookie goes
only to the account's pages (``/account/``), so when a request comes with an
access cookie that is no longer valid, it is sent to ``/account/renew/`` (a 307
for a form or a script's POST, which the browser repeats with its method and
body). There the refresh token is traded (rotated: the old one is blacklisted),
the new pair set, and the request sent back where it was going, now with a valid
card. A page, a form and a script's ``fetch()`` all follow it without knowing.

Only a request that this site's own pages sent (or the person: an address typed, a
bookmark) is renewed (``accounts.origins``): another site's link or form leaves
the cookies as they are and is served anonymous. An API client that sends an
``Authorization`` header is left alone.

The middleware also tells the site's pages who holds the card:
``request.token_user`` is the ``TokenUser`` of a valid access cookie, or an
anonymous user; it costs no database query.
"""

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from rest_framework_simplejwt.exceptions import TokenError

from accounts.cookies import read_access_cookie
from accounts.origins import from_this_site
from accounts.revocation import RevocationListUnavailable
from accounts.tokens import TokenUser
from accounts.verification import verify_card


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


class TemporaryRedirect(HttpResponseRedirect):
    """A 307: the browser asks again with the same method and body."""

    status_code = 307


def send_on(request: HttpRequest, location: str) -> HttpResponse:
    """A redirect the browser follows with the request's own method and body: a 307
    for a POST, PUT, PATCH or DELETE; for a GET or a HEAD, the usual 302."""
    if request.method in ("GET", "HEAD"):
        response = HttpResponseRedirect(location)
    else:
        response = TemporaryRedirect(location)
    add_never_cache_headers(response)
    return response


def to_renewal(request: HttpRequest) -> HttpResponse:
    """Send the request to ``/account/renew/``, which sends it back renewed."""
    query = urlencode({"next": request.get_full_path()})
    return send_on(request, f"{reverse('renew-page')}?{query}")


class TokenCookieMiddleware:
    """Send a request whose access cookie ran out to be renewed; name the holder."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.card_ran_out(request) and from_this_site(request):
            return to_renewal(request)
        return self.get_response(request)

    def card_ran_out(self, request: HttpRequest) -> bool:
        """Whether the browser holds an access cookie that is no longer valid.

        Sets ``request.token_user`` from the same check, done once.
        """
        raw_token = read_access_cookie(request)
        try:
            holder = valid_access_user(raw_token)
        except CannotCheck:
            # The view says why (a 503 from the API); the pages go on anonymous.
            request.token_user = AnonymousUser()
            return False
        request.token_user = holder or AnonymousUser()
        return (
            holder is None
            and raw_token is not None
            and "HTTP_AUTHORIZATION" not in request.META
            and request.path != reverse("renew-page")
        )
