"""How the OpenAPI schema describes the ID card: a Bearer header or a cookie."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerJWTScheme(OpenApiAuthenticationExtension):
    """The access token in an ``Authorization: Bearer`` header: the API's own way.

    Schemes are listed by name, and Swagger UI's Authorize dialog shows them in
    that order: ``bearerAuth`` comes before ``cookieAuth``, so the field a person
    pastes a token into is the one that works (a page cannot set a cookie).
    """

    target_class = "accounts.authentication.JWTAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": (
                "The access token from POST /api/auth/token/, sent as "
                "`Authorization: Bearer <access>`."
            ),
        }


class CookieJWTScheme(OpenApiAuthenticationExtension):
    """The same access token, sent by a browser in the site's httpOnly cookie."""

    target_class = "accounts.authentication.JWTCookieAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.JWT_ACCESS_COOKIE_NAME,
            "description": (
                "The access token in the httpOnly cookie that the site's login "
                "(/login/) sets; the browser sends it by itself, and page scripts "
                "cannot read it. Used only when no Authorization header is sent. "
                "Unsafe methods also need Django's CSRF token in the X-CSRFToken "
                "header (or the csrfmiddlewaretoken form field)."
            ),
        }
