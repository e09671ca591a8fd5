"""How the OpenAPI schema describes a menu read: validators, and the bodiless 304."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema

from menu.cache import SHARED_MAX_AGE

CONDITIONAL_PARAMETERS = [
    OpenApiParameter(
        "If-None-Match",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description="The `ETag` of the answer the client holds; a 304 if current.",
    ),
    OpenApiParameter(
        "If-Modified-Since",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description="The `Last-Modified` date of the answer the client holds.",
    ),
    OpenApiParameter(
        "ETag",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[200, 304],
        description="A digest of the answer, to send back as `If-None-Match`.",
    ),
    OpenApiParameter(
        "Last-Modified",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[200, 304],
        description="When the menu last changed (an HTTP date).",
    ),
    OpenApiParameter(
        "Cache-Control",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[200, 304],
        description=f"How long a cache may keep it: `public, max-age={SHARED_MAX_AGE}`",
    ),
]
NOT_MODIFIED = OpenApiResponse(
    description="Not modified: the answer the client holds is current (no body)."
)


def conditional_read(serializer, *, summary: str, description: str) -> extend_schema:
    """The schema of a menu read that answers validators and revalidations."""
    return extend_schema(
        parameters=CONDITIONAL_PARAMETERS,
        responses={200: serializer, 304: NOT_MODIFIED},
        summary=summary,
        description=description,
    )
