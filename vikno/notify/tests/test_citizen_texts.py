"""What a citizen reads: the SMS fit in few UCS-2 segments even with a long site address and case
number, the emails name the center and where to go without declining its name, and the opt-out link
answers a bad token with a Ukrainian 404 and works without JavaScript."""

from __future__ import annotations

import re

import pytest

from vikno.notify.optout import make_token
from vikno.notify.rendering import render, sms_encoding, sms_segments

LONG_SITE = "https://cnap.kamianets-podilskyi-rada.gov.ua"  # 45 characters: a real-world length
CONTEXT = {
    "case_number": "1234-26-000123",  # the longest number of the format: center 1234, year, sequence
    "service_name": "Державна реєстрація народження фізичної особи та її походження",
    "center_name": "Центр надання адміністративних послуг Кам'янець-Подільської міської ради",
    "center_phone": "+380382123456",
    "office_name": "ЦНАП, головний офіс",
    "office_address": "вул. Соборна, 12",
    "due_date": "15.03.2026",
    "comment": "Додайте копію свідоцтва про шлюб.",
    "refusal_reason": "Подано неповний пакет документів",
    "legal_ground": "ч. 1 ст. 19 Закону України «Про адміністративні послуги»",
    "booking_time": "15.03 о 10:30",
    "booking_code": "Б-042",
}
APPLICANT_EVENTS = [
    "accepted",
    "clarification_needed",
    "result_ready",
    "refused",
    "collect_reminder",
    "online_submitted",
]


@pytest.fixture(autouse=True)
def _long_site(settings):
    settings.PUBLIC_BASE_URL = LONG_SITE


@pytest.mark.parametrize("event", APPLICANT_EVENTS)
def test_applicant_sms_fit_two_ucs2_segments_with_a_long_site(event):
    body = render(event, "sms", CONTEXT).body
    assert sms_encoding(body) == "ucs2"
    assert len(body) <= 2 * 67 and sms_segments(body) <= 2, (len(body), body)
    assert f"№{CONTEXT['case_number']}" in body and f"{LONG_SITE}/status/?number=" in body


def test_the_staff_overdue_sms_is_one_segment():
    body = render("overdue_escalation", "sms", CONTEXT).body
    assert sms_segments(body) == 1, (len(body), body)


@pytest.mark.parametrize("event", ["accepted", "clarification_needed", "result_ready", "refused", "collect_reminder"])
def test_emails_name_the_center_and_where_to_go_without_declining_it(event):
    mail = render(event, "email", CONTEXT)
    text = mail.body
    assert f"{CONTEXT['center_name']}, {CONTEXT['office_address']}." in text
    # a nominative name never follows a preposition that wants another case
    assert not re.search(r"\b(в|у|до)\s+Центр надання", text), text
    assert f"№{CONTEXT['case_number']}" in mail.subject and f"№{CONTEXT['case_number']}" in text
    assert "тел. +380382123456" in text
    assert not re.search(r"\b\d+\b(?!\.)", mail.subject.replace(CONTEXT["case_number"], "")), mail.subject


def test_the_refusal_gives_the_reason_and_the_legal_ground():
    text = render("refused", "email", CONTEXT).body
    assert "Причина: Подано неповний пакет документів" in text
    assert "Підстава: ч. 1 ст. 19 Закону України «Про адміністративні послуги»" in text
    assert "оскаржити" in text


def test_the_reminder_says_since_when_the_result_waits():
    text = render("collect_reminder", "email", {**CONTEXT, "result_ready_at": "01.03.2026"}).body
    assert "готовий з 01.03.2026 і очікує на Вас" in text


def test_the_refusal_reminder_asks_for_the_decision_and_fits_two_segments():
    refusal = {**CONTEXT, "result_ready_at": "01.03.2026", "is_refusal": True}
    sms = render("collect_reminder", "sms", refusal).body
    assert sms_encoding(sms) == "ucs2" and len(sms) <= 2 * 67 and sms_segments(sms) <= 2, (len(sms), sms)
    assert sms.startswith("ЦНАП: заберіть рішення за зверненням №1234-26-000123.") and "результат" not in sms
    mail = render("collect_reminder", "email", refusal)
    assert mail.subject == "Нагадування: заберіть рішення про відмову за зверненням №1234-26-000123"
    assert "Рішення про відмову за зверненням №1234-26-000123 щодо послуги «Державна реєстрація" in mail.body
    assert "готове з 01.03.2026 і очікує на Вас" in mail.body and "оскаржити" in mail.body
    assert f"{CONTEXT['center_name']}, {CONTEXT['office_address']}." in mail.body
    assert "Результат" not in mail.body
    # without the flag it is the result's reminder, as before
    assert "заберіть результат" in render("collect_reminder", "sms", CONTEXT).body
    assert "оскаржити" not in render("collect_reminder", "email", CONTEXT).body


def test_the_signature_keeps_the_opt_out_link_unescaped():
    url = f"{LONG_SITE}/notify/opt-out/a&b/"
    text = render("result_ready", "email", {**CONTEXT, "opt_out_url": url}).body
    assert url in text and "&amp;" not in text


@pytest.mark.django_db
def test_a_bad_opt_out_link_is_a_ukrainian_404(client):
    for token in ["nonsense", make_token("email", "olena@example.ua")[:-4] + "AAAA"]:
        response = client.get(f"/notify/opt-out/{token}/")
        assert response.status_code == 404
        assert "Посилання для відмови від повідомлень недійсне" in response.content.decode()
    client.cookies["django_language"] = "en"
    english = client.get("/notify/opt-out/nonsense/")
    assert english.status_code == 404 and "invalid" in english.content.decode()


@pytest.mark.django_db
def test_the_opt_out_page_is_a_plain_form(client):
    page = client.get(f"/notify/opt-out/{make_token('email', 'olena@example.ua')}/").content.decode()
    assert re.search(r'<form method="post">\s*<button type="submit">', page)
    assert "<h1>" in page and 'lang="uk"' in page
