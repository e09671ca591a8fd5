"""Count the database queries one request costs to authenticate: JWT versus session."""

from django.core.management.base import BaseCommand, CommandError
from django.test import RequestFactory
from rest_framework.request import Request
from rest_framework_simplejwt.exceptions import AuthenticationFailed

from accounts.authentication import JWTAuthentication
from teaching.auth_queries import count_authentication_queries


class Command(BaseCommand):
    help = (
        "Authenticate one request with the given access token, then the same person "
        "with a Django database session, and print the queries each one cost."
    )

    def add_arguments(self, parser):
        parser.add_argument("--token", required=True, help="An access token.")

    def handle(self, *args, token: str, **options) -> None:
        request = Request(
            RequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {token}")
        )
        try:
            count = count_authentication_queries(request, JWTAuthentication())
        except AuthenticationFailed as exc:
            raise CommandError(f"The token was refused: {exc.detail}") from exc
        self.stdout.write(
            f"JWT (Authorization: Bearer): {count.jwt_queries} database queries"
        )
        self.stdout.write(
            f"Django session (sessionid cookie): {count.session_queries} database "
            "queries"
        )
