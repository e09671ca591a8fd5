"""How the waiter checks the ID card: a signed access token, no database query."""

import logging

from django.http import HttpRequest
from rest_framework import HTTP_HEADER_ENCODING, status
from rest_framework.authentication import CSRFCheck
from rest_framework.exceptions import (
    APIException,
    AuthenticationFailed,
    PermissionDenied,
)
from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTStatelessUserAuthentication
from rest_framework_simplejwt.exceptions import (
    ExpiredTokenError,
    InvalidToken,
    TokenError,
)
from rest_framework_simplejwt.settings import api_settings

from accounts import signals
from accounts.cookies import read_access_cookie
from accounts.revocation import RevocationListUnavailable, TokenRevoked
from accounts.tokens import AccessToken, TokenUser
from accounts.verification import expired_card_holder, verify_card

logger = logging.getLogger(__name__)


class RevocationCheckFailed(APIException):
    """The card could not be checked against the revocation list: refuse, for now."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Tokens cannot be checked right now; try again shortly."
    default_code = "revocation_unavailable"


class JWTAuthentication(JWTStatelessUserAuthentication):
    """Trust a valid ``Authorization: Bearer`` access token without asking the manager.

    simplejwt's stateless class: the card is judged by ``verify_card`` (signature,
    algorithm, expiry, type, claims; with instant revocation on, one cache read),
    and the user comes from the token's claims (``accounts.tokens.TokenUser``), so
    authenticating costs no query. Each refused card is logged once, with the
    reason, and announced (``accounts.signals``).
    """

    def __init__(self) -> None:
        """Nothing to look up. simplejwt's ``__init__`` finds the user model, which a
        card read without the database never uses, and DRF makes two
        authenticators per request."""

    def authenticate(self, request: Request) -> tuple[TokenUser, AccessToken] | None:
        try:
            return super().authenticate(request)
        except AuthenticationFailed as exc:
            self.log_refusal(request, exc)
            raise

    def get_header(self, request: Request) -> bytes | None:
        """The ``Authorization`` header as bytes, whatever characters it holds.

        simplejwt encodes a text header as Latin-1 and lets a character outside it
        escape as a ``UnicodeEncodeError`` (a 500); such a header cannot hold a
        valid token, so it is kept, garbled, and refused like any other.
        """
        header = request.META.get(api_settings.AUTH_HEADER_NAME)
        if isinstance(header, str):
            return header.encode(HTTP_HEADER_ENCODING, errors="replace")
        return header

    def get_validated_token(self, raw_token: bytes) -> AccessToken:
        """The card as ``verify_card`` judges it; a refusal is simplejwt's 401.

        simplejwt tries each of ``AUTH_TOKEN_CLASSES`` and lists every class's
        complaint in the answer; this server accepts one kind of card, so the
        answer keeps the documented ``{detail, code}`` with the one reason.
        """
        try:
            return verify_card(raw_token)
        except RevocationListUnavailable as exc:
            raise RevocationCheckFailed from exc
        except TokenRevoked as exc:
            refusal = InvalidToken(exc.args[0])
            refusal.user_id = exc.user_id
            refusal.reason = exc.reason
            refusal.fingerprint = signals.card_fingerprint(raw_token)
            raise refusal from exc
        except ExpiredTokenError as exc:
            refusal = InvalidToken(exc.args[0])
            refusal.user_id = expired_card_holder(raw_token)
            refusal.fingerprint = signals.card_fingerprint(raw_token)
            raise refusal from exc
        except TokenError as exc:
            refusal = InvalidToken(exc.args[0])
            refusal.fingerprint = signals.card_fingerprint(raw_token)
            raise refusal from exc

    def log_refusal(self, request: HttpRequest, exc: AuthenticationFailed) -> None:
        """One line per refused request: why, where, and who when the card says so.

        Never the token, a cookie or a header: only the library's fixed message,
        the error code, the path without its query string and a verified user id.
        The same goes on the instructor's ticket rail, as its only write; the
        announcement also carries the refused card's fingerprint, never the card.
        """
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else codes.get("code", "")
        detail = exc.detail
        if isinstance(detail, dict):  # simplejwt's InvalidToken: {detail, code}
            detail = detail.get("detail", "")
        reason = getattr(exc, "reason", None) or str(detail)
        user_id = getattr(exc, "user_id", None)
        logger.warning(
            "authentication refused",
            extra={
                "event": "auth_refused",
                "reason": reason,
                "code": code,
                "method": request.method,
                "path": request.path,
                "user_id": user_id,
            },
        )
        signals.announce(
            signals.REFUSED,
            user_id=user_id,
            reason=f"{reason} ({code})" if code else reason,
            path=f"{request.method} {request.path}",
            fingerprint=getattr(exc, "fingerprint", ""),
        )


class JWTCookieAuthentication(JWTAuthentication):
    """Take the access token from the site's httpOnly cookie, with Django's CSRF check.

    Only when no ``Authorization`` header is sent: an API client that shows its card
    in the header is judged by that card alone. A browser sends cookies to this site
    whatever page asked it to, so an unsafe request authenticated by cookie must
    also carry the CSRF token, as with Django's session login.
    """

    def authenticate(self, request: Request) -> tuple[TokenUser, AccessToken] | None:
        if self.get_header(request) is not None:
            return None
        raw_token = read_access_cookie(request)
        if raw_token is None:
            return None
        try:
            validated_token = self.get_validated_token(raw_token.encode())
        except AuthenticationFailed as exc:
            self.log_refusal(request, exc)
            raise
        self.enforce_csrf(request)
        return self.get_user(validated_token), validated_token

    def enforce_csrf(self, request: Request) -> None:
        """Refuse an unsafe request without a valid CSRF token (403)."""

        def no_response(request: HttpRequest) -> None:  # pragma: no cover
            return None

        check = CSRFCheck(no_response)
        check.process_request(request)
        reason = check.process_view(request, None, (), {})
        if reason:
            raise PermissionDenied(f"CSRF Failed: {reason}")
