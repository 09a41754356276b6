"""Complaints go to the center head with a 30-day deadline; overdue ones are highlighted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from vikno.portal.models import Complaint


@pytest.fixture
def complaint(world, client):
    response = client.post(
        "/c/center-a/complaint/", {"name": "Марія", "contact": "maria@example.com", "text": "Довго чекала."}
    )
    assert response.status_code == 200
    return Complaint.objects.get()


def test_complaint_is_due_in_30_days(world, complaint):
    assert complaint.center == world.center_a and complaint.status == "open"
    assert complaint.due_at - complaint.created_at == timedelta(days=30)


def test_bad_contact_is_shown_beside_the_field(world, client):
    response = client.post("/c/center-a/complaint/", {"name": "Марія", "contact": "123", "text": "Текст"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_contact_error"' in html and "Текст" in html
    assert not Complaint.objects.exists()


def test_head_sees_overdue_and_answers(world, client, login_as, complaint):
    Complaint.objects.filter(pk=complaint.pk).update(due_at=timezone.now() - timedelta(days=1))
    login_as(world.head_a)
    html = client.get("/staff/portal/complaints/").content.decode()
    assert "Марія" in html and 'class="overdue"' in html
    response = client.post(f"/staff/portal/complaints/{complaint.pk}/", {"answer": "Вибачте, виправили."})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "answered" and complaint.response == "Вибачте, виправили."
    assert complaint.answered_at is not None
    assert 'class="overdue"' not in client.get("/staff/portal/complaints/").content.decode()


def test_only_heads_and_sysadmins_see_complaints(world, client, login_as, complaint):
    login_as(world.admin_a)
    assert client.get("/staff/portal/complaints/").status_code == 404
    assert client.get(f"/staff/portal/complaints/{complaint.pk}/").status_code == 404
    client.logout()
    login_as(world.sysadmin)
    assert client.get(f"/staff/portal/complaints/{complaint.pk}/").status_code == 200


def test_other_centers_head_gets_404(world, client, login_as, complaint):
    from vikno.core.scoping import Role
    from vikno.testing.fixtures import make_user

    head_b = make_user("head_b", Role.CENTER_HEAD, center=world.center_b)
    login_as(head_b)
    assert "Марія" not in client.get("/staff/portal/complaints/").content.decode()
    assert client.get(f"/staff/portal/complaints/{complaint.pk}/").status_code == 404
