"""Cases built straight with the ORM for the deadline tests (no intake rules involved)."""

from __future__ import annotations

import itertools
from datetime import date, datetime

from vikno.cases.deadlines import KYIV
from vikno.cases.models import Applicant, Case, Status
from vikno.catalog.models import Service, ServiceVersion, Sphere

_seq = itertools.count(1)


def kyiv(*args) -> datetime:
    """An aware Kyiv datetime: ``kyiv(2025, 8, 22, 10)``."""
    return datetime(*args, tzinfo=KYIV)


def service_version(term_value=10, term_unit=ServiceVersion.TermUnit.WORKING_DAYS) -> ServiceVersion:
    sphere, _ = Sphere.objects.get_or_create(code="TST", defaults={"name_uk": "Тестова сфера"})
    code = f"TST-{next(_seq):03d}"
    service = Service.objects.create(code=code, sphere=sphere, name_uk="Довідка про склад сімʼї")
    return ServiceVersion.objects.create(
        service=service,
        number=1,
        valid_from=date(2020, 1, 1),
        name_uk="Довідка про склад сімʼї",
        term_value=term_value,
        term_unit=term_unit,
    )


def applicant(center, **fields) -> Applicant:
    values = {"last_name": "Коваленко", "first_name": "Олена", "phone": "+380501234567", "sms_consent": True}
    values.update(fields)
    return Applicant.objects.create(center=center, region_id=center.region_id, **values)


def make_case(world, *, filed_at=None, center=None, office=None, version=None, person=None, **fields) -> Case:
    """A case of center A (or ``center``/``office``) filed at ``filed_at``; ``fields`` override the rest."""
    center = center or world.center_a
    office = office or (world.office_a if center == world.center_a else world.office_b)
    version = version or service_version()
    filed_at = filed_at or kyiv(2025, 8, 22, 10)
    n = next(_seq)
    values = {
        "status": Status.IN_PROGRESS,
        "status_changed_at": filed_at,
        "channel": "main",
        "access_code": f"CODE{n:04d}",
    }
    values.update(fields)
    return Case.objects.create(
        center=center,
        region_id=center.region_id,
        office=office,
        current_office=office,
        service=version.service,
        service_version=version,
        applicant=person or applicant(center),
        number=f"T-{center.pk}-{filed_at.year}-{n}",
        year=filed_at.year,
        seq=n,
        filed_at=filed_at,
        **values,
    )
