"""Helpers for the orgs tests: API calls with a real bearer token."""

from __future__ import annotations

import json

import pytest
from django.apps import apps


@pytest.fixture
def api(client):
    """``api(user).get(path)`` / ``.post(path, data)`` / ``.put(path, data)`` with a token of ``user``."""

    class Caller:
        def __init__(self, user):
            _token, key = apps.get_model("accounts", "ApiToken").issue(user, "test")
            self.headers = {"Authorization": f"Bearer {key}"}

        def get(self, path, **params):
            return client.get(f"/api/v1{path}", params, headers=self.headers)

        def post(self, path, data):
            return client.post(
                f"/api/v1{path}", json.dumps(data), content_type="application/json", headers=self.headers
            )

        def put(self, path, data):
            return client.put(f"/api/v1{path}", json.dumps(data), content_type="application/json", headers=self.headers)

    return Caller
