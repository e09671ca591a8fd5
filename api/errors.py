"""One error shape for the API: ``{"detail", "code"}`` or ``{field: [messages]}``.

With DEBUG off nothing answers with a traceback: an unexpected error in the API is
a JSON 500 in that shape, and the site shows plain 404 and 500 pages. The
traceback goes to the log, with the path and never the request's data. A database
that does not answer is no bug: the API says so with a 503, and the log with one
line.
"""

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
SERVER_ERROR = {"detail": "A server error occurred.", "code": "server_error"}
NOT_FOUND = {"detail": "Not found.", "code": "not_found"}
BAD_REQUEST = {"detail": "Bad request.", "code": "bad_request"}
# What a lost, refused or dropped database connection raises, wrapped by Django.
DATABASE_FAULTS = (OperationalError, InterfaceError)


class DatabaseUnavailable(exceptions.APIException):
    """The database did not answer: nothing was done, and a retry may succeed."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The database is not answering; try again shortly."
    default_code = "database_unavailable"


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus the machine-readable ``code`` next to every ``detail``."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    elif isinstance(exc, DATABASE_FAULTS):
        request = context.get("request")
        logger.error(
            "database unavailable",
            extra={
                "event": "database_unavailable",
                "method": getattr(request, "method", None),
                "path": getattr(request, "path", None),
                "error": type(exc).__name__,
            },
        )
        exc = DatabaseUnavailable()
    response = exception_handler(exc, context)
    if response is None:
        return unexpected_error(exc, context)
    if not isinstance(exc, exceptions.APIException):
        return response
    data = response.data
    if isinstance(data, dict) and "detail" in data and "code" not in data:
        codes = exc.get_codes()
        if isinstance(codes, str):
            data["code"] = codes
        elif isinstance(codes, dict) and isinstance(codes.get("detail"), str):
            data["code"] = codes["detail"]
    return response


def unexpected_error(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Log an unexpected error and answer a JSON 500; with DEBUG on, let it raise.

    Django's debug page is the better tool while developing; in production the
    client learns only that the fault was the server's.
    """
    if settings.DEBUG:
        return None
    request = context.get("request")
    logger.error(
        "unhandled error in the API",
        exc_info=(type(exc), exc, exc.__traceback__),
        extra={
            "event": "server_error",
            "method": getattr(request, "method", None),
            "path": getattr(request, "path", None),
        },
    )
    set_rollback()
    return Response(SERVER_ERROR, status=status.HTTP_500_INTERNAL_SERVER_ERROR)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: the API's JSON shape under /api/, the plain page elsewhere."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse(NOT_FOUND, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler400``: the API's JSON shape under /api/, the plain page elsewhere.

    Django answers 400 by itself for a request it will not serve, such as one for
    a host not in ``ALLOWED_HOSTS``.
    """
    if request.path.startswith(API_PREFIX):
        return JsonResponse(BAD_REQUEST, status=400)
    return defaults.bad_request(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: the API's JSON shape under /api/, the plain page elsewhere."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse(SERVER_ERROR, status=500)
    return defaults.server_error(request)


class ErrorSerializer(serializers.Serializer):
    """The body of every 401, 403, 404, 405, 409 and 429 answer."""

    detail = serializers.CharField()
    code = serializers.CharField()
