"""The token inspector: explain any string offered as a token, check by check.

It decodes what anyone can decode (header and payload are only base64url) and
says in words what each of the waiter's checks finds. The verdict itself is not
the inspector's: ``valid`` is what ``accounts.verification`` decides, the very
function the waiter calls, so the two can never disagree. It never returns or
hints at the signing key.
"""

import base64
import binascii
import json
import math
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

import jwt
from django.conf import settings
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenBackendError, TokenError

from accounts.backends import token_backend
from accounts.exceptions import InactiveAccount
from accounts.models import Login, User
from accounts.revocation import (
    FAMILY_CLAIM,
    LoginEnded,
    RevocationListUnavailable,
    TokenRevoked,
    instant_revocation_enabled,
    is_blacklisted,
    why_revoked,
)
from accounts.tokens import RefreshTokenReused, check_claims, claim_user_id
from accounts.verification import NOT_ON_RECORD, verify_card, verify_refresh_card
from teaching.families import draw_family

NOT_TRUSTED = (
    "Not checked: the signature did not verify, or the claims are malformed, so "
    "the claims cannot be trusted."
)
REUSED = (
    "it was traded in for a new pair already, so a copy is in other hands: "
    "showing it again has ended its whole login."
)
ACCOUNT = "account"
TOKEN_TYPES = {
    "access": "an access token: the card shown with every request",
    "refresh": "a refresh token: traded at the front desk for a new pair",
}


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


class NotJSON(ValueError):
    """A segment that is not base64url-encoded JSON."""


def _reject_constant(name: str) -> Any:
    raise NotJSON(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise NotJSON("number out of range")
    return number


def decode_segment(segment: str) -> bytes:
    """Decode one base64url segment (padding optional), or raise ``NotJSON``."""
    if not segment or not segment.isascii():
        raise NotJSON("empty or not ASCII")
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError) as exc:
        raise NotJSON("not base64url") from exc


def decode_json_object(segment: str) -> dict[str, Any]:
    """Decode a header or payload segment into a JSON object, or raise ``NotJSON``."""
    try:
        value = json.loads(
            decode_segment(segment),
            parse_constant=_reject_constant,
            parse_float=_finite_float,
        )
    except (UnicodeDecodeError, RecursionError, ValueError) as exc:
        raise NotJSON("not JSON") from exc
    if not isinstance(value, dict):
        raise NotJSON("not a JSON object")
    return value


def _as_time(value: Any) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def describe_times(payload: dict[str, Any] | None) -> dict[str, Any]:
    """``exp`` and ``iat`` as ISO times, with the seconds left or elapsed."""
    times: dict[str, Any] = {}
    if not payload:
        return times
    now = timezone.now()
    for claim in ("exp", "iat", "nbf"):
        moment = _as_time(payload.get(claim))
        if moment is None:
            continue
        seconds = int((moment - now).total_seconds())
        times[claim] = {
            "epoch": payload[claim],
            "iso": moment.isoformat().replace("+00:00", "Z"),
            "seconds_from_now": seconds,
        }
    return times


REVOCATION_UNREADABLE = (
    "The revocation marks cannot be read right now (the cache does not answer): "
    "the waiter refuses every card with a 503 until they can be."
)


class Inspection:
    """One token, taken apart, for a viewer (the verified holder of the request's
    own access card, if any): its login's record is drawn for its owner, or when
    the card is valid (``teaching.families``)."""

    def __init__(self, raw: str, viewer_id: int | None = None) -> None:
        self.raw = raw
        self.viewer_id = viewer_id
        self.header: dict[str, Any] | None = None
        self.payload: dict[str, Any] | None = None
        self.signature = ""
        self.checks: list[Check] = []
        self.claims_ok = False

    def run(self) -> dict[str, Any]:
        skipped = "Not checked: the token's structure or algorithm was already refused."
        structure_ok = self._check_structure()
        algorithm_ok = structure_ok and self._check_algorithm()
        if not structure_ok:
            self._add("algorithm", False, skipped)
        signature_ok = algorithm_ok and self._check_signature()
        if not algorithm_ok:
            self._add("signature", False, skipped)
        self._check_expiry()
        self._check_type()
        self._check_claims(trusted=signature_ok)
        self._check_blacklist(trusted=signature_ok and self.claims_ok)
        refusal = self._verdict()
        self._check_login(trusted=signature_ok and self.claims_ok, refusal=refusal)
        self._add(
            "verdict",
            refusal is None,
            f"The server accepts this {self._kind()}."
            if refusal is None
            else f"The server refuses this {self._kind()}: {refusal}",
        )
        self._note_user(trusted=signature_ok)
        family = None
        if signature_ok and self.claims_ok:
            family = draw_family(
                claims=self.payload,
                login=self.login,
                valid=refusal is None,
                viewer_id=self.viewer_id,
            )
        return {
            "header": self.header,
            "payload": self.payload,
            "signature": self.signature,
            "size_bytes": len(self.raw.encode()),
            "valid": refusal is None,
            "times": describe_times(self.payload),
            "checks": [asdict(check) for check in self.checks],
            "family": family,
        }

    def _kind(self) -> str:
        if self.payload and self.payload.get("token_type") == "refresh":
            return "refresh token"
        return "card"

    def _verdict(self) -> str | None:
        """Why the server refuses the token, or ``None``: the waiter's own check
        for an access token, the front desk's for a refresh token."""
        verify = verify_refresh_card if self._kind() == "refresh token" else verify_card
        try:
            verify(self.raw)
        except (TokenRevoked, LoginEnded) as exc:
            return exc.reason
        except RefreshTokenReused:
            return REUSED
        except TokenError as exc:
            return str(exc.args[0])
        except InactiveAccount:
            return "its account is disabled or gone."
        except RevocationListUnavailable:
            return "its revocation marks cannot be read right now (a 503)."
        return None

    def _add(self, name: str, ok: bool, detail: str) -> None:
        self.checks.append(Check(name=name, ok=ok, detail=detail))

    def _check_structure(self) -> bool:
        segments = self.raw.split(".")
        if len(segments) != 3:
            self._add(
                "structure",
                False,
                f"A JWT has three parts separated by dots (header.payload.signature); "
                f"this has {len(segments)}.",
            )
            return False
        header_segment, payload_segment, self.signature = segments
        problems = []
        try:
            self.header = decode_json_object(header_segment)
        except NotJSON:
            problems.append("the header is not base64url-encoded JSON")
        try:
            self.payload = decode_json_object(payload_segment)
        except NotJSON:
            problems.append("the payload is not base64url-encoded JSON")
        try:
            decode_segment(self.signature)
        except NotJSON:
            problems.append("the signature is not base64url")
        if problems:
            self._add(
                "structure", False, "Three parts, but " + "; ".join(problems) + "."
            )
            return False
        self._add(
            "structure",
            True,
            "Three base64url parts: a JSON header, a JSON payload and a signature. "
            "Anyone can decode the first two; only the signature protects them.",
        )
        return True

    def _check_algorithm(self) -> bool:
        allowed = settings.SIMPLE_JWT["ALGORITHM"]
        asked = self.header.get("alg") if self.header else None
        if asked == allowed:
            self._add(
                "algorithm",
                True,
                f"The header names {allowed}, the one algorithm this server accepts.",
            )
            return True
        self._add(
            "algorithm",
            False,
            f"The header names {asked!r}, but this server accepts only {allowed}. "
            "The server decides the algorithm; a token cannot choose its own "
            "(and 'none' is never accepted).",
        )
        return False

    def _check_signature(self) -> bool:
        try:
            key = token_backend().get_verifying_key(self.raw)
        except TokenBackendError:
            self._add(
                "signature",
                False,
                "The header's 'kid' names no key this server holds, so nothing can "
                "vouch for this signature.",
            )
            return False
        try:
            jwt.api_jws.PyJWS().decode(
                self.raw,
                key=key,
                algorithms=[settings.SIMPLE_JWT["ALGORITHM"]],
            )
        except jwt.InvalidSignatureError:
            self._add(
                "signature",
                False,
                "The signature does not match the header and payload: either they "
                "were changed after signing, or another key signed them.",
            )
            return False
        except jwt.InvalidTokenError:
            self._add("signature", False, "The signature could not be checked.")
            return False
        self._add(
            "signature",
            True,
            "The signature matches: this server's key signed exactly this header "
            "and payload, so nothing in them was changed.",
        )
        return True

    def _check_expiry(self) -> None:
        exp = _as_time(self.payload.get("exp")) if self.payload else None
        if exp is None:
            self._add("not expired", False, "There is no valid 'exp' claim.")
            return
        seconds = int((exp - timezone.now()).total_seconds())
        if seconds > 0:
            self._add("not expired", True, f"Expires in {seconds} seconds.")
        else:
            self._add("not expired", False, f"Expired {-seconds} seconds ago.")

    def _check_type(self) -> None:
        kind = self.payload.get("token_type") if self.payload else None
        if isinstance(kind, str) and kind in TOKEN_TYPES:
            self._add("token type", True, f"This is {TOKEN_TYPES[kind]}.")
        else:
            self._add(
                "token type",
                False,
                "The 'token_type' claim is missing or unknown; this server issues "
                "'access' and 'refresh' tokens only.",
            )

    def _check_claims(self, *, trusted: bool) -> None:
        if not trusted:
            self._add("claims", False, NOT_TRUSTED)
            return
        try:
            check_claims(self.payload)
        except (TokenError, KeyError) as exc:
            self.claims_ok = False
            self._add(
                "claims",
                False,
                f"Signed by this server, yet malformed: {exc.args[0]}. Every claim "
                "the server reads must have the type and range it writes.",
            )
            return
        self._add(
            "claims",
            True,
            "Every claim the server reads has the type and range it writes.",
        )
        self.claims_ok = True

    def _check_blacklist(self, *, trusted: bool) -> None:
        if not trusted:
            self._add("not blacklisted", False, NOT_TRUSTED)
            return
        jti = self.payload.get("jti")
        try:
            revoked = self._revocation_reason()
        except RevocationListUnavailable:
            self._add("not blacklisted", False, REVOCATION_UNREADABLE)
            return
        if not isinstance(jti, str):
            self._add("not blacklisted", False, "There is no 'jti' (token id) claim.")
        elif revoked:
            self._add("not blacklisted", False, f"Revoked. {revoked}")
        elif self.payload.get("token_type") != "refresh":
            if instant_revocation_enabled():
                self._add(
                    "not blacklisted",
                    True,
                    "Not revoked. Instant revocation is on: each request also reads "
                    "this token's revocation marks from the cache (one read, no "
                    "database query).",
                )
                return
            self._add(
                "not blacklisted",
                True,
                "Access tokens are not looked up anywhere: they are trusted until "
                "they expire, which is why they live only minutes.",
            )
        elif is_blacklisted(jti=jti):
            self._add(
                "not blacklisted",
                False,
                "This refresh token is on the blacklist: it was rotated or logged "
                "out, and will never be accepted again.",
            )
        else:
            self._add("not blacklisted", True, "This refresh token is not blacklisted.")

    def _check_login(self, *, trusted: bool, refusal: str | None) -> None:
        """The login a refresh token belongs to, as the verdict left it (a token
        traded in twice has just ended it)."""
        if self._kind() != "refresh token":
            return
        if not trusted:
            self._add("login", False, NOT_TRUSTED)
            return
        login = self.login
        if login is None:
            self._add("login", False, f"{NOT_ON_RECORD} Its family is unknown here.")
        elif login.ended_at is not None:
            self._add(
                "login",
                False,
                f"Its login ended: {login.get_ended_reason_display().lower()}. "
                "Every refresh token of a login ends with it.",
            )
        elif self.payload["jti"] == login.refresh_jti:
            self._add(
                "login", True, "Its login is open, and this is its current token."
            )
        elif refusal is None:
            self._add(
                "login",
                True,
                "Its login is open. This token was traded in a moment ago: within "
                "the grace period it gets the login's current pair again (a second "
                "tab renewing at the same time).",
            )
        else:
            self._add("login", False, "This is not its login's current token.")

    @cached_property
    def login(self) -> Login | None:
        """The login of a card whose signature and claims checked out, read once,
        after the verdict (which may just have ended it)."""
        return Login.objects.filter(
            family=self.payload[FAMILY_CLAIM], user_id=claim_user_id(self.payload)
        ).first()

    def _revocation_reason(self) -> str | None:
        return why_revoked(user_id=claim_user_id(self.payload), claims=self.payload)

    def _note_user(self, *, trusted: bool) -> None:
        """The account behind the token: looked up here to teach, never by the
        waiter, whose verdict above does not depend on it."""
        if not (trusted and self.claims_ok):
            return
        user_id = claim_user_id(self.payload)
        is_active = (
            User.objects.filter(pk=user_id).values_list("is_active", flat=True).first()
        )
        if self._kind() == "refresh token":
            unasked = "The front desk reads the account before every refresh."
        else:
            unasked = (
                "The waiter does not ask the database: a card stays valid until it "
                "expires, unless instant revocation ended it."
            )
        if is_active:
            self._add(ACCOUNT, True, f"User {user_id} exists and is active.")
        elif is_active is None:
            self._add(ACCOUNT, False, f"User {user_id} no longer exists. {unasked}")
        else:
            self._add(ACCOUNT, False, f"User {user_id} has been disabled. {unasked}")


def inspect_token(raw: str, *, viewer_id: int | None = None) -> dict[str, Any]:
    """Explain ``raw`` as a JWT: decoded parts, size, a verdict per check, and its
    login's family as far as ``viewer_id`` may see it."""
    return Inspection(raw, viewer_id).run()
