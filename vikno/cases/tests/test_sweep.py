"""The daily sweep: escalation of overdue cases to the center head and reminders to collect results and
refusal decisions."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from vikno.cases import deadlines
from vikno.cases.models import Case, CaseEvent, Status
from vikno.cases.tests.deadline_factories import applicant, kyiv, make_case
from vikno.core.models import AuditEvent
from vikno.notify.models import Notification
from vikno.testing.fixtures import make_user

NOW = kyiv(2025, 9, 8, 6)


@pytest.fixture
def heads(world):
    world.head_a.email = "head.a@cnap.example.ua"
    world.head_a.save(update_fields=["email"])
    make_user("head_a2", "center_head", center=world.center_a)  # no email: nobody to write to
    return world


def test_overdue_cases_are_escalated_once(heads):
    world = heads
    late = make_case(world, due_at=kyiv(2025, 9, 5, 23, 59, 59))
    late_b = make_case(world, center=world.center_b, due_at=kyiv(2025, 9, 5, 23, 59, 59))
    on_time = make_case(world, due_at=kyiv(2025, 9, 8, 23, 59, 59))
    closed = make_case(world, due_at=kyiv(2025, 9, 1, 23, 59, 59), status=Status.ISSUED)
    suspended = make_case(world, due_at=kyiv(2025, 9, 1, 23, 59, 59), suspended_since=kyiv(2025, 8, 28, 9))

    report = deadlines.sweep(NOW)

    assert (report.escalated, report.escalation_notices) == (2, 1)
    assert Case.objects.get(pk=late.pk).escalated_at == NOW
    assert Case.objects.get(pk=late_b.pk).escalated_at == NOW  # center B has no head: marked, nobody notified
    for untouched in (on_time, closed, suspended):
        assert Case.objects.get(pk=untouched.pk).escalated_at is None
    notice = Notification.objects.get(event="overdue_escalation")
    assert (notice.recipient, notice.channel, notice.case_id) == ("head.a@cnap.example.ua", "email", late.pk)
    assert late.number in notice.body and "05.09.2025" in notice.body
    assert CaseEvent.objects.filter(case=late, action="overdue_escalated", visible_to_applicant=False).exists()
    assert AuditEvent.objects.filter(action="cases.overdue_escalated", object_id=str(late.pk)).exists()

    again = deadlines.sweep(NOW + timedelta(hours=1))
    assert (again.escalated, again.escalation_notices) == (0, 0)
    assert Notification.objects.filter(event="overdue_escalation").count() == 1

    next_day = deadlines.sweep(NOW + timedelta(days=1))  # only the case due on 08.09 is new
    assert (next_day.escalated, next_day.escalation_notices) == (1, 1)
    assert Notification.objects.filter(event="overdue_escalation", case_id=on_time.pk).count() == 1


def test_uncollected_results_are_reminded_once(world, settings):
    settings.UNCOLLECTED_REMINDER_DAYS = 14
    person = applicant(world.center_a, phone="+380671112233", sms_consent=True)
    waiting = make_case(world, status=Status.RESULT_READY, result_ready_at=NOW - timedelta(days=15), person=person)
    recent = make_case(world, status=Status.RESULT_READY, result_ready_at=NOW - timedelta(days=13))
    issued = make_case(world, status=Status.ISSUED, result_ready_at=NOW - timedelta(days=30))

    report = deadlines.sweep(NOW)

    assert (report.reminded, report.reminder_notices) == (1, 1)
    assert Case.objects.get(pk=waiting.pk).uncollected_reminded_at == NOW
    assert Case.objects.get(pk=recent.pk).uncollected_reminded_at is None
    assert Case.objects.get(pk=issued.pk).uncollected_reminded_at is None
    notice = Notification.objects.get(event="collect_reminder")
    assert (notice.recipient, notice.channel, notice.case_id) == ("+380671112233", "sms", waiting.pk)

    assert deadlines.sweep(NOW).reminded == 0
    later = deadlines.sweep(NOW + timedelta(days=2))
    assert later.reminded == 1  # the second case has now waited long enough
    assert Notification.objects.filter(event="collect_reminder", case_id=waiting.pk).count() == 1


def test_uncollected_refusals_are_reminded_once_in_their_own_words(world, settings):
    settings.UNCOLLECTED_REMINDER_DAYS = 14
    person = applicant(world.center_a, phone="+380671112233", email="olena@example.ua", email_consent=True)
    refused = make_case(world, status=Status.REFUSED, result_ready_at=NOW - timedelta(days=15), person=person)
    ready = make_case(world, status=Status.RESULT_READY, result_ready_at=NOW - timedelta(days=20))
    recent = make_case(world, status=Status.REFUSED, result_ready_at=NOW - timedelta(days=13))
    handed_out = make_case(world, status=Status.REFUSAL_ISSUED, result_ready_at=NOW - timedelta(days=30))

    report = deadlines.sweep(NOW)

    assert (report.reminded, report.reminder_notices) == (2, 2)
    assert Case.objects.get(pk=refused.pk).uncollected_reminded_at == NOW
    assert Case.objects.get(pk=ready.pk).uncollected_reminded_at == NOW
    for untouched in (recent, handed_out):
        assert Case.objects.get(pk=untouched.pk).uncollected_reminded_at is None
    sms = Notification.objects.get(event="collect_reminder", case_id=refused.pk, channel="sms")
    assert sms.recipient == "+380671112233"
    assert sms.body.startswith(f"ЦНАП: заберіть рішення за зверненням №{refused.number}.")
    mail = Notification.objects.get(event="collect_reminder", case_id=refused.pk, channel="email")
    assert mail.subject == f"Нагадування: заберіть рішення про відмову за зверненням №{refused.number}"
    assert "Рішення про відмову" in mail.body and "готове з 24.08.2025" in mail.body
    result = Notification.objects.get(event="collect_reminder", case_id=ready.pk)
    assert result.body.startswith(f"ЦНАП: заберіть результат за зверненням №{ready.number}.")
    assert CaseEvent.objects.filter(case=refused, action="collect_reminded", visible_to_applicant=False).exists()
    assert AuditEvent.objects.filter(action="cases.collect_reminded", object_id=str(refused.pk)).exists()

    assert deadlines.sweep(NOW + timedelta(hours=1)).reminded == 0
    later = deadlines.sweep(NOW + timedelta(days=2))
    assert later.reminded == 1  # the recent refusal has now waited long enough
    assert Notification.objects.filter(event="collect_reminder", case_id=refused.pk).count() == 2  # SMS and email
    assert Notification.objects.filter(event="collect_reminder", case_id=recent.pk).count() == 1


def test_a_result_ready_case_past_its_due_time_is_not_escalated(heads):
    case = make_case(
        heads, status=Status.RESULT_READY, due_at=kyiv(2025, 9, 1, 23, 59, 59), result_ready_at=kyiv(2025, 9, 1, 12)
    )
    assert deadlines.sweep(NOW).escalated == 0
    assert Case.objects.get(pk=case.pk).escalated_at is None


def test_periodic_task_and_command_run_the_sweep(world):
    from procrastinate.contrib.django import app

    from vikno.cases import tasks

    periodic = app.periodic_registry.periodic_tasks[("cases.sweep_deadlines", "daily")]
    assert periodic.cron == "0 6 * * *"
    assert tasks.sweep_deadlines.queueing_lock == "cases.sweep_deadlines"

    late = make_case(world, due_at=kyiv(2025, 9, 5, 23, 59, 59))
    out = StringIO()
    call_command("sweep_deadlines", "--now", "2025-09-08T06:00", stdout=out)
    assert "escalated 1 overdue case(s)" in out.getvalue()
    assert Case.objects.get(pk=late.pk).escalated_at == NOW

    assert "escalated 0" in tasks.sweep_deadlines(int(NOW.timestamp()))


def test_command_refuses_a_bad_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("sweep_deadlines", "--now", "вчора")


def test_a_case_notify_refuses_does_not_stop_the_others(heads):
    from vikno.catalog.models import ServiceVersion

    broken = make_case(heads, due_at=kyiv(2025, 9, 4, 23, 59, 59))
    ServiceVersion.objects.filter(pk=broken.service_version_id).update(name_uk="")  # a required key is empty
    fine = make_case(heads, due_at=kyiv(2025, 9, 5, 23, 59, 59))

    report = deadlines.sweep(NOW)

    assert (report.escalated, report.failed) == (1, 1)
    assert Case.objects.get(pk=broken.pk).escalated_at is None  # rolled back, tried again next time
    assert Case.objects.get(pk=fine.pk).escalated_at == NOW


def test_a_backlog_of_old_decisions_is_not_reminded(world, settings):
    """The first sweep after an upgrade does not text everyone whose decision has waited for months."""
    settings.UNCOLLECTED_REMINDER_DAYS = 14
    settings.UNCOLLECTED_REMINDER_WINDOW_DAYS = 30
    in_window = make_case(world, status=Status.REFUSED, result_ready_at=NOW - timedelta(days=43))
    too_old = make_case(world, status=Status.RESULT_READY, result_ready_at=NOW - timedelta(days=45))

    report = deadlines.sweep(NOW)

    assert report.reminded == 1
    assert Case.objects.get(pk=in_window.pk).uncollected_reminded_at == NOW
    assert Case.objects.get(pk=too_old.pk).uncollected_reminded_at is None
    assert deadlines.is_uncollected(Case.objects.get(pk=too_old.pk), NOW)  # still flagged for the staff
