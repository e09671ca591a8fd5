"""Security headers Django does not set by itself: a Content-Security-Policy.

Every script the site runs is a file it serves, so the policy forbids inline
scripts, ``eval`` and every other host. Django's admin, the browsable API and
Swagger UI put ``style`` attributes in their markup, so under ``/admin/`` and
``/api/`` inline styles are allowed; scripts stay as strict there as anywhere.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
RELAXED_STYLE_PREFIXES = ("/admin/", "/api/")


def policy_for(path: str) -> str:
    directives = dict(STRICT)
    if path.startswith(RELAXED_STYLE_PREFIXES):
        directives["style-src"] = "'self' 'unsafe-inline'"
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    """Add the policy to every answer that does not carry one already."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", policy_for(request.path))
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response
