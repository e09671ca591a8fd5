"""The browser's wallet: the access and refresh tokens kept in httpOnly cookies.

A script on the page cannot read an httpOnly cookie, so a token kept there cannot be
stolen by injected JavaScript the way a token in ``localStorage`` can. The browser
sends the cookies by itself; the server reads, sets and clears them here, and
nowhere else.

The access cookie goes with every request; the refresh cookie only to the
account's pages (``JWT_REFRESH_COOKIE_PATH``), where it is traded or ended. Both
cookies last as long as the refresh token: once the access token in its cookie
has run out, the cookie still tells the server that a renewal may be possible
(``accounts.middleware``). An expired token is worth nothing to anyone.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from accounts.services import TokenPair


def access_cookie_name() -> str:
    return settings.JWT_ACCESS_COOKIE_NAME


def refresh_cookie_name() -> str:
    return settings.JWT_REFRESH_COOKIE_NAME


def read_access_cookie(request: HttpRequest) -> str | None:
    return request.COOKIES.get(access_cookie_name()) or None


def read_refresh_cookie(request: HttpRequest) -> str | None:
    return request.COOKIES.get(refresh_cookie_name()) or None


def set_token_cookies(response: HttpResponse, pair: TokenPair) -> None:
    """Put a fresh pair in the browser, until the refresh token expires."""
    common = {
        "expires": pair.refresh_expires_at,
        "httponly": True,
        "samesite": "Lax",
        "secure": settings.JWT_COOKIE_SECURE,
    }
    response.set_cookie(
        access_cookie_name(),
        str(pair.access),
        path=settings.JWT_ACCESS_COOKIE_PATH,
        **common,
    )
    response.set_cookie(
        refresh_cookie_name(),
        str(pair.refresh),
        path=settings.JWT_REFRESH_COOKIE_PATH,
        **common,
    )


def delete_token_cookies(response: HttpResponse) -> None:
    """Take both tokens out of the browser.

    Django marks the deletion ``Secure`` for a prefixed name, as browsers require.
    """
    response.delete_cookie(
        access_cookie_name(), path=settings.JWT_ACCESS_COOKIE_PATH, samesite="Lax"
    )
    response.delete_cookie(
        refresh_cookie_name(), path=settings.JWT_REFRESH_COOKIE_PATH, samesite="Lax"
    )
