"""One error shape for the API: ``{"detail", "code"}`` or ``{field: [messages]}``."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus the machine-readable ``code`` next to every ``detail``."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    data = response.data
    if isinstance(data, dict) and "detail" in data and "code" not in data:
        codes = exc.get_codes()
        if isinstance(codes, str):
            data["code"] = codes
        elif isinstance(codes, dict) and isinstance(codes.get("detail"), str):
            data["code"] = codes["detail"]
    return response


class ErrorSerializer(serializers.Serializer):
    """The body of every 401, 403, 404, 405, 409 and 429 answer."""

    detail = serializers.CharField()
    code = serializers.CharField()
