"""The public catalog pages of a center: root, oblast, center home, catalog, life situation, service
card, search within the approved list, office page and sitemap.xml; 404 for unknown slugs and codes."""

from __future__ import annotations

import datetime as dt
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from vikno.catalog import importers, search
from vikno.catalog.models import Service
from vikno.catalog.services import assign_office_services, create_service_list
from vikno.core.audit import Actor
from vikno.orgs.models import Office, ScheduleException, WeeklyHours

BIRTH = "ACS-001"
OUTSIDE = "PAS-001"


def build_portal(world) -> SimpleNamespace:
    """The shared catalog, and center A's approved list of every service but ``OUTSIDE``."""
    actor = Actor(label="test")
    importers.import_shared_catalog(settings.DATA_DIR, actor=actor)
    search.reindex()
    today = timezone.localdate()
    codes = list(Service.objects.exclude(code=OUTSIDE).order_by("code").values_list("code", flat=True))
    create_service_list(
        world.center_a,
        decision_number="12/3",
        decision_date=today - dt.timedelta(days=30),
        valid_from=today - dt.timedelta(days=30),
        service_codes=codes,
        actor=actor,
    )
    Office.objects.filter(pk=world.office_a.pk).update(
        address="м. Вінниця, вул. Соборна, 59", latitude="49.233100", longitude="28.468200", phone="0432 123456"
    )
    world.office_a.refresh_from_db()
    assign_office_services(world.office_a, codes, actor)
    assign_office_services(world.remote_a, [BIRTH], actor)
    for weekday in range(5):
        closes = dt.time(20, 0) if weekday == 2 else dt.time(17, 0)
        WeeklyHours.objects.create(office=world.office_a, weekday=weekday, opens=dt.time(8, 0), closes=closes)
    ScheduleException.objects.create(
        office=world.office_a, date=today + dt.timedelta(days=3), kind="closed", note="Санітарний день"
    )
    return SimpleNamespace(codes=codes, today=today)


@pytest.fixture
def portal(world):
    return build_portal(world)


def _text(response) -> str:
    return response.content.decode()


def test_root_lists_oblasts_and_centers(client, world):
    response = client.get("/")
    assert response.status_code == 200
    body = _text(response)
    assert "Вінницька" in body and "/c/center-a/" in body and "/c/center-b/" in body
    assert f"/oblast/{world.r1.katottg}/" in body


def test_root_redirects_to_the_only_center(client, world):
    world.center_b.is_active = False
    world.center_b.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/c/center-a/"


def test_oblast_page(client, world):
    response = client.get(f"/oblast/{world.r1.katottg}/")
    assert response.status_code == 200
    assert "ЦНАП А" in _text(response) and "ЦНАП Б" not in _text(response)
    assert client.get("/oblast/UA99000000000000000/").status_code == 404


def test_center_home_has_search_life_situations_and_spheres(client, world, portal):
    response = client.get("/c/center-a/")
    assert response.status_code == 200
    body = _text(response)
    assert 'action="/c/center-a/search/"' in body
    assert "/c/center-a/life/CHILD_BIRTH/" in body
    assert "/c/center-a/services/#sphere-" in body
    assert f"/c/center-a/offices/{world.office_a.pk}/" in body
    assert client.get("/c/no-such-center/").status_code == 404


def test_center_without_a_list_says_so(client, world):
    response = client.get("/c/center-b/")
    assert response.status_code == 200
    assert "ще не оприлюднив" in _text(response)


def test_catalog_by_sphere_only_lists_the_approved_services(client, world, portal):
    response = client.get("/c/center-a/services/")
    assert response.status_code == 200
    body = _text(response)
    assert f"/c/center-a/services/{BIRTH}/" in body
    assert f"/c/center-a/services/{OUTSIDE}/" not in body


def test_life_situation_page(client, world, portal):
    response = client.get("/c/center-a/life/CHILD_BIRTH/")
    assert response.status_code == 200
    assert f"/c/center-a/services/{BIRTH}/" in _text(response)
    assert client.get("/c/center-a/life/NO_SUCH_SITUATION/").status_code == 404


def test_service_card(client, world, portal):
    response = client.get(f"/c/center-a/services/{BIRTH}/")
    assert response.status_code == 200
    body = _text(response)
    service = Service.objects.select_related("current_version").get(code=BIRTH)
    version = service.current_version
    assert service.name_uk in body
    for doc in version.documents.all()[:3]:
        assert str(doc.name)[:20] in response.content.decode("utf-8").replace("&#x27;", "'").replace("&quot;", '"')
    assert f'href="/booking/?center=center-a&amp;service={BIRTH}"' in body
    assert world.office_a.name in body and world.remote_a.name in body
    if version.online:
        assert f"/c/center-a/apply/{BIRTH}/" in body


def test_service_card_shows_todays_fee(client, world, portal):
    from vikno.catalog.fees import fee_for

    paid = next(
        s
        for s in Service.objects.select_related("current_version").filter(code__in=portal.codes).order_by("code")
        if s.current_version and s.current_version.fee_kind in ("fixed", "rule")
    )
    quote = fee_for(paid.current_version, portal.today)
    response = client.get(f"/c/center-a/services/{paid.code}/")
    assert response.status_code == 200
    assert quote.text_uk.split(" (")[0] in _text(response)


def test_service_outside_the_list_or_unknown_is_404(client, world, portal):
    assert client.get(f"/c/center-a/services/{OUTSIDE}/").status_code == 404
    assert client.get("/c/center-a/services/XXX-999/").status_code == 404
    assert client.get(f"/c/center-b/services/{BIRTH}/").status_code == 404


def test_search_is_limited_to_the_center_list(client, world, portal):
    response = client.get("/c/center-a/search/", {"q": "народила дитину"})
    assert response.status_code == 200
    body = _text(response)
    assert f"/c/center-a/services/{BIRTH}/" in body
    response = client.get("/c/center-a/search/", {"q": "паспорт"})
    assert f"/c/center-a/services/{OUTSIDE}/" not in _text(response)


def test_search_without_words_shows_a_message(client, world, portal):
    response = client.get("/c/center-a/search/", {"q": "!!!"})
    assert response.status_code == 200
    assert 'role="alert"' in _text(response)
    assert client.get("/c/center-a/search/").status_code == 200


def test_office_page(client, world, portal):
    response = client.get(f"/c/center-a/offices/{world.office_a.pk}/")
    assert response.status_code == 200
    body = _text(response)
    assert "вул. Соборна, 59" in body
    assert "openstreetmap.org/?mlat=49.233100" in body
    assert "08:00–20:00" in body and "08:00–17:00" in body
    assert "Санітарний день" in body
    assert f"/c/center-a/services/{BIRTH}/" in body
    assert f"/c/center-a/offices/{world.office_b.pk}/" not in body


def test_office_waiting_counts(client, world, portal):
    from vikno.queue.services import create_queue
    from vikno.queue.tests.booking_world import hand_ticket

    queue = create_queue(world.office_a, prefix="Р", name="Реєстрація місця проживання", actor=Actor(label="test"))
    now = timezone.now()
    for number in (1, 2, 3):
        hand_ticket(queue, now, number=number, status="waiting")
    response = client.get(f"/c/center-a/offices/{world.office_a.pk}/")
    assert "<td>Реєстрація місця проживання</td><td>3</td>" in _text(response)


def test_office_of_another_center_is_404(client, world, portal):
    assert client.get(f"/c/center-a/offices/{world.office_b.pk}/").status_code == 404
    assert client.get("/c/center-a/offices/999999/").status_code == 404


def test_office_without_coordinates_links_an_address_search(client, world, portal):
    Office.objects.filter(pk=world.remote_a.pk).update(address="с. Агрономічне, вул. Шкільна, 1")
    response = client.get(f"/c/center-a/offices/{world.remote_a.pk}/")
    assert "openstreetmap.org/search?query=" in _text(response)


def test_english_switch(client, world, portal):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/c/center-a/")
    assert response.status_code == 200
    assert '<html lang="en">' in _text(response) and "Life situations" in _text(response)


def test_ukrainian_by_default(client, world, portal):
    response = client.get("/c/center-a/")
    assert '<html lang="uk">' in _text(response) and "Життєві ситуації" in _text(response)


def test_sitemap(client, world, portal):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = _text(response)
    assert "/c/center-a/" in body and f"/c/center-a/services/{BIRTH}/" in body
    assert f"/c/center-a/offices/{world.office_a.pk}/" in body
    assert f"/c/center-a/services/{OUTSIDE}/" not in body


def test_booking_from_a_service_card_lists_only_this_centers_offices_that_book_the_service(client, world, portal):
    from vikno.queue.models import Booking
    from vikno.queue.tests.booking_world import bookable_queue

    birth = Service.objects.get(code=BIRTH)
    other_service = Service.objects.exclude(code=BIRTH).order_by("code").first()
    with_it = bookable_queue(world.office_a, prefix="Р", name="Реєстрація народження")
    with_it.services.set([birth])
    without = bookable_queue(world.office_a, prefix="П", name="Паспорти")
    without.services.set([other_service])
    bookable_queue(world.remote_a, prefix="В").services.set([other_service])
    bookable_queue(world.office_b, prefix="Б").services.set([birth])  # another center

    offices = _text(client.get("/booking/", {"center": "center-a", "service": BIRTH}))
    assert birth.name_uk in offices
    assert f'href="/booking/{world.office_a.pk}/?service={BIRTH}"' in offices
    assert f"/booking/{world.remote_a.pk}/" not in offices and f"/booking/{world.office_b.pk}/" not in offices
    # A general queue (no services listed) books what its office provides: remote_a provides BIRTH.
    general = bookable_queue(world.remote_a, prefix="З", name="Загальна")
    offices = _text(client.get("/booking/", {"center": "center-a", "service": BIRTH}))
    assert f'href="/booking/{world.remote_a.pk}/?service={BIRTH}"' in offices
    general.delete()
    everywhere = _text(client.get("/booking/"))
    assert f"/booking/{world.remote_a.pk}/" in everywhere and f"/booking/{world.office_b.pk}/" in everywhere

    queues = _text(client.get(f"/booking/{world.office_a.pk}/", {"service": BIRTH}))
    assert f'href="/booking/{world.office_a.pk}/{with_it.pk}/?service={BIRTH}"' in queues
    assert f"/booking/{world.office_a.pk}/{without.pk}/" not in queues

    # The service goes with the booking.
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    slots_url = f"/booking/{world.office_a.pk}/{with_it.pk}/"
    page = _text(client.get(slots_url, {"day": f"{day:%Y-%m-%d}", "service": BIRTH}))
    assert f"&amp;service={BIRTH}" in page
    stamp = re.search(r'name="stamp" value="([^"]+)"', page).group(1)
    slot = re.search(r'name="starts_at" value="([^"]+)"', page).group(1)
    with override_settings(QUEUE_FORM_MIN_SECONDS=0):
        held = client.post(
            f"{slots_url}?day={day:%Y-%m-%d}&service={BIRTH}",
            {"starts_at": slot, "phone": "0501234567", "stamp": stamp},
        )
    assert held.status_code == 302
    assert Booking.objects.get().service == birth
