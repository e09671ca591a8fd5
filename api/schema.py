"""The API's documented error answers, derived from each view's own policies.

A view declares its success answers and its domain errors (409 and the like) with
``extend_schema``. The errors that follow from the view's policies are added here,
so that no operation forgets them: 400 where input is validated, 401 and 403 where
a token is required, 404 where the path names an object, 406 for an ``Accept``
header no renderer meets, 413 and 415 where a body is read, 429 where a throttle
counts, 503 where a token is required (the revocation list may be out of reach).
"""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.permissions import AllowAny, IsAuthenticated

from api.errors import ErrorSerializer

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

FIELD_ERRORS: dict[str, Any] = {
    "type": "object",
    "description": (
        "Each field at fault, with its messages; a nested field has the errors of "
        "its own fields (an object) or of each item (a list with an object per "
        "item, empty for an item without fault)."
    ),
    "additionalProperties": {
        "anyOf": [
            {
                "type": "array",
                "items": {"anyOf": [{"type": "string"}, {"type": "object"}]},
            },
            {"type": "object"},
        ]
    },
    "example": {"delivery_address": ["This field is required."]},
}
# A 400 answers field errors, or, for a body that cannot be read at all (not
# JSON, a broken form), ``{"detail", "code"}``.
UNREADABLE: dict[str, Any] = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
    "required": ["detail", "code"],
}
BAD_REQUEST: dict[str, Any] = {"oneOf": [FIELD_ERRORS, UNREADABLE]}

DESCRIPTIONS = {
    "400": (
        "Invalid input: `{field: [messages]}`, or `{detail, code}` for a body that "
        "cannot be read (`code` is `parse_error`)."
    ),
    "401": (
        "No valid access token (missing, expired, changed or signed by another "
        'key); the answer carries `WWW-Authenticate: Bearer realm="api"`.'
    ),
    "403": "A valid token that does not allow this.",
    "403-csrf": (
        "A valid token that does not allow this, or a cookie-authenticated request "
        "without the CSRF token."
    ),
    "404": "No such object, or not the caller's.",
    "406": (
        "The `Accept` header asks for no format the API answers in (JSON, or HTML "
        "for the browsable API)."
    ),
    "409": "The request conflicts with the object's current state; `code` says how.",
    "413": "The body is larger than the server reads.",
    "415": (
        "The body is neither JSON, a form nor multipart, or its charset is not a "
        "text encoding."
    ),
    "429": "Too many requests; the `Retry-After` header says how many seconds to wait.",
    "503": (
        "With instant revocation on (`JWT_INSTANT_REVOCATION`) only: the revocation "
        "list (Redis) did not answer, so the token could not be checked and is not "
        "accepted for now; `code` is `revocation_unavailable`. Try again shortly."
    ),
}


def error_response(code: str, description: str | None = None) -> OpenApiResponse:
    body = BAD_REQUEST if code == "400" else ErrorSerializer
    return OpenApiResponse(body, description=description or DESCRIPTIONS[code])


class DeliveryAutoSchema(AutoSchema):
    """drf-spectacular's schema, plus the error answers every view's policies imply.

    The errors are added where the answers are assembled, after ``extend_schema``
    has had its say: a declared answer is kept, a declared one without a body gets
    the error shape.
    """

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction=direction)
        for code, response in self.implied_errors().items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    response, code, direction=direction
                )
        for code, response in responses.items():
            if code in DESCRIPTIONS and not response.get("description"):
                response["description"] = DESCRIPTIONS[code]
            if code.startswith("4") and "content" not in response:
                described = error_response(code, response.get("description"))
                responses[code] = self._get_response_for_code(
                    described, code, direction=direction
                )
        return dict(sorted(responses.items()))

    def implied_errors(self) -> dict[str, OpenApiResponse]:
        view = self.view
        errors: dict[str, OpenApiResponse] = {}
        takes_body = (
            self.method in UNSAFE_METHODS and self.get_request_serializer() is not None
        )
        if takes_body or (self._lists() and self._takes_query_parameters()):
            errors["400"] = error_response("400")
        permissions = view.get_permissions()
        secured = bool(view.get_authenticators()) and not any(
            isinstance(permission, AllowAny) for permission in permissions
        )
        if secured:
            errors["401"] = error_response("401")
            if self.method in UNSAFE_METHODS:
                errors["403"] = error_response("403", DESCRIPTIONS["403-csrf"])
            elif any(
                type(permission) is not IsAuthenticated for permission in permissions
            ):
                errors["403"] = error_response("403")
        if "{" in self.path or self._lists():
            errors["404"] = error_response("404")
        errors["406"] = error_response("406")
        if takes_body:
            errors["413"] = error_response("413")
            errors["415"] = error_response("415")
        if view.get_throttles():
            errors["429"] = error_response("429")
        if secured:
            errors["503"] = error_response("503")
        return errors

    def _lists(self) -> bool:
        """A paginated list: a page past the end is a 404."""
        return self.method == "GET" and getattr(self.view, "action", None) == "list"

    def _takes_query_parameters(self) -> bool:
        """Filters, a search, or query parameters declared with ``extend_schema``."""
        view = self.view
        declared = [
            parameter
            for parameter in self.get_override_parameters()
            if isinstance(parameter, OpenApiParameter)
            and parameter.location == OpenApiParameter.QUERY
        ]
        return bool(
            declared
            or getattr(view, "filterset_class", None)
            or getattr(view, "search_fields", None)
        )
