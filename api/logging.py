"""Log lines as ``key=value`` pairs (logfmt): easy to grep, easy to ship.

A line carries the fields a caller passes in ``extra`` and nothing else from the
request: no header, no cookie, no query string, so never a token or a password.
Only plain values (text, numbers, booleans) are written; an object such as the
request Django attaches to its own records is left out, since its text would show
the query string.

One event is one line. A traceback is written only for a bug; a fault that is
expected in production (a request for a foreign host, a database that does not
answer) is written as one line with the error's class instead (``OneLineFaults``).
"""

import json
import logging
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import DisallowedHost, SuspiciousOperation
from django.db import InterfaceError, OperationalError

# The attributes every LogRecord has; anything else came from ``extra``.
_RECORD_ATTRIBUTES = frozenset(
    vars(logging.LogRecord("", logging.INFO, "", 0, "", None, None))
) | {"message", "asctime"}
_BARE = re.compile(r"[A-Za-z0-9_.:/@+\-]+")
_PLAIN = (str, int, float, bool)


def logfmt_value(value: Any) -> str:
    """A value as logfmt text: bare when safe, otherwise a quoted JSON string.

    JSON's escapes (ASCII only) keep one event on one line, whatever a client put
    in a path.
    """
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if _BARE.fullmatch(text):
        return text
    return json.dumps(text)


# Expected faults, by the event name their one line carries; the first match wins.
EXPECTED_FAULTS: tuple[tuple[type[BaseException], str], ...] = (
    (DisallowedHost, "disallowed_host"),
    (SuspiciousOperation, "suspicious_request"),
    (OperationalError, "database_unavailable"),
    (InterfaceError, "database_unavailable"),
)


def logfmt(fields: Iterable[tuple[str, Any]]) -> str:
    return " ".join(f"{key}={logfmt_value(value)}" for key, value in fields)


class KeyValueFormatter(logging.Formatter):
    """``time=… level=… logger=… msg=…`` followed by the record's extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created, tz=UTC)
        fields: list[tuple[str, Any]] = [
            ("time", moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")),
            ("level", record.levelname.lower()),
            ("logger", record.name),
            ("msg", record.getMessage()),
        ]
        fields += [
            (key, value)
            for key, value in vars(record).items()
            if key not in _RECORD_ATTRIBUTES
            and not key.startswith("_")
            and (value is None or isinstance(value, _PLAIN))
        ]
        line = logfmt(fields)
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class OneLineFaults(logging.Filter):
    """Write an expected fault as one line: its event, path and class, no traceback.

    Django logs a request for a host outside ``ALLOWED_HOSTS``, and a failure of
    the database anywhere in a request, with the whole traceback (a dozen lines,
    or close to a hundred); neither is a bug to debug, and a line each is
    easier to count and to alert on.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        for fault, event in EXPECTED_FAULTS:
            if isinstance(error, fault):
                record.exc_info = None
                record.exc_text = None
                record.error = type(error).__name__
                if not isinstance(getattr(record, "event", None), str):
                    record.event = event
                request = getattr(record, "request", None)
                if not isinstance(getattr(record, "path", None), str):
                    record.path = getattr(request, "path", None)
                break
        return True


class FailuresOnly(logging.Filter):
    """Keep Django's request log to the requests that raised.

    Django also logs every 5xx answer a view returned on purpose (a 503 from
    ``/healthz``, say), which the access log and the view's own line already
    tell.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return record.exc_info is not None
