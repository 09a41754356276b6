"""Staff session rules: end idle sessions and hold a password-only login at the second-factor step."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect

from vikno.core.security import mfa_satisfied

# Paths a logged-in user who has not passed the second factor may still open.
MFA_OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/api/", "/i18n/")


class StaffSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last = request.session.get("last_seen")
            idle_limit = settings.SESSION_IDLE_TIMEOUT * 60
            if last is not None and now - last > idle_limit:
                logout(request)
                return redirect(f"{settings.LOGIN_URL_PATH}?next={request.path}&idle=1")
            request.session["last_seen"] = now
            if not mfa_satisfied(user) and not request.path.startswith(MFA_OPEN_PREFIXES):
                return redirect("accounts:verify")
        return self.get_response(request)
