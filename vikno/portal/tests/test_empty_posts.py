"""A POST with no fields at all shows the required-field errors (it used to leave the form unbound: a 400
with no message), and a GET of the POST-only upload address leads back to the status form."""

from __future__ import annotations

import pytest

from vikno.cases.models import Case
from vikno.portal.models import Complaint, Question

from .citizen_factories import online_service


def _errors(response) -> str:
    assert response.status_code == 400
    return response.content.decode()


def test_an_empty_application_shows_the_required_fields(world, client):
    service = online_service(world)
    html = _errors(client.post(f"/c/center-a/apply/{service.code}/", {}))
    assert 'id="id_last_name_error"' in html and 'id="id_doc_1_error"' in html
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("path", "fields"),
    [("ask", ["name", "text"]), ("complaint", ["name", "contact", "text"]), ("survey", ["score"])],
)
def test_an_empty_question_complaint_or_survey_shows_the_required_fields(world, client, path, fields):
    html = _errors(client.post(f"/c/center-a/{path}/", {}))
    for name in fields:
        assert f'id="id_{name}_error"' in html
    assert not Question.objects.exists() and not Complaint.objects.exists()


def test_an_empty_staff_answer_shows_the_required_field(world, client, login_as):
    from vikno.portal import services

    question = services.ask_question(world.center_a, {"name": "Іван", "email": "ivan@example.com", "text": "Як?"})
    login_as(world.admin_a)
    html = _errors(client.post(f"/staff/portal/questions/{question.pk}/", {}))
    assert 'id="id_answer_error"' in html


@pytest.mark.parametrize("method", ["get", "head"])
def test_opening_the_upload_address_leads_to_the_status_form(client, method):
    response = getattr(client, method)("/status/documents/")
    assert (response.status_code, response["Location"]) == (302, "/status/")
    assert client.get("/status/documents/", follow=True).status_code == 200


def test_other_methods_of_the_upload_address_are_still_refused(client):
    assert client.put("/status/documents/").status_code == 405
