"""Ending refresh tokens: one at a time (logout, rotation) or all of a user's."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.token_blacklist.models import (
    BlacklistedToken,
    OutstandingToken,
)
from rest_framework_simplejwt.utils import datetime_from_epoch


def record_outstanding(*, jti: str, user_id: int | None, exp: int) -> OutstandingToken:
    """Note a refresh token as issued, so that it can be blacklisted later.

    The token itself is not stored: a copy of the database must not hold cards
    that still work.
    """
    outstanding, _ = OutstandingToken.objects.get_or_create(
        jti=jti,
        defaults={
            "user_id": user_id,
            "token": "",
            "created_at": timezone.now(),
            "expires_at": datetime_from_epoch(exp),
        },
    )
    return outstanding


def blacklist_once(*, jti: str, user_id: int | None, exp: int) -> None:
    """Blacklist a refresh token; raise ``TokenError`` if it already was.

    The unique constraint on the blacklist decides, so two concurrent requests with
    the same token cannot both succeed.
    """
    outstanding = record_outstanding(jti=jti, user_id=user_id, exp=exp)
    try:
        with transaction.atomic():
            BlacklistedToken.objects.create(token=outstanding)
    except IntegrityError as exc:
        raise TokenError("Token is blacklisted") from exc


def is_blacklisted(*, jti: str) -> bool:
    return BlacklistedToken.objects.filter(token__jti=jti).exists()


def revoke_refresh_tokens(*, user_id: int) -> int:
    """Blacklist every unexpired refresh token of a user; return how many."""
    outstanding = OutstandingToken.objects.filter(
        user_id=user_id,
        expires_at__gt=timezone.now(),
        blacklistedtoken__isnull=True,
    ).values_list("pk", flat=True)
    created = BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token_id=pk) for pk in outstanding],
        ignore_conflicts=True,
    )
    return len(created)
