"""E-consultation: a question on the portal, the staff answer queue (scoped), the answer sent through
notify and counted as an online consultation."""

from __future__ import annotations

import pytest

from vikno.cases.models import Consultation
from vikno.notify.models import Notification
from vikno.portal.models import Question

from .citizen_factories import online_service


@pytest.fixture
def question(world, client):
    service = online_service(world)
    response = client.post(
        "/c/center-a/ask/",
        {"name": "Іван", "email": "ivan@example.com", "service": service.code, "text": "Які документи потрібні?"},
    )
    assert response.status_code == 200
    return Question.objects.get()


def test_question_is_stored_for_the_center(world, question):
    assert question.center == world.center_a and question.service is not None
    assert question.channel == "email" and question.answered_at is None


def test_missing_contact_and_text_are_shown_beside_the_fields(client, world):
    response = client.post("/c/center-a/ask/", {"name": "Іван", "text": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_text_error"' in html and 'value="Іван"' in html
    response = client.post("/c/center-a/ask/", {"name": "Іван", "text": "Питання"})
    assert response.status_code == 400
    assert 'id="id_email_error"' in response.content.decode()
    assert not Question.objects.exists()


def test_staff_answers_and_the_answer_is_sent_and_counted(world, client, login_as, question):
    login_as(world.admin_a)
    assert question.name in client.get("/staff/portal/questions/").content.decode()
    response = client.post(f"/staff/portal/questions/{question.pk}/", {"answer": "Паспорт і заява."})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answer == "Паспорт і заява." and question.answered_by_id == world.admin_a.pk
    consultation = Consultation.objects.get(pk=question.consultation_id)
    assert consultation.channel == "online" and consultation.center == world.center_a
    sent = Notification.objects.get(event="consultation_answer")
    assert sent.channel == "email" and sent.recipient == "ivan@example.com" and "Паспорт і заява." in sent.body


def test_empty_answer_is_refused_beside_the_field(world, client, login_as, question):
    login_as(world.admin_a)
    response = client.post(f"/staff/portal/questions/{question.pk}/", {"answer": ""})
    assert response.status_code == 400
    assert 'id="id_answer_error"' in response.content.decode()


def test_other_centers_staff_get_404(world, client, login_as, question):
    login_as(world.admin_b)
    assert question.name not in client.get("/staff/portal/questions/").content.decode()
    assert client.get(f"/staff/portal/questions/{question.pk}/").status_code == 404
    assert client.post(f"/staff/portal/questions/{question.pk}/", {"answer": "x"}).status_code == 404
    client.logout()
    login_as(world.officer_a)
    assert client.get("/staff/portal/questions/").status_code == 404


def test_portal_messages_render_for_both_channels():
    from vikno.notify.rendering import render, sms_segments

    context = {
        "case_number": "1-26-000001",
        "service_name": "Тестова послуга",
        "center_name": "ЦНАП А",
        "answer": "Паспорт і заява.",
        "question": "Які документи?",
    }
    for event in ("online_submitted", "consultation_answer"):
        sms, mail = render(event, "sms", context), render(event, "email", context)
        assert sms.body and "{" not in sms.body and sms_segments(sms.body) <= 2
        assert mail.subject and "{{" not in mail.body
