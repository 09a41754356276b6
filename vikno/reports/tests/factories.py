"""Source rows built straight with the ORM for the report tests."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from zoneinfo import ZoneInfo

from vikno.cases.models import Applicant, Case, Consultation, Status
from vikno.catalog.models import Service, ServiceVersion, Sphere
from vikno.payments.models import Payment
from vikno.queue.models import Queue, Rating, Ticket

KYIV = ZoneInfo("Europe/Kyiv")
_seq = itertools.count(1)


def kyiv(*args) -> datetime:
    return datetime(*args, tzinfo=KYIV)


def version(sphere_code: str = "TST", name: str = "Тестова сфера") -> ServiceVersion:
    sphere, _ = Sphere.objects.get_or_create(code=sphere_code, defaults={"name_uk": name})
    service = Service.objects.create(code=f"{sphere_code}-R{next(_seq):04d}", sphere=sphere, name_uk="Послуга")
    return ServiceVersion.objects.create(
        service=service,
        number=1,
        valid_from=date(2020, 1, 1),
        name_uk="Послуга",
        term_value=10,
        term_unit="working_days",
    )


def case(center, office, ver, filed_at, *, status=Status.ACCEPTED, closed_at=None, **fields) -> Case:
    n = next(_seq)
    person = Applicant.objects.create(center=center, region_id=center.region_id, last_name="Шевченко")
    return Case.objects.create(
        center=center,
        region_id=center.region_id,
        office=office,
        current_office=office,
        service=ver.service,
        service_version=ver,
        applicant=person,
        number=f"R-{center.pk}-{n}",
        year=filed_at.year,
        seq=n,
        access_code=f"C{n:05d}",
        channel=fields.pop("channel", "main"),
        status=status,
        status_changed_at=closed_at or filed_at,
        filed_at=filed_at,
        closed_at=closed_at,
        **fields,
    )


def payment(case_obj, paid_on, amount, *, method="pos", budget_code="22012500") -> Payment:
    return Payment.objects.create(
        case=case_obj,
        center_id=case_obj.center_id,
        region_id=case_obj.region_id,
        method=method,
        amount=amount,
        budget_code=budget_code,
        paid_on=paid_on,
        exemption_ground="Пільга" if method == "exemption" else "",
    )


def consultation(center, office, at, ver=None) -> Consultation:
    return Consultation.objects.create(
        center=center, region_id=center.region_id, office=office, at=at, service=ver.service if ver else None
    )


def queue(office) -> Queue:
    return Queue.objects.create(
        office=office, center_id=office.center_id, region_id=office.region_id, name="Р", prefix="Р"
    )


def ticket(q, day: date, *, status="done") -> Ticket:
    n = next(_seq)
    at = kyiv(day.year, day.month, day.day, 10)
    return Ticket.objects.create(
        queue=q,
        office=q.office,
        center_id=q.center_id,
        region_id=q.region_id,
        day=day,
        number=n,
        code=f"Р-{n:03d}",
        token=f"tok{n:08d}",
        status=status,
        issued_at=at,
        order_at=at,
    )


def rating(office, at, stars, recommend=None) -> Rating:
    return Rating.objects.create(
        center_id=office.center_id,
        region_id=office.region_id,
        office=office,
        stars=stars,
        recommend=recommend,
        created_at=at,
    )
