"""The front desk's API: tokens in and out, who holds them, the inspector, the keys."""

from django.contrib.auth import authenticate
from django.utils.cache import patch_cache_control
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import AuthenticationFailed, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

from accounts import services
from accounts.authentication import RevocationCheckFailed
from accounts.exceptions import InactiveAccount, UsernameTaken
from accounts.keys import current_key_set
from accounts.models import User
from accounts.revocation import RevocationListUnavailable
from accounts.serializers import (
    LoginSerializer,
    ProfileSerializer,
    RefreshSerializer,
    RegistrationSerializer,
    TokenPairSerializer,
    TokenSerializer,
    UserSerializer,
)
from accounts.throttling import (
    LoginAddressThrottle,
    LoginUsernameThrottle,
    ScopedThrottle,
)
from api.errors import ErrorSerializer
from api.schema import error_response

WRONG_CREDENTIALS = "No active account found with the given credentials"
ERROR_401 = OpenApiResponse(ErrorSerializer, description="The token is not valid.")
# The front desk views that read or write the revocation list say so themselves;
# the schema adds it to every view that requires a token (api.schema).
ERROR_503 = error_response("503")


def render_pair(pair: services.TokenPair) -> dict:
    return TokenPairSerializer(
        {
            "access": str(pair.access),
            "refresh": str(pair.refresh),
            "access_expires_at": pair.access_expires_at,
            "refresh_expires_at": pair.refresh_expires_at,
        }
    ).data


class RevocationListView(APIView):
    """A view whose work may read or write the revocation list.

    When the cache that holds it is down, the answer is a clear 503
    (``revocation_unavailable``), as for the waiter's own check.
    """

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, RevocationListUnavailable):
            exc = RevocationCheckFailed()
        return super().handle_exception(exc)


class FrontDeskView(RevocationListView):
    """Base of the token endpoints: public, and their answers are never cached."""

    permission_classes = [permissions.AllowAny]
    # A stale or broken Authorization header must not stop anyone logging in.
    authentication_classes: list = []

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_cache_control(response, no_store=True)
        return response

    def get_authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class RegisterView(FrontDeskView):
    """Create a customer account; no token is issued (log in next).

    The password must pass Django's validators (length, common, numeric, close to
    the username); the username is unique in any letter case.
    """

    throttle_classes = [ScopedThrottle]
    throttle_scope = "register"

    @extend_schema(
        request=RegistrationSerializer,
        responses={201: UserSerializer, 400: OpenApiResponse(description="Invalid.")},
        summary="Create a customer account",
    )
    def post(self, request: Request) -> Response:
        serializer = RegistrationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            user = services.register_customer(**serializer.validated_data)
        except UsernameTaken as exc:
            raise ValidationError(
                {"username": ["A user with that username already exists."]}
            ) from exc
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


class TokenObtainView(FrontDeskView):
    """The front desk: check a username and password once, hand out a token pair.

    A wrong password and an unknown user get the same 401. Attempts are counted
    per username and per client address (429 with ``Retry-After``).
    """

    throttle_classes = [LoginUsernameThrottle, LoginAddressThrottle]

    @extend_schema(
        request=LoginSerializer,
        responses={200: TokenPairSerializer, 401: ERROR_401, 429: ErrorSerializer},
        summary="Log in: trade a username and password for a token pair",
    )
    def post(self, request: Request) -> Response:
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request=request, **serializer.validated_data)
        if user is None:
            raise AuthenticationFailed(WRONG_CREDENTIALS, code="no_active_account")
        try:
            pair = services.log_in(user=user)
        except InactiveAccount as exc:
            # Disabled or deleted since the password was checked.
            raise AuthenticationFailed(
                WRONG_CREDENTIALS, code="no_active_account"
            ) from exc
        return Response(render_pair(pair))


class TokenRefreshView(FrontDeskView):
    """Trade a refresh token for a new pair; the old refresh token never works again.

    The user is read again from the database: a disabled account, or one whose
    password changed, gets a 401 instead of new tokens.
    """

    @extend_schema(
        request=RefreshSerializer,
        responses={200: TokenPairSerializer, 401: ERROR_401, 503: ERROR_503},
        summary="Trade a refresh token for a new pair (the old one is blacklisted)",
    )
    def post(self, request: Request) -> Response:
        serializer = RefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            pair = services.rotate_refresh_token(
                raw_token=serializer.validated_data["refresh"]
            )
        except TokenError as exc:
            raise InvalidToken(str(exc)) from exc
        except InactiveAccount as exc:
            raise AuthenticationFailed(
                "No active account found for the given token.",
                code="no_active_account",
            ) from exc
        return Response(render_pair(pair))


class TokenVerifyView(FrontDeskView):
    """Check a token as the waiter does: signature, expiry, type, claims, blacklist.

    ``{}`` when it would be accepted, a 401 saying why when not.
    """

    @extend_schema(
        request=TokenSerializer,
        responses={
            200: OpenApiResponse(
                {"type": "object", "maxProperties": 0}, description="Valid: `{}`."
            ),
            401: ERROR_401,
            503: ERROR_503,
        },
        summary="Check a token's signature, expiry, type and blacklist",
    )
    def post(self, request: Request) -> Response:
        serializer = TokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.verify_token(raw_token=serializer.validated_data["token"])
        except TokenError as exc:
            raise InvalidToken(str(exc)) from exc
        except InactiveAccount as exc:
            raise AuthenticationFailed(
                "No active account found for the given token.",
                code="no_active_account",
            ) from exc
        return Response({})


class LogoutView(FrontDeskView):
    """Hand back a refresh token: it is blacklisted and never works again.

    The access token runs out on its own, or at once with instant revocation on.
    """

    @extend_schema(
        request=RefreshSerializer,
        responses={
            205: OpenApiResponse(description="Logged out."),
            401: ERROR_401,
            503: ERROR_503,
        },
        summary="Log out: blacklist the refresh token",
    )
    def post(self, request: Request) -> Response:
        serializer = RefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.revoke_refresh_token(
                raw_token=serializer.validated_data["refresh"]
            )
        except TokenError as exc:
            raise InvalidToken(str(exc)) from exc
        except InactiveAccount as exc:
            raise AuthenticationFailed(
                "No active account found for the given token.",
                code="no_active_account",
            ) from exc
        return Response(status=status.HTTP_205_RESET_CONTENT)


class LogoutAllView(RevocationListView):
    """Log out everywhere: end every token of the caller, on every device."""

    @extend_schema(
        request=None,
        responses={
            205: OpenApiResponse(description="Logged out everywhere."),
            401: ERROR_401,
        },
        summary="Log out everywhere: end every token of the caller",
    )
    def post(self, request: Request) -> Response:
        services.log_out_everywhere(user_id=request.user.id)
        return Response(status=status.HTTP_205_RESET_CONTENT)


class JWKSView(APIView):
    """The public keys that check this server's tokens, for other services.

    Public and cacheable: it holds nothing secret, and with HS256 it is empty,
    since a shared secret is never published.
    """

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    max_age = 300

    @extend_schema(
        responses={
            200: OpenApiResponse(
                {
                    "type": "object",
                    "properties": {
                        "keys": {"type": "array", "items": {"type": "object"}}
                    },
                    "required": ["keys"],
                },
                description="A JSON Web Key Set.",
            )
        },
        summary="The public keys (JWKS) that verify tokens signed with RS256/ES256",
    )
    def get(self, request: Request) -> Response:
        response = Response(current_key_set().jwks())
        patch_cache_control(response, public=True, max_age=self.max_age)
        return response


class MeView(APIView):
    """Who the access token speaks for, read from the database."""

    @extend_schema(
        responses={200: ProfileSerializer, 401: ERROR_401},
        summary="Who the access token speaks for",
    )
    def get(self, request: Request) -> Response:
        user = (
            User.objects.select_related("restaurant").filter(pk=request.user.id).first()
        )
        if user is None or not user.is_active:
            raise AuthenticationFailed(
                "No active account found for the given token.",
                code="no_active_account",
            )
        return Response(ProfileSerializer(user).data)
