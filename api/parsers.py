"""The API's parsers: DRF's, with every unreadable body answered 4xx, never 500.

DRF answers a body that is not JSON, or a broken form, with a 400 ``ParseError``,
but lets through what its parsers do not expect:

- JSON nested deeper than Python's recursion limit (``RecursionError``);
- JSON strings that hold a lone surrogate (``"\\ud800"``): valid JSON, but not
  text, so whatever later encodes them (a password hash, the database) fails;
- Django's limits on forms: too many fields or files (``TooManyFieldsSent``,
  ``TooManyFilesSent``) and a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``
  (``RequestDataTooBig``). They are ``SuspiciousOperation``s, which DRF's
  exception handler does not know.

Each is caught here, where the body is read, and becomes a 400 (413 for the size),
for every endpoint.
"""

import json
from typing import Any

from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError


class RequestTooLarge(APIException):
    """A body over the size the server reads (``api.limits``): 413."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "request_too_large"


def is_text(data: Any) -> bool:
    """Whether every string in parsed JSON can be written as UTF-8."""
    try:
        json.dumps(data, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return False
    return True


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError("JSON parse error - nested too deeply.") from exc
        if not is_text(data):
            raise ParseError(
                "JSON parse error - a string holds a lone surrogate, which is not text."
            )
        return data


class FormLimitsMixin:
    """Django's limits on a form, as the API's answers."""

    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RequestDataTooBig as exc:
            raise RequestTooLarge from exc
        except (TooManyFieldsSent, TooManyFilesSent) as exc:
            raise ParseError("Form parse error - too many fields or files.") from exc


class FormParser(FormLimitsMixin, parsers.FormParser):
    pass


class MultiPartParser(FormLimitsMixin, parsers.MultiPartParser):
    pass
