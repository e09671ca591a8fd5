"""Is this ID card valid? One function decides, for everyone who asks.

The waiter (``accounts.authentication``), the site's cookie renewal
(``accounts.middleware``), the token inspector and the ticket rail (``teaching``)
all take their verdict from ``verify_card``; none of them has a rule of its own,
so they can never disagree about a card.
"""

import jwt
from rest_framework_simplejwt.exceptions import TokenBackendError, TokenError

from accounts.exceptions import InactiveAccount
from accounts.keys import current_key_set
from accounts.models import User
from accounts.revocation import ensure_not_revoked
from accounts.tokens import AccessToken, RefreshToken, claim_user_id


def verify_card(raw_token: str | bytes) -> AccessToken:
    """The verified access token, or ``TokenError`` saying why it is refused.

    Checked: the signature, with the server's own key and algorithm; the expiry;
    the type; every claim the server reads (``accounts.tokens``); and, with
    instant revocation on, the revocation marks (one cache round trip, and
    ``RevocationListUnavailable`` when the cache does not answer). Never a
    database query.
    """
    token = AccessToken(raw_token)
    ensure_not_revoked(user_id=claim_user_id(token.payload), claims=token.payload)
    return token


def expired_card_holder(raw_token: str | bytes) -> int | None:
    """Whose card this is, once ``verify_card`` refused it as expired.

    A refusal for expiry then says whose card it was, as one for revocation does
    (the log, the ticket rail). The signature is checked again with the server's
    own key and algorithm, the expiry set aside: a card this server did not sign
    names nobody (``None``).
    """
    key_set = current_key_set()
    try:
        payload = jwt.decode(
            raw_token,
            key_set.verifying_key_for(raw_token),
            algorithms=[key_set.algorithm],
            options={"verify_exp": False, "verify_aud": False},
        )
        return claim_user_id(payload)
    except (jwt.InvalidTokenError, TokenBackendError, TokenError):
        return None


def verify_refresh_card(raw_token: str | bytes) -> tuple[RefreshToken, User]:
    """The verified refresh token and its account, as the front desk checks them
    before a refresh.

    The same checks as ``verify_card``, then the blacklist (``RefreshTokenReused``
    when the token was already traded in) and the account, read again from the
    database (``InactiveAccount`` when it is disabled or gone): two queries.
    """
    token = RefreshToken(raw_token)
    user_id = claim_user_id(token.payload)
    ensure_not_revoked(user_id=user_id, claims=token.payload)
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise InactiveAccount(user_id)
    return token, user
