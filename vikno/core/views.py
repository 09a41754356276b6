"""Health check and the generic error pages."""

from __future__ import annotations

import time

from django.db import DatabaseError, connection
from django.http import JsonResponse


def healthz(request):
    """200 with the database round-trip time, or 503 when the database does not answer."""
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return JsonResponse(
            {
                "status": "unavailable",
                "code": "database_unavailable",
                "message": "База даних недоступна.",
                "detail": exc.__class__.__name__,
            },
            status=503,
        )
    return JsonResponse({"status": "ok", "database_ms": round((time.perf_counter() - started) * 1000, 2)})
