"""API authentication: bearer tokens for machine clients, the session for staff in a browser."""

from __future__ import annotations

from django.apps import apps
from ninja.security import HttpBearer, SessionAuth

from .security import mfa_satisfied


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = apps.get_model("accounts", "ApiToken").authenticate(token)
        if user is not None:
            request.user = user
        return user


class StaffSessionAuth(SessionAuth):
    """The Django session, with the second factor passed when it is required."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None and mfa_satisfied(user):
            return user
        return None


staff_auth = [TokenAuth(), StaffSessionAuth()]
