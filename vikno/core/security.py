"""Security rules shared by the UI and the API."""

from __future__ import annotations

from django.conf import settings


def mfa_satisfied(user) -> bool:
    """Whether a logged-in staff user has passed the second factor (or is excused from it)."""
    if not settings.REQUIRE_MFA:
        return True
    if settings.DEMO_MODE and getattr(user, "demo_mfa_exempt", False):
        return True
    return bool(getattr(user, "is_verified", lambda: False)())
