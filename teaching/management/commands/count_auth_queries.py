"""Count the database queries one request costs to authenticate: JWT versus session."""

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth import get_user as session_user
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from rest_framework.request import Request
from rest_framework_simplejwt.exceptions import AuthenticationFailed

from accounts.authentication import JWTAuthentication
from accounts.models import User


class Command(BaseCommand):
    help = (
        "Authenticate one request with the given access token, then the same person "
        "with a Django database session, and print the queries each one cost."
    )

    def add_arguments(self, parser):
        parser.add_argument("--token", required=True, help="An access token.")

    def handle(self, *args, token: str, **options) -> None:
        factory = RequestFactory()
        request = Request(factory.get("/", HTTP_AUTHORIZATION=f"Bearer {token}"))
        try:
            with CaptureQueriesContext(connection) as jwt_queries:
                token_user, _ = JWTAuthentication().authenticate(request)
        except AuthenticationFailed as exc:
            raise CommandError(f"The token was refused: {exc.detail}") from exc

        user = User.objects.get(pk=token_user.id)
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        try:
            session_request = factory.get("/")
            session_request.session = SessionStore(session_key=store.session_key)
            with CaptureQueriesContext(connection) as session_queries:
                session_user(session_request)
        finally:
            store.delete()

        jwt, session = len(jwt_queries), len(session_queries)
        self.stdout.write(f"JWT (Authorization: Bearer): {jwt} database queries")
        self.stdout.write(
            f"Django session (sessionid cookie): {session} database queries"
        )
