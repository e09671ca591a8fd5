"""The front desk's API: tokens in and out, who holds them, the inspector, the keys."""

from datetime import timedelta

from django.contrib.auth import authenticate
from django.utils.cache import patch_cache_control
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import AuthenticationFailed, NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

from accounts import selectors, services
from accounts.authentication import RevocationCheckFailed
from accounts.devices import client_address, describe_device
from accounts.exceptions import InactiveAccount, UsernameTaken
from accounts.keys import current_key_set
from accounts.models import Login, User
from accounts.revocation import FAMILY_CLAIM, RevocationListUnavailable
from accounts.selectors import ENDED_LOGINS_SHOWN_FOR
from accounts.serializers import (
    LoginRecordSerializer,
    LoginSerializer,
    PasswordChangedSerializer,
    PasswordChangeSerializer,
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
    PasswordUsernameThrottle,
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


class RevocationListMixin:
    """For a view whose work may read or write the revocation list.

    When the cache that holds it is down, the answer is a clear 503
    (``revocation_unavailable``), as for the waiter's own check.
    """

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, RevocationListUnavailable):
            exc = RevocationCheckFailed()
        return super().handle_exception(exc)


class RevocationListView(RevocationListMixin, APIView):
    """A view whose work may read or write the revocation list."""


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
            pair = services.log_in(
                user=user,
                device=describe_device(request),
                address=client_address(request),
            )
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


def active_account(request: Request) -> User:
    """The caller's account, read from the database; a 401 if it is disabled or
    gone, although the card is still valid."""
    user = User.objects.filter(pk=request.user.id, is_active=True).first()
    if user is None:
        raise AuthenticationFailed(
            "No active account found for the given token.", code="no_active_account"
        )
    return user


def card_family(request: Request) -> str | None:
    """The login (``fam``) of the card the request came with."""
    return request.auth.get(FAMILY_CLAIM)


@extend_schema_view(
    list=extend_schema(
        responses={200: LoginRecordSerializer(many=True)},
        summary="Your logins: each device you logged in from",
        description=(
            "Your logins, newest first, 20 a page: every open one, and those that "
            "ended or ran out in the last "
            f"{ENDED_LOGINS_SHOWN_FOR // timedelta(hours=1)} hours, with "
            "`ended_reason`. A login is "
            "every pair renewed from one password check (the `fam` claim); "
            "`current` marks the login of the card that asked."
        ),
    )
)
class LoginViewSet(RevocationListMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """A person's logins: list them, end one."""

    serializer_class = LoginRecordSerializer

    def get_queryset(self):
        return selectors.logins_of(user_id=self.request.user.id)

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        return {**context, "current_family": card_family(self.request)}

    @extend_schema(
        request=None,
        responses={200: LoginRecordSerializer, 404: ErrorSerializer, 503: ERROR_503},
        summary="End one of your logins",
    )
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str | None = None) -> Response:
        """End one of your logins: its refresh token is refused from now on, and
        with instant revocation on its access tokens too. Ending the login of the
        card that asks is logging out. Anyone else's login is a 404."""
        try:
            login = services.end_own_login(
                user_id=request.user.id,
                login_id=parse_login_id(pk),
                current_family=card_family(request),
            )
        except Login.DoesNotExist as exc:
            raise NotFound("No such login.") from exc
        serializer = self.get_serializer(login)
        return Response(serializer.data)


def parse_login_id(raw: str | None) -> int:
    """A login id from the URL; anything but a plain positive number is a 404."""
    try:
        return serializers.IntegerField(
            min_value=1, max_value=2**63 - 1
        ).run_validation(raw)
    except ValidationError as exc:
        raise NotFound("No such login.") from exc


class PasswordView(RevocationListView):
    """Change the caller's password: every other login ends, the caller's stays.

    The old password is checked, so attempts count as logins do: per username
    and per address (429 with ``Retry-After``). The new one must pass Django's
    validators.
    """

    throttle_classes = [PasswordUsernameThrottle, LoginAddressThrottle]

    @extend_schema(
        request=PasswordChangeSerializer,
        responses={200: PasswordChangedSerializer, 401: ERROR_401, 503: ERROR_503},
        summary="Change your password; every other login ends",
    )
    def post(self, request: Request) -> Response:
        user = active_account(request)
        serializer = PasswordChangeSerializer(data=request.data, context={"user": user})
        serializer.is_valid(raise_exception=True)
        ended = services.change_password(
            user=user,
            new_password=serializer.validated_data["new_password"],
            keep_login=card_family(request),
        )
        return Response(PasswordChangedSerializer({"logins_ended": ended}).data)


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
