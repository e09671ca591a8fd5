"""``GET /healthz``: can this server serve? Asked by load balancers and orchestrators.

The answer is 200 ``{"status": "ok"}`` when the database and the shared caches (the
default one and the "security" one of login counters and revocation marks) answer,
503 ``{"status": "unavailable"}`` otherwise, and says nothing more: no versions,
no hosts, no error messages. The cause of a failure goes to the log.
"""

import logging

from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

PROBE_KEY = "healthz"
# The caches every process shares; the menu's answers are each process's own.
SHARED_CACHES = ("default", "security")


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure of any backend means "not ready"
        logger.error(
            "health check failed",
            extra={"event": "health", "part": "database", "error": type(exc).__name__},
        )
        return False
    return True


def caches_answer() -> bool:
    for alias in SHARED_CACHES:
        try:
            caches[alias].get(PROBE_KEY)
        except Exception as exc:  # any failure of any backend means "not ready"
            logger.error(
                "health check failed",
                extra={
                    "event": "health",
                    "part": f"cache:{alias}",
                    "error": type(exc).__name__,
                },
            )
            return False
    return True


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the shared caches answer, 503 otherwise."""
    if database_answers() and caches_answer():
        return JsonResponse({"status": "ok"})
    return JsonResponse({"status": "unavailable"}, status=503)
