"""The signed opt-out link in emails records the opt-out; later notifications respect it."""

from __future__ import annotations

import pytest

from vikno.core.models import AuditEvent
from vikno.notify import services
from vikno.notify.models import OptOut, Status
from vikno.notify.optout import make_token

from .conftest import CONTEXT

pytestmark = pytest.mark.django_db


def _path(address="olena@example.ua"):
    return f"/notify/opt-out/{make_token('email', address)}/"


def test_get_asks_post_records(client):
    (waiting,) = services.enqueue(event="accepted", context=CONTEXT, email="olena@example.ua", email_allowed=True)

    page = client.get(_path())
    assert page.status_code == 200
    assert "ol" in page.content.decode() and "olena@example.ua" not in page.content.decode()
    assert not OptOut.objects.exists()

    done = client.post(_path())
    assert done.status_code == 200
    assert OptOut.objects.filter(channel="email", address="olena@example.ua").exists()
    assert AuditEvent.objects.filter(action="notify.opted_out").exists()
    waiting.refresh_from_db()
    assert waiting.status == Status.CANCELLED

    (later,) = services.enqueue(event="result_ready", context=CONTEXT, email="Olena@example.ua", email_allowed=True)
    assert later.status == Status.CANCELLED
    assert client.post(_path()).status_code == 200  # twice is harmless
    assert OptOut.objects.count() == 1


def test_a_forged_token_is_refused(client):
    token = make_token("email", "olena@example.ua")
    response = client.post(f"/notify/opt-out/{token[:-3]}abc/")
    assert response.status_code == 404
    assert not OptOut.objects.exists()


def test_sms_still_goes_to_an_applicant_who_opted_out_of_email():
    services.opt_out("email", "olena@example.ua")
    sms, mail = services.enqueue(
        event="accepted",
        context=CONTEXT,
        phone="+380501234567",
        email="olena@example.ua",
        sms_allowed=True,
        email_allowed=True,
    )
    assert (sms.status, mail.status) == (Status.QUEUED, Status.CANCELLED)
