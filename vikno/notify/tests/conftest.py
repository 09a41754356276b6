"""Fixtures of the notify tests: the local fake servers, a tiny backoff, and a clean job queue."""

from __future__ import annotations

import pytest

from vikno.testing.fakes import generic_sms_gateway, smtp_server, turbosms_gateway  # noqa: F401

CONTEXT = {"case_number": "A-2025-000123", "service_name": "Державна реєстрація народження", "center_name": "ЦНАП А"}


@pytest.fixture(autouse=True)
def _fast_retries(settings):
    settings.NOTIFY_RETRY_BASE_SECONDS = 0.05
    settings.NOTIFY_RETRY_MAX_SECONDS = 0.2
    settings.NOTIFY_MAX_ATTEMPTS = 6
    settings.PUBLIC_BASE_URL = "https://vikno.example.ua"


@pytest.fixture
def empty_job_queue(transactional_db):
    """Jobs are not Django-managed tables, so the test flush does not empty them; do it here."""
    from django.db import connection

    def _clear():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM procrastinate_periodic_defers")
            cursor.execute("DELETE FROM procrastinate_events")
            cursor.execute("DELETE FROM procrastinate_jobs")

    _clear()
    yield
    _clear()


def make_case(world, number: str = "A-2025-000123"):
    """A minimal case row of center A, written straight through the models; its applicant agrees to SMS at
    +380501234567."""
    from datetime import date

    from django.apps import apps
    from django.utils import timezone

    from vikno.catalog.models import Service, ServiceVersion, Sphere

    # Through the app registry: the notify room sits below cases and does not import it.
    Applicant, Case = apps.get_model("cases", "Applicant"), apps.get_model("cases", "Case")

    sphere, _ = Sphere.objects.get_or_create(code="CIV", defaults={"name_uk": "Реєстрація актів цивільного стану"})
    service, _ = Service.objects.get_or_create(
        code="00001", defaults={"sphere": sphere, "name_uk": CONTEXT["service_name"]}
    )
    version, _ = ServiceVersion.objects.get_or_create(
        service=service,
        number=1,
        defaults={
            "valid_from": date(2025, 1, 1),
            "name_uk": CONTEXT["service_name"],
            "term_value": 1,
            "term_unit": "working_days",
        },
    )
    applicant = Applicant.objects.create(
        center=world.center_a,
        region=world.r1,
        last_name="Шевченко",
        first_name="Олена",
        phone="+380501234567",
        sms_consent=True,
    )
    now = timezone.now()
    return Case.objects.create(
        center=world.center_a,
        region=world.r1,
        office=world.office_a,
        current_office=world.office_a,
        service=service,
        service_version=version,
        applicant=applicant,
        number=number,
        year=2025,
        seq=int(number.rsplit("-", 1)[-1]),
        access_code="ABCD1234",
        channel="main",
        status_changed_at=now,
        filed_at=now,
    )
