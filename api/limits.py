"""The limits of a request, enforced before any view reads it.

The API's parsers and Django's forms read a body whole into memory, so its size is
judged first, from the ``Content-Length`` the client declares: above
``MAX_REQUEST_BODY_SIZE`` the answer is 413 and the body is never read. A declared
length that is not a number, a query string of more parameters than Django parses
(``DATA_UPLOAD_MAX_NUMBER_FIELDS``) and a charset that names a codec but not a text
encoding (``zlib``, ``base64``) are refused here as well, once for every endpoint,
instead of failing with a 500 wherever a view first touches the request.

A body with no ``Content-Length`` is read by Django at most up to
``DATA_UPLOAD_MAX_MEMORY_SIZE``, which then raises ``RequestDataTooBig``; a page
that meets it answers 413 too, and the API's parsers do the same
(``api.parsers``).

Answers under ``/api/`` have the API's shape, ``{"detail", "code"}``; the site's
pages get a line of plain text.
"""

import codecs
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework import status

from api.errors import API_PREFIX
from api.parsers import RequestTooLarge


def refusal(
    request: HttpRequest, status_code: int, detail: str, code: str
) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": detail, "code": code}, status=status_code)
    return HttpResponse(detail, status=status_code, content_type="text/plain")


def too_large(request: HttpRequest) -> HttpResponse:
    return refusal(
        request,
        status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        RequestTooLarge.default_detail,
        RequestTooLarge.default_code,
    )


def declared_length(request: HttpRequest) -> int | None:
    """The ``Content-Length`` as a number of bytes; ``None`` when it is not one."""
    text = request.META.get("CONTENT_LENGTH") or "0"
    if not (text.isascii() and text.isdigit()):
        return None
    return int(text)


def is_text_encoding(name: str) -> bool:
    """Whether ``name`` decodes bytes into text, as a charset must.

    An unknown name is harmless: Django ignores it and reads UTF-8. A codec such as
    ``zlib`` or ``rot13`` is known to Python but is no text encoding, and Django
    would use it, and fail, wherever it first decodes the body.
    """
    try:
        codecs.lookup(name)
    except LookupError:
        return True
    try:
        b"x".decode(name, "ignore")
    except LookupError:
        return False
    except UnicodeError:  # a text encoding with its own rules, such as idna
        return True
    return True


class RequestLimitsMiddleware:
    """Refuse a request the server will not read: too large, or unreadable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = declared_length(request)
        if length is None:
            return refusal(
                request,
                status.HTTP_400_BAD_REQUEST,
                "Content-Length must be a whole number of bytes.",
                "invalid_content_length",
            )
        if length > settings.MAX_REQUEST_BODY_SIZE:
            return too_large(request)
        if request.encoding and not is_text_encoding(request.encoding):
            return refusal(
                request,
                status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
                "The request's charset is not a text encoding.",
                "unsupported_media_type",
            )
        try:
            request.GET  # noqa: B018 - parsed once here, where its limit is enforced
        except TooManyFieldsSent:
            return refusal(
                request,
                status.HTTP_400_BAD_REQUEST,
                "The query string has too many parameters.",
                "too_many_parameters",
            )
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        """A page that read more than Django allows answers 413, not Django's 400."""
        if isinstance(exception, RequestDataTooBig):
            return too_large(request)
        return None
