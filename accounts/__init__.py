"""The front desk: it checks a password once and issues the signed ID card.

What is simplejwt's here, and what is not:

- The cards are simplejwt's token classes (``accounts.tokens``) with their
  documented extension points: a ``TokenBackend`` subclass that knows the server's
  key set (``accounts.backends``) and ``verify()`` extended with the claims the
  server reads. The waiter is simplejwt's ``JWTStatelessUserAuthentication``
  (``accounts.authentication``), and the blacklist is its ``token_blacklist`` app.
- simplejwt's views and serializers are not used: they put the rules of issuing a
  card inside serializers, and this project keeps them in ``accounts.services``
  (rotation that renews a login exactly once, logins recorded as families, a
  refresh token presented twice ending its login, throttled logins, token events
  for the ticket rail). The views (``accounts.views``) stay thin, as in every app
  here.
- ``Token.for_user()`` is not used: with the blacklist app installed it stores the
  whole refresh token in the database, and a copy of the database must not hold
  cards that still work. ``accounts.services`` records only the token's id and
  times, with the login it belongs to (``accounts.models.Login``).
"""
