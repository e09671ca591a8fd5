"""Log lines as ``key=value`` pairs (logfmt): easy to grep, easy to ship.

A line carries the fields a caller passes in ``extra`` and nothing else from the
request: no header, no cookie, no query string, so never a token or a password.
Only plain values (text, numbers, booleans) are written; an object such as the
request Django attaches to its own records is left out, since its text would show
the query string.
"""

import json
import logging
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

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
