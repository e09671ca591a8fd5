"""The browser's wallet: the access and refresh tokens kept in httpOnly cookies.

A script on the page cannot read an httpOnly cookie, so a token kept there cannot be
stolen by injected JavaScript the way a token in ``localStorage`` can. The browser
sends the cookies by itself; the server reads, sets and clears them here, and
nowhere else.
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
    """Put a fresh pair in the browser; each cookie ends when its token does."""
    common = {
        "httponly": True,
        "samesite": "Lax",
        "secure": settings.JWT_COOKIE_SECURE,
    }
    response.set_cookie(
        access_cookie_name(),
        str(pair.access),
        expires=pair.access_expires_at,
        path=settings.JWT_ACCESS_COOKIE_PATH,
        **common,
    )
    response.set_cookie(
        refresh_cookie_name(),
        str(pair.refresh),
        expires=pair.refresh_expires_at,
        path=settings.JWT_REFRESH_COOKIE_PATH,
        **common,
    )


def delete_token_cookies(response: HttpResponse) -> None:
    """Take both tokens out of the browser."""
    response.delete_cookie(
        access_cookie_name(), path=settings.JWT_ACCESS_COOKIE_PATH, samesite="Lax"
    )
    response.delete_cookie(
        refresh_cookie_name(), path=settings.JWT_REFRESH_COOKIE_PATH, samesite="Lax"
    )
