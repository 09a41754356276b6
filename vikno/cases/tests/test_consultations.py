"""Consultations are counted per office, by the center's staff only."""

from __future__ import annotations

import pytest

from vikno.cases import services
from vikno.cases.models import Consultation
from vikno.core.audit import Actor
from vikno.core.errors import DomainError, NotFound, PermissionDenied

from .core_factories import make_service


@pytest.mark.django_db
def test_record_consultation(world):
    service = make_service()
    consultation = services.record_consultation(office=world.remote_a, actor=Actor(user=world.admin_a), service=service)
    assert consultation.center == world.center_a and consultation.region_id == world.r1.pk
    services.record_consultation(office=world.office_a, actor=Actor(user=world.head_a), topic="Графік роботи")
    assert Consultation.objects.visible_to(world.admin_a).count() == 2
    assert Consultation.objects.visible_to(world.admin_b).count() == 0


@pytest.mark.django_db
def test_consultation_bad_input_and_scope(world):
    with pytest.raises(DomainError) as exc:
        services.record_consultation(office=world.office_a, actor=Actor(user=world.admin_a))
    assert exc.value.code == "topic_required"
    with pytest.raises(DomainError):
        services.record_consultation(office=world.office_a, actor=Actor(user=world.admin_a), topic="x", channel="fax")
    with pytest.raises(NotFound):
        services.record_consultation(office=world.office_a, actor=Actor(user=world.admin_b), topic="x")
    with pytest.raises(PermissionDenied):
        services.record_consultation(office=world.office_a, actor=Actor(user=world.monitor_1), topic="x")
    assert Consultation.objects.count() == 0


def test_the_consultations_page_lists_the_day_with_counts_and_records_one_more(world, login_as, client):
    service = make_service()
    services.record_consultation(office=world.office_a, actor=Actor(user=world.admin_a), service=service)
    services.record_consultation(
        office=world.office_a, actor=Actor(user=world.admin_a), topic="Графік роботи", channel="phone"
    )
    admin = login_as(world.admin_a)
    page = admin.get("/staff/cases/consultations/")
    assert page.status_code == 200
    html = page.content.decode()
    assert service.code in html and "Графік роботи" in html and "Телефоном" in html
    assert 'name="consultation-service"' in html
    # a code typed in lower case with spaces is the same service
    recorded = admin.post(
        "/staff/cases/consultation/",
        {
            "consultation-service": f" {service.code.lower()} ",
            "consultation-channel": "in_person",
            "next": "/staff/cases/consultations/",
        },
    )
    assert recorded.status_code == 302 and recorded["Location"] == "/staff/cases/consultations/"
    assert Consultation.objects.filter(service=service).count() == 2
    done = admin.get("/staff/cases/consultations/").content.decode()
    assert '<p class="message success" role="status">' in done  # a confirmation is a status…
    # a wrong code gets one message, not a second one asking for a code or topic
    admin.post("/staff/cases/consultation/", {"consultation-service": "NOPE-1", "consultation-channel": "phone"})
    after = admin.get("/staff/cases/consultations/").content.decode()
    assert "Немає чинної послуги з таким кодом" in after
    assert '<p class="message error" role="alert">' in after  # …a refusal an alert, read out on arrival
    assert "Зазначте код послуги або тему" not in after
    # another day; another center sees nothing of ours
    assert "Графік роботи" not in admin.get("/staff/cases/consultations/?day=2020-01-01").content.decode()
    client.logout()
    assert "Графік роботи" not in login_as(world.admin_b).get("/staff/cases/consultations/").content.decode()


@pytest.mark.parametrize("page", ["/staff/", "/staff/cases/", "/staff/cases/consultations/"])
def test_a_turned_down_consultation_comes_back_filled_in(world, login_as, page):
    admin = login_as(world.admin_a)
    typed = {"consultation-service": "XYZ-999", "consultation-topic": "Субсидія на житло", "next": page}
    admin.post("/staff/cases/consultation/", {**typed, "consultation-channel": "phone"})
    html = admin.get(page).content.decode()
    assert 'value="XYZ-999"' in html and 'value="Субсидія на житло"' in html
    assert '<option value="phone" selected>' in html
    assert Consultation.objects.count() == 0
    # shown once: the next visit has an empty form again
    again = admin.get(page).content.decode()
    assert 'value="XYZ-999"' not in again and "Субсидія на житло" not in again
