"""Bad input answers 4xx with a clear Ukrainian message and saves nothing: an unknown КАТОТТГ code,
a wrong ЄДРПОУ checksum, a schedule that closes before it opens."""

from __future__ import annotations

import pytest

from vikno.orgs.models import Provider, ScheduleException, WeeklyHours

PROVIDER = {"name": "Управління ДПС", "edrpou": "43316700", "kind": "state_territorial"}


@pytest.mark.django_db
def test_unknown_katottg_code_in_the_hromada_search(client, world):
    response = client.get("/api/v1/hromadas", {"region": "UA99000000000000000"})
    assert response.status_code == 400
    assert response.json() == {
        "code": "unknown_katottg",
        "message": "Невідомий код КАТОТТГ «UA99000000000000000»: область не знайдено.",
        "field": "region",
    }
    response = client.get("/api/v1/hromadas", {"region": "UA123"})
    assert response.status_code == 400 and response.json()["code"] == "invalid_katottg"


@pytest.mark.django_db
def test_unknown_katottg_code_when_registering_a_provider(api, world):
    caller = api(world.sysadmin)
    response = caller.post("/providers", {**PROVIDER, "region": "UA99000000000000000"})
    assert response.status_code == 400 and response.json()["field"] == "region"
    response = caller.post("/providers", {**PROVIDER, "region": world.r1.katottg, "hromada": "UA05999990000000000"})
    assert response.status_code == 400
    assert response.json()["message"] == "Невідомий код КАТОТТГ «UA05999990000000000»: громаду не знайдено."
    assert Provider.objects.count() == 2


@pytest.mark.django_db
def test_wrong_edrpou_checksum_through_the_api(api, world):
    response = api(world.sysadmin).post("/providers", {**PROVIDER, "edrpou": "43316701", "region": world.r1.katottg})
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_edrpou",
        "message": "Код ЄДРПОУ «43316701» недійсний: контрольна цифра не збігається. Перевірте код.",
        "field": "edrpou",
    }
    assert not Provider.objects.filter(edrpou="43316701").exists()


@pytest.mark.django_db
def test_schedule_closing_before_opening_through_the_api(api, world):
    caller = api(world.head_a)
    week = {"days": [{"weekday": 3, "intervals": [{"opens": "20:00", "closes": "08:00"}]}]}
    response = caller.put(f"/offices/{world.office_a.pk}/weekly-hours", week)
    assert response.status_code == 400
    assert response.json() == {
        "code": "closes_before_opens",
        "message": "Четвер: час закриття (08:00) має бути пізніше за час відкриття (20:00).",
        "field": "hours.3.0.closes",
    }
    exception = {"date": "2026-12-31", "kind": "shortened", "opens": "13:00", "closes": "08:00"}
    response = caller.post(f"/offices/{world.office_a.pk}/schedule-exceptions", exception)
    assert response.status_code == 400 and response.json()["field"] == "closes"
    assert "час закриття (08:00) має бути пізніше" in response.json()["message"]
    response = caller.post(
        f"/offices/{world.office_a.pk}/schedule-exceptions", {"date": "2026-12-31", "kind": "shortened"}
    )
    assert response.status_code == 400 and response.json()["message"] == "31.12.2026: вкажіть час відкриття."
    assert not WeeklyHours.objects.exists() and not ScheduleException.objects.exists()


@pytest.mark.django_db
def test_malformed_body_is_a_422_with_a_ukrainian_message(api, world):
    response = api(world.head_a).post(
        f"/offices/{world.office_a.pk}/schedule-exceptions", {"date": "вчора", "kind": "closed"}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error" and "некоректні" in response.json()["message"]


@pytest.mark.django_db
def test_opening_hours_with_a_time_zone_are_refused_and_nothing_is_saved(api, world):
    caller = api(world.head_a)
    exception = {"date": "2026-12-31", "kind": "shortened", "opens": "08:00Z", "closes": "13:00+02:00"}
    response = caller.post(f"/offices/{world.office_a.pk}/schedule-exceptions", exception)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == ["opens", "closes"]
    assert errors[0]["message"] == "Час роботи вказують за місцевим часом офісу, без часового поясу: ГГ:ХХ."
    week = {"days": [{"weekday": 0, "intervals": [{"opens": "08:00:00Z", "closes": "17:00"}]}]}
    assert caller.put(f"/offices/{world.office_a.pk}/weekly-hours", week).status_code == 422
    assert not WeeklyHours.objects.exists() and not ScheduleException.objects.exists()
