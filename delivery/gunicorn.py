"""gunicorn's settings for the production profile, read from the environment.

    gunicorn -c python:delivery.gunicorn delivery.wsgi

``make serve`` runs exactly that. Every request is logged as one ``key=value``
line with the method, the path without its query string, the status, the duration
and the size: never a header, a cookie or a query string, so never a token.
"""

import os
import sys
import time

from gunicorn import glogging

from api.logging import KeyValueFormatter, logfmt_value


def env_int(*names: str, default: int) -> int:
    """The first of ``names`` that is set, as a whole number, else ``default``."""
    for name in names:
        value = os.environ.get(name, "").strip()
        if value:
            if not value.isdigit() or int(value) < 1:
                sys.exit(f"Delivery cannot start: {name} must be a whole number > 0.")
            return int(value)
    return default


class LogfmtAtoms(glogging.SafeAtoms):
    """The access log's values, each written as logfmt (quoted and escaped if needed).

    gunicorn's own wrapper escapes double quotes only, so a path holding an encoded
    newline could forge a second log line.
    """

    def __init__(self, atoms: dict) -> None:
        # Not SafeAtoms.__init__, whose escaping of quotes would apply twice.
        dict.__init__(self, atoms)

    def __getitem__(self, key: str) -> str:
        # Escaped when the format asks for it: a line uses six of some forty atoms
        # (one per request header), and escaping them all was an eighth of the cost
        # of the fastest request.
        return logfmt_value(super().__getitem__(key))


class Logger(glogging.Logger):
    """gunicorn's logger, writing ``key=value`` lines like the application's."""

    atoms_wrapper_class = LogfmtAtoms

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(KeyValueFormatter())

    def now(self) -> str:
        """The ``t`` atom as an ISO 8601 UTC time, like the application's lines."""
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


bind = [f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"]
# WEB_CONCURRENCY is the name most platforms set; (2 x cores) + 1 is gunicorn's
# advice, capped so that a large machine does not start dozens of processes.
workers = env_int(
    "WEB_CONCURRENCY", "GUNICORN_WORKERS", default=min(2 * (os.cpu_count() or 1) + 1, 8)
)
threads = env_int("GUNICORN_THREADS", default=1)
timeout = env_int("GUNICORN_TIMEOUT", default=30)
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests, so a slow leak cannot grow forever;
# but not a lone worker, which may be the only keeper of a local-memory cache (no
# Redis): replacing it would forget the revocation marks and login counts.
max_requests = 1000 if workers > 1 else 0
max_requests_jitter = 100
# Load the application once, in the master: a configuration error stops gunicorn
# with its one-line explanation instead of every worker failing to boot in turn.
preload_app = True
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
proc_name = "delivery"

# gunicorn's control socket defaults to one path per user, which two servers on one
# machine (two branches) would fight over: off unless a path is given.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "") or None
control_socket_disable = control_socket is None

logger_class = Logger
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = (
    "time=%(t)s level=info logger=gunicorn.access msg=request method=%(m)s "
    "path=%(U)s status=%(s)s duration_ms=%(M)s bytes=%(B)s"
)
