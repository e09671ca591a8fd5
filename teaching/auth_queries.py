"""What it costs to know who sent a request: a JWT against a Django session.

The waiter checks a card by its signature and date alone, so authenticating a
request with a JWT reads nothing from the database; a session id means looking
the session up, then its user. Lesson 9 counts both.
"""

from dataclasses import dataclass

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth import get_user as session_user
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.http import HttpRequest
from django.test.utils import CaptureQueriesContext
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request

from accounts.models import User

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@dataclass(frozen=True)
class QueryCount:
    jwt_queries: int
    session_queries: int


def count_authentication_queries(
    request: Request, authenticator: BaseAuthentication
) -> QueryCount:
    """Authenticate ``request`` again with ``authenticator``, then the same person
    with a database session made for the purpose, counting each one's queries."""
    with CaptureQueriesContext(connection) as jwt_queries:
        found = authenticator.authenticate(request)
    if found is None:
        raise NotAuthenticated
    user = User.objects.get(pk=found[0].id)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = MODEL_BACKEND
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    try:
        with_session = HttpRequest()
        with_session.session = SessionStore(session_key=store.session_key)
        with CaptureQueriesContext(connection) as session_queries:
            session_user(with_session)
    finally:
        store.delete()
    return QueryCount(len(jwt_queries), len(session_queries))
