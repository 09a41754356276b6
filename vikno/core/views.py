"""Health check, the favicon address and the generic error pages."""

from __future__ import annotations

import time

from django.db import DatabaseError, connection
from django.http import HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe


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


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico on their own: send them to the static SVG icon. Not a permanent
    redirect, since the static address changes with the file's hash in production."""
    return HttpResponseRedirect(static("img/favicon.svg"))
