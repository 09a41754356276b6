"""Approved service lists (переліки) of centers: scoped pages, per-year counts, creation, isolation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from vikno.catalog.models import ServiceList, ServiceListEntry
from vikno.testing.fixtures import login

from .test_ui_data import make_service, sphere

INDEX = "/staff/catalog/lists/"
NEW = "/staff/catalog/lists/new/"


def _client(user) -> Client:
    client = Client()
    login(client, user)
    return client


def _approve(center, number, valid_from, services):
    service_list = ServiceList.objects.create(
        center=center, decision_number=number, decision_date=valid_from, valid_from=valid_from
    )
    for position, service in enumerate(services, 1):
        ServiceListEntry.objects.create(service_list=service_list, service=service, position=position)
    return service_list


@pytest.fixture
def lists(world):
    group = sphere()
    s1 = make_service("RMP-001", "Декларування місця проживання", sphere_obj=group)
    s2 = make_service("RMP-002", "Реєстрація місця проживання", sphere_obj=group)
    s3 = make_service("RMP-003", "Зняття з реєстрації місця проживання", sphere_obj=group)
    a_old = _approve(world.center_a, "12/3", dt.date(2024, 2, 1), [s1, s2])
    a_new = _approve(world.center_a, "45/7", dt.date(2025, 3, 1), [s1, s2, s3])
    b = _approve(world.center_b, "99-Б", dt.date(2025, 1, 15), [s3])
    return a_old, a_new, b


def test_center_staff_see_their_center_only(lists, world, login_as):
    html = login_as(world.admin_a).get(INDEX).content.decode()
    assert "ЦНАП А" in html and "№ 12/3" in html and "№ 45/7" in html
    assert "ЦНАП Б" not in html and "99-Б" not in html
    assert "New list" not in html and "/lists/new/" not in html  # administrators do not create lists


def test_per_year_counts(lists, world, login_as):
    html = login_as(world.head_a).get(INDEX).content.decode()
    # 2024: 2 services, 2025: 3 services (service_counts_by_year), shown in a table with headers
    assert "<td>2024</td><td>2</td>" in html and "<td>2025</td><td>3</td>" in html
    assert 'scope="col"' in html
    assert "/lists/new/" in html


def test_oblast_monitor_sees_region_and_sysadmin_all(lists, world, login_as):
    html = login_as(world.monitor_1).get(INDEX).content.decode()
    assert "№ 45/7" in html and "99-Б" not in html
    html = _client(world.sysadmin).get(INDEX).content.decode()
    assert "№ 45/7" in html and "99-Б" in html


def test_detail_lists_services_and_is_404_across_centers(lists, world, login_as):
    _a_old, a_new, b = lists
    client = login_as(world.admin_a)
    html = client.get(f"{INDEX}{a_new.pk}/").content.decode()
    assert "RMP-003" in html and "Зняття з реєстрації місця проживання" in html and "45/7" in html
    assert client.get(f"{INDEX}{b.pk}/").status_code == 404
    assert client.get(f"{INDEX}999999/").status_code == 404
    assert _client(world.officer_a).get(f"{INDEX}{a_new.pk}/").status_code == 404
    assert _client(world.monitor_1).get(f"{INDEX}{b.pk}/").status_code == 404
    assert _client(world.sysadmin).get(f"{INDEX}{b.pk}/").status_code == 200


def test_head_creates_a_list_for_own_center(lists, world, login_as):
    client = login_as(world.head_a)
    form = client.get(NEW).content.decode()
    assert 'value="RMP-003" checked' in form or ('value="RMP-003"' in form and "checked" in form)
    response = client.post(
        NEW,
        {
            "center": world.center_a.pk,
            "decision_number": "101",
            "decision_date": "2026-01-10",
            "valid_from": "2026-02-01",
            "services": ["RMP-001", "RMP-003"],
        },
    )
    assert response.status_code == 302
    created = ServiceList.objects.get(center=world.center_a, decision_number="101")
    assert response["Location"] == f"{INDEX}{created.pk}/"
    assert sorted(created.services.values_list("code", flat=True)) == ["RMP-001", "RMP-003"]


def test_head_cannot_create_a_list_for_another_center(lists, world, login_as):
    client = login_as(world.head_a)
    response = client.post(
        NEW,
        {
            "center": world.center_b.pk,
            "decision_number": "666",
            "decision_date": "2026-01-10",
            "valid_from": "2026-02-01",
            "services": ["RMP-001"],
        },
    )
    assert response.status_code == 200
    assert not ServiceList.objects.filter(decision_number="666").exists()
    assert client.get(NEW, {"center": world.center_b.pk}).status_code == 404


@pytest.mark.parametrize("who", ["admin_a", "officer_a", "monitor_1"])
def test_others_cannot_create_lists(lists, world, login_as, who):
    assert login_as(getattr(world, who)).get(NEW).status_code == 404


def test_invalid_list_is_explained_and_kept(lists, world, login_as):
    response = login_as(world.head_a).post(
        NEW,
        {
            "center": world.center_a.pk,
            "decision_number": "7",
            "decision_date": "2026-03-01",
            "valid_from": "2026-02-01",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Оберіть хоча б одну послугу." in html
    assert "Перелік не може набрати чинності раніше дати рішення." in html
    assert 'value="7"' in html


def test_same_day_list_is_refused_by_the_domain(lists, world, login_as):
    response = login_as(world.sysadmin).post(
        NEW,
        {
            "center": world.center_b.pk,
            "decision_number": "100",
            "decision_date": "2025-01-15",
            "valid_from": "2025-01-15",
            "services": ["RMP-002"],
        },
    )
    assert response.status_code == 200
    assert "уже затверджено" in response.content.decode()
    assert ServiceList.objects.filter(center=world.center_b).count() == 1
