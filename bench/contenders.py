"""Who authenticates a request in the card scenario, and how each one does it.

Every contender turns one prepared Django request into ``request.user``, the way
DRF does it in a view: a ``rest_framework.request.Request`` wrapping the Django
request, with one new instance of each authentication class (DRF makes them anew
for every request), and ``request.user`` read. Only the floor does less: PyJWT's
own ``jwt.decode`` of the card, the least any JWT check can cost.

The stock simplejwt peers use simplejwt's own token and user classes, its
defaults. simplejwt reads its settings once per process, and this project's
``SIMPLE_JWT`` names its own token classes (``accounts.tokens``), so the two
methods of simplejwt's classes that read those two settings are restated below
with the defaults in their place; everything else is simplejwt's code.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwt
from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework_simplejwt import authentication as simplejwt
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.models import TokenUser
from rest_framework_simplejwt.settings import api_settings as simplejwt_settings
from rest_framework_simplejwt.tokens import AccessToken, Token

# The path of every prepared request: the customer's own orders.
PATH = "/api/orders/"


class StockTokenClasses:
    """simplejwt's ``get_validated_token`` with its default ``AUTH_TOKEN_CLASSES``:
    simplejwt's own ``AccessToken``."""

    def get_validated_token(self, raw_token: bytes) -> Token:
        try:
            return AccessToken(raw_token)
        except TokenError as exc:
            raise InvalidToken(
                {
                    "detail": "Given token not valid for any token type",
                    "messages": [
                        {
                            "token_class": AccessToken.__name__,
                            "token_type": AccessToken.token_type,
                            "message": exc.args[0],
                        }
                    ],
                }
            ) from exc


class StockStatelessAuthentication(
    StockTokenClasses, simplejwt.JWTStatelessUserAuthentication
):
    """simplejwt's stateless class as a DRF user configures it: the user comes from
    the token (simplejwt's ``TokenUser``, its default ``TOKEN_USER_CLASS``)."""

    def get_user(self, validated_token: Token) -> TokenUser:
        if simplejwt_settings.USER_ID_CLAIM not in validated_token:
            raise InvalidToken("Token contained no recognizable user identification")
        return TokenUser(validated_token)


class StockUserAuthentication(StockTokenClasses, simplejwt.JWTAuthentication):
    """simplejwt's default class: the token's user is read from the database."""


@dataclass(frozen=True)
class Credentials:
    """What the contenders present: alice's tokens and session, and the key."""

    user_id: int
    card: str
    stock_token: str
    session_cookie: str
    algorithm: str
    verifying_key: Any


@dataclass(frozen=True)
class Contender:
    """One way of authenticating a request.

    ``prepare`` builds the inputs of a batch (outside the timing); ``authenticate``
    turns one input into the authenticated user's id (timed).
    """

    name: str
    about: str
    prepare: Callable[[int], list]
    authenticate: Callable[[Any], Any]
    # Settings in force while this contender runs (``override_settings``).
    settings: dict | None = None


def drf_user(django_request: HttpRequest, classes) -> Any:
    """``request.user`` as a DRF view reads it (``APIView.perform_authentication``)."""
    return Request(django_request, authenticators=[cls() for cls in classes]).user


def no_response(request: HttpRequest) -> HttpResponse:  # pragma: no cover
    raise AssertionError("The middleware is only asked to prepare the request.")


def contenders(credentials: Credentials) -> list[Contender]:
    """The contenders, in the order of a round (reversed every other round)."""
    factory = RequestFactory()

    def with_header(token: str) -> Callable[[int], list]:
        def prepare(count: int) -> list:
            headers = {"Authorization": f"Bearer {token}"}
            return [factory.get(PATH, headers=headers) for _ in range(count)]

        return prepare

    def with_cookie(name: str, value: str) -> Callable[[int], list]:
        def prepare(count: int) -> list:
            headers = {"Cookie": f"{name}={value}"}
            return [factory.get(PATH, headers=headers) for _ in range(count)]

        return prepare

    # The project's authenticators, as its REST_FRAMEWORK settings list them.
    configured = api_settings.DEFAULT_AUTHENTICATION_CLASSES
    sessions = SessionMiddleware(no_response)
    users = AuthenticationMiddleware(no_response)

    def by_session(django_request: HttpRequest) -> Any:
        sessions.process_request(django_request)
        users.process_request(django_request)
        return drf_user(django_request, [SessionAuthentication])

    def floor(token: str) -> Any:
        return jwt.decode(
            token, credentials.verifying_key, algorithms=[credentials.algorithm]
        )

    return [
        Contender(
            "card",
            "the card from the Authorization header (accounts.authentication)",
            with_header(credentials.card),
            lambda r: drf_user(r, configured),
        ),
        Contender(
            "card-cookie",
            "the card from the httpOnly cookie (JWTCookieAuthentication)",
            with_cookie(settings.JWT_ACCESS_COOKIE_NAME, credentials.card),
            lambda r: drf_user(r, configured),
        ),
        Contender(
            "card-revocation",
            "the card, JWT_INSTANT_REVOCATION=1: one cache read (information)",
            with_header(credentials.card),
            lambda r: drf_user(r, configured),
            settings={"JWT_INSTANT_REVOCATION": True},
        ),
        Contender(
            "simplejwt-stateless",
            "simplejwt's JWTStatelessUserAuthentication, stock token",
            with_header(credentials.stock_token),
            lambda r: drf_user(r, [StockStatelessAuthentication]),
        ),
        Contender(
            "stateless-card",
            "the same class verifying the card itself: its size and claims (info)",
            with_header(credentials.card),
            lambda r: drf_user(r, [StockStatelessAuthentication]),
        ),
        Contender(
            "simplejwt-user",
            "simplejwt's JWTAuthentication, stock token: reads the user",
            with_header(credentials.stock_token),
            lambda r: drf_user(r, [StockUserAuthentication]),
        ),
        Contender(
            "session",
            "a Django database session: middleware + SessionAuthentication",
            with_cookie(settings.SESSION_COOKIE_NAME, credentials.session_cookie),
            by_session,
        ),
        Contender(
            "floor",
            "PyJWT's own jwt.decode of the card, nothing else",
            lambda count: [credentials.card] * count,
            floor,
        ),
    ]


def user_id_of(result: Any) -> int | None:
    """The id a contender's answer names: a user's, or the floor's claims'."""
    if isinstance(result, dict):
        return int(result["user_id"])
    if not getattr(result, "is_authenticated", False):
        return None
    return int(result.id)
