"""``GET /healthz``: can this server serve? Asked by load balancers and orchestrators.

The answer is 200 ``{"status": "ok"}`` when the database and the cache both answer,
503 ``{"status": "unavailable"}`` otherwise, and says nothing more: no versions,
no hosts, no error messages. The cause of a failure goes to the log.
"""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

PROBE_KEY = "healthz"


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


def cache_answers() -> bool:
    try:
        cache.get(PROBE_KEY)
    except Exception as exc:  # any failure of any backend means "not ready"
        logger.error(
            "health check failed",
            extra={"event": "health", "part": "cache", "error": type(exc).__name__},
        )
        return False
    return True


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the cache answer, 503 otherwise."""
    if database_answers() and cache_answers():
        return JsonResponse({"status": "ok"})
    return JsonResponse({"status": "unavailable"}, status=503)
