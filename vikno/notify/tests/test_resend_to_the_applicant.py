"""Staff "send again" on a message of a case: it follows the applicant's card as it is now. Without their
consent to the channel nothing is sent (409 ``no_consent``); a changed phone or email gets the copy; a
press twice still sends once; a message to staff is repeated to the same address."""

from __future__ import annotations

import pytest
from django.apps import apps

from vikno.core.audit import Actor
from vikno.core.errors import Conflict, DomainError
from vikno.core.models import AuditEvent
from vikno.notify import services
from vikno.notify.models import Notification, Status
from vikno.notify.optout import read_token

from .conftest import CONTEXT, make_case

pytestmark = pytest.mark.django_db


def _sent(case, *, channel="sms", address="+380501234567", event="accepted", context=None):
    """A message of ``case`` already delivered."""
    to = {"phone": address, "sms_allowed": True} if channel == "sms" else {"email": address, "email_allowed": True}
    (row,) = services.enqueue(event=event, context=context or CONTEXT, case_id=case.pk, center_id=case.center_id, **to)
    Notification.objects.filter(pk=row.pk).update(status=Status.SENT)
    row.refresh_from_db()
    return row


def _card(case, **fields):
    """Change the applicant's card as it stands in the database."""
    apps.get_model("cases", "Applicant").objects.filter(pk=case.applicant_id).update(**fields)


@pytest.fixture
def case(world):
    return make_case(world)


def test_no_resend_once_the_applicant_withdrew_consent(world, case):
    row = _sent(case)
    _card(case, sms_consent=False)
    audited = AuditEvent.objects.count()

    with pytest.raises(Conflict) as refused:
        services.resend(row, actor=Actor(user=world.admin_a))

    assert refused.value.code == "no_consent"
    assert "Заявник відкликав згоду на повідомлення цим каналом" in refused.value.message
    assert Notification.objects.count() == 1 and AuditEvent.objects.count() == audited
    assert services.resend_targets([row]) == {}


def test_the_api_refuses_without_consent_in_ukrainian(world, login_as, case):
    row = _sent(case)
    _card(case, sms_consent=False)
    answer = login_as(world.admin_a).post(f"/api/v1/notifications/{row.pk}/resend")
    assert answer.status_code == 409
    assert answer.json()["code"] == "no_consent"
    assert answer.json()["message"].startswith("Заявник відкликав згоду")
    assert Notification.objects.count() == 1


def test_consent_to_the_other_channel_does_not_count(world, case):
    row = _sent(case)
    _card(case, sms_consent=False, email="olena@example.ua", email_consent=True)
    with pytest.raises(Conflict, match="відкликав згоду"):
        services.resend(row, actor=Actor(user=world.admin_a))


def test_a_new_phone_gets_the_copy_and_the_audit_names_both(world, login_as, case):
    row = _sent(case)
    _card(case, phone="+380671112233")
    assert services.resend_targets([row]) == {row.pk: "+380671112233"}

    answer = login_as(world.admin_a).post(f"/api/v1/notifications/{row.pk}/resend")

    assert answer.status_code == 201, answer.content
    data = answer.json()
    assert data["recipient"] == "+380671112233" and data["original_id"] == row.pk
    copy = Notification.objects.get(pk=data["id"])
    assert copy.body == row.body and copy.status == Status.QUEUED
    event = AuditEvent.objects.get(action="notify.resent", object_id=str(copy.pk))
    assert event.data["old_recipient"] == "+380501234567" and event.data["new_recipient"] == "+380671112233"


def test_the_same_number_written_otherwise_is_no_change(world, case):
    row = _sent(case)
    _card(case, phone="050 123 45 67")  # normalised, it is the original's number
    copy = services.resend(row, actor=Actor(user=world.admin_a))
    assert copy.recipient == "+380501234567"
    event = AuditEvent.objects.get(action="notify.resent", object_id=str(copy.pk))
    assert "old_recipient" not in event.data and "new_recipient" not in event.data


def test_pressing_twice_after_the_address_changed_sends_once(world, case):
    row = _sent(case)
    _card(case, phone="+380671112233")
    actor = Actor(user=world.admin_a)
    copy = services.resend(row, actor=actor)

    with pytest.raises(Conflict) as second:
        services.resend(row, actor=actor)  # the original again: its family now holds the new address too
    assert second.value.code == "resend_pending"

    Notification.objects.filter(pk=copy.pk).update(status=Status.SENT)
    with pytest.raises(Conflict) as third:
        services.resend(copy, actor=actor)  # the copy itself: the same press
    assert third.value.code == "resend_pending"
    assert Notification.objects.filter(original__isnull=False).count() == 1
    assert AuditEvent.objects.filter(action="notify.resent").count() == 1


def test_an_email_copy_to_a_new_address_unsubscribes_that_address(world, case):
    _card(case, email="olena@example.ua", email_consent=True)
    row = _sent(case, channel="email", address="olena@example.ua")
    assert "/notify/opt-out/" in row.body
    _card(case, email="Olena.Nova@Example.UA")

    copy = services.resend(row, actor=Actor(user=world.admin_a))

    assert copy.recipient == "olena.nova@example.ua" and copy.subject == row.subject
    token = copy.body.split("/notify/opt-out/")[1].split("/")[0]
    assert read_token(token) == ("email", "olena.nova@example.ua")
    before, after = row.body.split("/notify/opt-out/"), copy.body.split("/notify/opt-out/")
    assert before[0] == after[0] and before[1].split("/", 1)[1] == after[1].split("/", 1)[1]  # the rest is the same
    with pytest.raises(Conflict, match="щойно вже надіслано повторно"):
        services.resend(row, actor=Actor(user=world.admin_a))  # the links differ, the message is the same


def test_an_address_that_cannot_work_is_neither_offered_nor_sent(world, case):
    row = _sent(case)
    _card(case, phone="+380432555555")  # a landline: no SMS reaches it
    assert services.resend_targets([row]) == {}
    with pytest.raises(DomainError) as refused:
        services.resend(row, actor=Actor(user=world.admin_a))
    assert (refused.value.code, refused.value.field) == ("not_mobile", "recipient")

    _card(case, phone="+380671112233")
    services.opt_out("sms", "+380671112233")
    assert services.resend_targets([row]) == {}
    with pytest.raises(Conflict) as opted_out:
        services.resend(row, actor=Actor(user=world.admin_a))
    assert opted_out.value.code == "opted_out"
    assert Notification.objects.count() == 1


def test_targets_leave_out_what_waits_or_was_never_composed(world, case):
    sent = _sent(case)
    waiting = _sent(case, event="result_ready")
    Notification.objects.filter(pk=waiting.pk).update(status=Status.QUEUED)
    empty = _sent(case, event="refused")
    Notification.objects.filter(pk=empty.pk).update(status=Status.CANCELLED, body="")
    rows = list(Notification.objects.filter(case_id=case.pk))
    assert len(rows) == 3
    assert services.resend_targets(rows) == {sent.pk: "+380501234567"}


def test_a_message_to_staff_is_repeated_to_the_same_address(world, case):
    # the applicant agrees to nothing by email: that is not what decides a message to the head
    row = _sent(
        case,
        channel="email",
        address="head.a@cnap.example.ua",
        event="overdue_escalation",
        context={**CONTEXT, "due_date": "05.09.2025"},
    )
    _card(case, sms_consent=False, email="olena@example.ua", email_consent=False)
    assert services.resend_targets([row]) == {row.pk: "head.a@cnap.example.ua"}
    copy = services.resend(row, actor=Actor(user=world.admin_a))
    assert copy.recipient == "head.a@cnap.example.ua" and copy.body == row.body


def test_a_message_without_a_case_goes_to_its_own_address(world):
    booking = {"office_name": "ЦНАП А", "booking_time": "15.03 о 10:30", "booking_code": "Б-042"}
    (row,) = services.enqueue(
        event="booking_confirmed", context={**CONTEXT, **booking}, phone="+380501234567", sms_allowed=True
    )
    Notification.objects.filter(pk=row.pk).update(status=Status.SENT)
    copy = services.resend(row, actor=Actor(user=world.admin_a))
    assert copy.recipient == "+380501234567"
