"""The API's OpenAPI schema as generated clients read it: JSON in, one error shape out.

A view declares its success answers and its domain errors (409 and the like) with
``extend_schema``. The errors that follow from the view's policies are added here,
so that no operation forgets them: 400 where input is validated, 401 and 403 where
a token is required, 404 where the path names an object, 406 for an ``Accept``
header no renderer meets, 413 and 415 where a body is read, 429 where a throttle
counts, and 503 everywhere (the database, or Redis, may be out of reach).

Every error refers to two shared components, ``Error`` (``{detail, code}``) and
``FieldErrors`` (``{field: [messages]}``), and declares the headers it carries
(``WWW-Authenticate`` on a 401, ``Retry-After`` on a 429). Request bodies are
advertised as JSON, what API clients send; the browsable API's HTML forms still
post forms, which the parsers accept.
"""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.settings import api_settings

from api.errors import ErrorSerializer

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
JSON = "application/json"

FIELD_ERRORS = ResolvedComponent(
    name="FieldErrors",
    type=ResolvedComponent.SCHEMA,
    object="FieldErrors",
    schema={
        "type": "object",
        "description": (
            "Each field at fault, with its messages. A nested field has the errors "
            "of its own fields (an object of the same shape), and a list of them the "
            "errors of each item (an object per item, empty for an item without "
            "fault)."
        ),
        "additionalProperties": {
            "anyOf": [
                {
                    "type": "array",
                    "items": {
                        "anyOf": [
                            {"type": "string"},
                            {"$ref": "#/components/schemas/FieldErrors"},
                        ]
                    },
                },
                {"$ref": "#/components/schemas/FieldErrors"},
            ]
        },
        "example": {"delivery_address": ["This field is required."]},
    },
)
# A 400 answers field errors, or, for a body that cannot be read at all (not JSON,
# a broken form), ``{"detail", "code"}``.
BAD_REQUEST = {
    "oneOf": [FIELD_ERRORS.ref, {"$ref": "#/components/schemas/Error"}],
}

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
        "The body is not JSON (the browsable API's forms may also post a form or "
        "multipart), or its charset is not a text encoding."
    ),
    "429": "Too many requests; the `Retry-After` header says how many seconds to wait.",
    "503": (
        "A service the server needs did not answer, so nothing was done; try again "
        "shortly. `code` says which: `database_unavailable` (the database); "
        "`throttle_unavailable` (Redis, where attempts are counted); "
        "`revocation_unavailable` (Redis, where a token is checked with instant "
        "revocation on, `JWT_INSTANT_REVOCATION`)."
    ),
}

# Headers the API sends, declared on the answers that carry them.
ERROR_HEADERS = {
    "401": {
        "WWW-Authenticate": {
            "schema": {"type": "string"},
            "description": 'The challenge: `Bearer realm="api"`.',
        }
    },
    "429": {
        "Retry-After": {
            "schema": {"type": "integer"},
            "description": "Seconds to wait before trying again.",
        }
    },
}
IDEMPOTENCY_KEY = "Idempotency-Key"
IDEMPOTENT_REPLAYED = {
    "Idempotent-Replayed": {
        "schema": {"type": "string", "enum": ["true", "false"]},
        "description": (
            "Sent when the request carried an `Idempotency-Key`: `true` when the "
            "answer is the first request's, replayed; `false` when this request "
            "placed it."
        ),
    }
}


def error_response(code: str, description: str | None = None) -> OpenApiResponse:
    body = BAD_REQUEST if code == "400" else ErrorSerializer
    return OpenApiResponse(body, description=description or DESCRIPTIONS[code])


class DeliveryAutoSchema(AutoSchema):
    """drf-spectacular's schema, plus the errors and headers the view's policies imply.

    The errors are added to the operation once drf-spectacular and ``extend_schema``
    have had their say: a declared answer is kept, a declared error without a body
    gets the error shape.
    """

    def map_parsers(self) -> list[str]:
        """JSON, the one body API clients are told to send.

        The parsers take forms too, for the browsable API's HTML forms; advertised,
        they make generated clients send an order as a form, which cannot carry
        its list of items.
        """
        return [JSON]

    def get_serializer_name(self, serializer, direction: str) -> str:
        """The class name, without a "Request" that the split would double.

        ``COMPONENT_SPLIT_REQUEST`` appends "Request" to every request component;
        a serializer already named for a request (``OrderRequestSerializer``)
        would read ``OrderRequestRequest``.
        """
        name = super().get_serializer_name(serializer, direction)
        if direction == "request":
            return name.removesuffix("Serializer").removesuffix("Request")
        return name

    def get_operation(self, *args, **kwargs) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        self.registry.register_on_missing(FIELD_ERRORS)
        responses = operation["responses"]
        for code, description in self.implied_errors().items():
            responses.setdefault(code, {"description": description})
        for code, answer in responses.items():
            if not answer.get("description"):
                answer["description"] = DESCRIPTIONS.get(code, "")
            if code.startswith(("4", "5")) and "content" not in answer:
                answer["content"] = self.error_content(code)
            headers = {**ERROR_HEADERS.get(code, {})}
            if code in {"200", "201"} and self.takes_idempotency_key(operation):
                headers.update(IDEMPOTENT_REPLAYED)
            if headers:
                answer["headers"] = {**answer.get("headers", {}), **headers}
        operation["responses"] = dict(sorted(responses.items()))
        emptied = self.empty_means_absent()
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query" and parameter["name"] in emptied:
                parameter["allowEmptyValue"] = True
        return operation

    def empty_means_absent(self) -> set[str]:
        """Query parameters whose empty value is taken as not given.

        django-filter ignores an empty filter, and DRF an empty search; the
        browsable API's filter form sends every field, the unset ones empty.
        """
        view = self.view
        names = set()
        if filterset := getattr(view, "filterset_class", None):
            names.update(filterset.base_filters)
        if getattr(view, "search_fields", None):
            names.add(api_settings.SEARCH_PARAM)
        return names

    def error_content(self, code: str) -> dict[str, Any]:
        """The error shape of ``code``, in every media type the view answers in."""
        if code == "400":
            body = BAD_REQUEST
        else:
            body = self.resolve_serializer(ErrorSerializer, "response").ref
        return {
            media_type: {"schema": body}
            for media_type in self.map_renderers("media_type")
        }

    @staticmethod
    def takes_idempotency_key(operation: dict[str, Any]) -> bool:
        return any(
            parameter.get("in") == "header" and parameter.get("name") == IDEMPOTENCY_KEY
            for parameter in operation.get("parameters", [])
        )

    def implied_errors(self) -> dict[str, str]:
        """The errors the view's policies imply, with their descriptions."""
        view = self.view
        errors: dict[str, str] = {}
        takes_body = (
            self.method in UNSAFE_METHODS and self.get_request_serializer() is not None
        )
        if takes_body or (self.lists() and self.takes_query_parameters()):
            errors["400"] = DESCRIPTIONS["400"]
        permissions = view.get_permissions()
        secured = bool(view.get_authenticators()) and not any(
            isinstance(permission, AllowAny) for permission in permissions
        )
        if secured:
            errors["401"] = DESCRIPTIONS["401"]
            if self.method in UNSAFE_METHODS:
                errors["403"] = DESCRIPTIONS["403-csrf"]
            elif any(
                type(permission) is not IsAuthenticated for permission in permissions
            ):
                errors["403"] = DESCRIPTIONS["403"]
        if "{" in self.path or self.lists():
            errors["404"] = DESCRIPTIONS["404"]
        errors["406"] = DESCRIPTIONS["406"]
        if takes_body:
            errors["413"] = DESCRIPTIONS["413"]
            errors["415"] = DESCRIPTIONS["415"]
        if view.get_throttles():
            errors["429"] = DESCRIPTIONS["429"]
        errors["503"] = DESCRIPTIONS["503"]
        return errors

    def lists(self) -> bool:
        """A paginated list: a page past the end is a 404."""
        return self.method == "GET" and getattr(self.view, "action", None) == "list"

    def takes_query_parameters(self) -> bool:
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
