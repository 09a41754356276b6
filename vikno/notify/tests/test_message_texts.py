"""Every event has an SMS and an email in Ukrainian; the main SMS fit in one or two segments."""

from __future__ import annotations

import pytest

from vikno.notify.models import Event
from vikno.notify.rendering import REQUIRED, render, sms_segments

CONTEXT = {
    "case_number": "VIN-2025-000123",
    "service_name": "Державна реєстрація народження фізичної особи та її походження",
    "center_name": "Центр надання адміністративних послуг Вінницької міської ради",
    "due_date": "15.03.2025",
    "office_name": "ВРМ с. Якушинці",
    "booking_time": "15.03 о 10:30",
    "booking_code": "Б-042",
    "answer": "Потрібні паспорт і заява.",
}
MAIN = ["accepted", "clarification_needed", "result_ready", "refused", "collect_reminder"]


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.PUBLIC_BASE_URL = "https://vinnytsia.vikno.gov.ua"


@pytest.mark.parametrize("event", Event.values)
def test_every_event_renders_for_both_channels(event):
    assert set(REQUIRED) == set(Event.values)
    sms = render(event, "sms", CONTEXT)
    mail = render(event, "email", CONTEXT)
    assert sms.subject == "" and "\n" not in sms.body and "{" not in sms.body
    assert mail.subject and "\n" not in mail.subject
    assert "{{" not in mail.body and "{%" not in mail.body
    assert sms_segments(sms.body) <= 2, sms.body


@pytest.mark.parametrize("event", MAIN)
def test_applicant_messages_link_to_the_status_page(event):
    url = "https://vinnytsia.vikno.gov.ua/status/?number=VIN-2025-000123"
    assert url in render(event, "sms", CONTEXT).body
    assert url in render(event, "email", CONTEXT).body
    assert CONTEXT["service_name"] in render(event, "email", CONTEXT).body


def test_segment_count():
    assert sms_segments("a" * 160) == 1
    assert sms_segments("a" * 161) == 2
    assert sms_segments("я" * 70) == 1
    assert sms_segments("я" * 71) == 2
    assert sms_segments("я" * 134) == 2
    assert sms_segments("я" * 135) == 3
    assert sms_segments("{" * 80) == 1
    assert sms_segments("{" * 81) == 2


def test_email_carries_the_opt_out_link_when_given():
    body = render("accepted", "email", {**CONTEXT, "opt_out_url": "https://x.ua/notify/opt-out/t/"}).body
    assert "https://x.ua/notify/opt-out/t/" in body
    assert "opt-out" not in render("accepted", "email", CONTEXT).body
