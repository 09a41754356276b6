"""Every operation of the published OpenAPI schema, fed generated requests (schemathesis): valid ones
and ones that break the schema (wrong types, missing fields, strings too long, bad paths).

Whatever comes in, the API answers below 500, and every 4xx is the documented error body
``{"code", "message"}`` with the message in Ukrainian — the quality bar's rule for bad input,
checked for the whole API rather than the cases written by hand elsewhere. Every answer's status is
one the schema lists for the operation, and its body fits the schema given for that status.
"""

from __future__ import annotations

import json
import os
import random
import re

import pytest
import schemathesis
from django.apps import apps
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance
from schemathesis.generation import GenerationMode

from vikno.wsgi import application

CYRILLIC = re.compile(r"[А-Яа-яІіЇїЄєҐґ]")
# Examples per operation: 12 keep the ~70 operations under a minute; a deeper run, e.g.
# ``VIKNO_FUZZ_EXAMPLES=200 VIKNO_FUZZ_USER=sysadmin pytest tests/api/test_fuzz.py``.
EXAMPLES = int(os.environ.get("VIKNO_FUZZ_EXAMPLES", "12"))
USER = os.environ.get("VIKNO_FUZZ_USER", "admin_a")  # a user of the ``world`` fixture


@pytest.fixture
def _keep_connection():
    """The WSGI transport calls the real handler, which closes an unusable or old database connection
    when a request starts and ends; the test's transaction must survive (Django's test client does
    the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(world, _keep_connection):
    _token, key = apps.get_model("accounts", "ApiToken").issue(getattr(world, USER), "fuzz")
    return {"Authorization": f"Bearer {key}"}


def ukrainian_error(ctx, response, case):
    """A 4xx carries the API's error body with a Ukrainian message."""
    if not 400 <= response.status_code < 500:
        return None
    try:
        body = json.loads(response.content or b"null")
    except ValueError:
        raise AssertionError(f"{response.status_code} without a JSON body: {response.content[:200]!r}")
    assert isinstance(body, dict) and "code" in body and "message" in body, f"not the error body: {body!r}"
    assert CYRILLIC.search(body["message"]), f"message not in Ukrainian: {body['message']!r}"
    for error in body.get("errors", []):
        assert CYRILLIC.search(error.get("message", "")), f"field message not in Ukrainian: {error!r}"
    return True


def _load_schema():
    # The schema is built in-process, as /api/v1/openapi.json serves it (pytest-django has set Django
    # up before this module is imported); requests go to the WSGI application itself.
    from vikno.api import api

    loaded = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1"))))
    loaded.app = application
    loaded.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=EXAMPLES,
        deterministic=True,
        database="none",
    )
    return loaded


schema = _load_schema()


@pytest.fixture
def known(world):
    """Path parameters that name existing objects: a registered case of center A and what it uses.
    Three requests in four go to them, so bodies reach the operations' own checks; the rest keep the
    generated values (objects that do not exist, out of scope, malformed)."""
    from vikno.cases.tests.core_factories import make_service, person, register

    applicant = person(world, sms_consent=True, email="olena@example.com", email_consent=True)
    case = register(world, make_service(fee="85", providers=[world.provider_a]), applicant=applicant)
    notification = case.notifications.order_by("pk").first()
    return {
        "number": case.number,
        "position": 1,
        "code": case.service.code,
        "applicant_id": applicant.pk,
        "office_id": world.office_a.pk,
        "center_id": world.center_a.pk,
        "provider_id": world.provider_a.pk,
        **({"notification_id": notification.pk} if notification else {}),
    }


@pytest.mark.django_db
@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), print_blob=True)
def test_no_request_makes_the_api_fail_or_answer_in_english(case, bearer, known):
    if case.path_parameters and random.Random(repr((case.path_parameters, case.body, case.query))).random() < 0.75:
        case.path_parameters.update({k: known[k] for k in case.path_parameters if k in known})
    response = case.call(headers=bearer)
    case.validate_response(
        response, checks=[not_a_server_error, ukrainian_error, status_code_conformance, response_schema_conformance]
    )
