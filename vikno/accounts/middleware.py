"""Staff session rules: end idle sessions and hold a password-only login at the second-factor step."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from vikno.core.audit import actor_from_request, record
from vikno.core.security import mfa_satisfied

# Paths a logged-in user who has not passed the second factor may still open. The API answers
# 401 itself (its session auth asks for the second factor too).
MFA_OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/api/", "/i18n/")
LAST_SEEN_KEY = "last_seen"


class StaffSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last = request.session.get(LAST_SEEN_KEY)
            if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT * 60:
                record(actor_from_request(request), "logout.idle", user, data={"idle_seconds": now - last})
                logout(request)
                return redirect(f"{settings.LOGIN_URL_PATH}?{urlencode({'next': request.get_full_path(), 'idle': 1})}")
            request.session[LAST_SEEN_KEY] = now
            if not mfa_satisfied(user) and not request.path.startswith(MFA_OPEN_PREFIXES):
                return redirect(f"{reverse('accounts:verify')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
