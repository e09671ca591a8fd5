"""How the waiter checks the ID card: a signed access token, no database query."""

from rest_framework_simplejwt.authentication import JWTStatelessUserAuthentication


class JWTAuthentication(JWTStatelessUserAuthentication):
    """Trust a valid ``Authorization: Bearer`` access token without asking the manager.

    The signature, algorithm, expiry and type are checked on every request by
    ``accounts.tokens.AccessToken``; the user comes from the token's claims
    (``accounts.tokens.TokenUser``), so authenticating costs no query.
    """
