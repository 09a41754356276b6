"""A public hello-world endpoint: the baseline the load benchmarks compare real operations with.

``GET /api/v1/ping`` needs no authentication and touches no database; it measures what the stack
(server, middleware, django-ninja) costs by itself.
"""

from __future__ import annotations

from ninja import Field, Router, Schema

router = Router(tags=["health"])


class PingOut(Schema):
    ok: bool = Field(True, description="Always true: the application answers.", examples=[True])


@router.get(
    "/ping",
    response=PingOut,
    auth=None,
    summary="Liveness check without the database",
    description='Answers `{"ok": true}` without authentication and without touching the database. '
    "Used as the hello-world baseline of the load benchmarks (bench/case_load.py).",
)
def ping(request):
    return {"ok": True}
