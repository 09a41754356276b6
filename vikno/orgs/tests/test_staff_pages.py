"""Staff pages: centers list and detail with offices by kind and schedules, schedule editing, providers."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.utils import timezone

from vikno.core.audit import Actor
from vikno.orgs import services
from vikno.orgs.models import ScheduleException


@pytest.fixture
def scheduled(world):
    head = Actor(user=world.head_a)
    services.set_weekly_hours(world.office_a, {3: [(time(8), time(20))], 4: [(time(8), time(16))]}, actor=head)
    services.add_schedule_exception(
        world.office_a,
        date=timezone.localdate() + timedelta(days=3),
        kind="shortened",
        opens=time(8),
        closes=time(13),
        note="Передсвятковий день",
        actor=head,
    )
    return world


@pytest.mark.django_db
def test_center_list_shows_only_the_own_center(login_as, world):
    page = login_as(world.admin_a).get("/staff/orgs/centers/").content.decode()
    assert "ЦНАП А" in page and "ЦНАП Б" not in page


@pytest.mark.django_db
def test_sysadmin_sees_all_centers(login_as, world):
    page = login_as(world.sysadmin).get("/staff/orgs/centers/").content.decode()
    assert "ЦНАП А" in page and "ЦНАП Б" in page


@pytest.mark.django_db
def test_center_detail_groups_offices_by_kind_with_week_and_exceptions(login_as, scheduled):
    world = scheduled
    response = login_as(world.admin_a).get(f"/staff/orgs/centers/{world.center_a.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Головний офіс") < page.index("Віддалене робоче місце (ВРМ)")
    assert "ВРМ А-1" in page
    assert "08:00–20:00" in page  # Thursday until 20:00
    assert "Передсвятковий день" in page and "Скорочений день" in page


@pytest.mark.django_db
def test_head_edits_the_week_through_the_form(login_as, scheduled):
    world = scheduled
    client = login_as(world.head_a)
    url = f"/staff/orgs/offices/{world.office_a.pk}/schedule/"
    form = client.get(url)
    assert form.status_code == 200 and 'value="20:00"' in form.content.decode()
    data = {"slots": "2", "d0_0_opens": "08:00", "d0_0_closes": "12:00", "d0_1_opens": "13:00", "d0_1_closes": "17:00"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert services.weekly_hours(world.office_a) == {0: [(time(8), time(12)), (time(13), time(17))]}


@pytest.mark.django_db
def test_bad_interval_shows_the_message_beside_the_field_and_keeps_the_input(login_as, scheduled):
    world = scheduled
    client = login_as(world.head_a)
    url = f"/staff/orgs/offices/{world.office_a.pk}/schedule/"
    response = client.post(url, {"slots": "2", "d3_0_opens": "20:00", "d3_0_closes": "08:00"})
    assert response.status_code == 400
    form = response.context["week_form"]
    assert form.errors["d3_0_closes"] == ["Четвер: час закриття (08:00) має бути пізніше за час відкриття (20:00)."]
    page = response.content.decode()
    assert 'name="d3_0_opens" value="20:00"' in page and 'name="d3_0_closes" value="08:00"' in page
    assert "aria-invalid" in page
    assert services.weekly_hours(world.office_a)[3] == [(time(8), time(20))]


@pytest.mark.django_db
def test_half_filled_interval_is_pointed_out(login_as, world):
    client = login_as(world.head_a)
    response = client.post(f"/staff/orgs/offices/{world.office_a.pk}/schedule/", {"slots": "2", "d1_0_opens": "09:00"})
    assert response.status_code == 400
    assert "d1_0_closes" in response.context["week_form"].errors


@pytest.mark.django_db
def test_administrator_adds_and_removes_an_exception_but_sees_no_week_form(login_as, world):
    client = login_as(world.admin_a)
    url = f"/staff/orgs/offices/{world.office_a.pk}/schedule/"
    page = client.get(url)
    assert page.context["week_form"] is None
    day = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = client.post(f"/staff/orgs/offices/{world.office_a.pk}/exceptions/", {"date": day, "kind": "closed"})
    assert response.status_code == 302
    exception = ScheduleException.objects.get(office=world.office_a)
    assert client.post(f"/staff/orgs/exceptions/{exception.pk}/remove/").status_code == 302
    assert not ScheduleException.objects.exists()
    assert client.post(url, {"slots": "2", "d0_0_opens": "08:00", "d0_0_closes": "09:00"}).status_code == 403


@pytest.mark.django_db
def test_exception_with_closing_before_opening_is_shown_beside_the_field(login_as, world):
    client = login_as(world.head_a)
    day = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = client.post(
        f"/staff/orgs/offices/{world.office_a.pk}/exceptions/",
        {"date": day, "kind": "special", "opens": "14:00", "closes": "10:00", "note": "Виїзд"},
    )
    assert response.status_code == 400
    form = response.context["exception_form"]
    assert "час закриття (10:00) має бути пізніше" in form.errors["closes"][0]
    assert 'value="Виїзд"' in response.content.decode()
    assert not ScheduleException.objects.exists()


@pytest.mark.django_db
def test_monitor_cannot_open_the_schedule_editor(login_as, world):
    assert login_as(world.monitor_1).get(f"/staff/orgs/offices/{world.office_a.pk}/schedule/").status_code == 404


@pytest.mark.django_db
def test_providers_list_and_detail_for_an_officer(login_as, world):
    client = login_as(world.officer_a)
    page = client.get("/staff/orgs/providers/").content.decode()
    assert "Відділ ДРАЦС А" in page and "Відділ ДРАЦС Б" not in page
    detail = client.get(f"/staff/orgs/providers/{world.provider_a.pk}/")
    assert detail.status_code == 200 and "00032129" in detail.content.decode()
