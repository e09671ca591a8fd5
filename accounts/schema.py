"""How the OpenAPI schema describes the ID card (a Bearer JWT)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerJWTScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.JWTAuthentication"
    name = "jwtAuth"

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
