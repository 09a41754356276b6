"""A small hand-made data set: every figure of the center report, checked against written values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from vikno.cases.models import Status
from vikno.catalog.models import ServiceList, ServiceListEntry
from vikno.orgs.models import Office
from vikno.reports import rollup, services

from .factories import case, consultation, kyiv, payment, queue, rating, ticket, version

D = Decimal


@pytest.fixture
def dataset(world, django_capture_on_commit_callbacks):
    a, office = world.center_a, world.office_a
    mobile = Office.objects.create(center=a, kind="mobile", name="Мобільний ЦНАП А")
    reg = version("REG", "Реєстрація місця проживання")
    soc = version("SOC", "Соціальний захист")
    with django_capture_on_commit_callbacks(execute=True):
        # Q1 2026
        c1 = case(
            a,
            office,
            reg,
            kyiv(2026, 1, 12, 10),
            status=Status.ISSUED,
            closed_at=kyiv(2026, 1, 14, 12),
            fee_amount=D("100"),
        )
        case(
            a,
            office,
            reg,
            kyiv(2026, 1, 12, 11),
            status=Status.ISSUED,
            closed_at=kyiv(2026, 1, 12, 11, 20),
            instant=True,
        )
        c3 = case(a, office, reg, kyiv(2026, 2, 3, 9), status=Status.REFUSED, fee_amount=D("50"))
        c4 = case(a, office, soc, kyiv(2026, 2, 3, 15), status=Status.WITHDRAWN)
        case(a, mobile, soc, kyiv(2026, 3, 31, 23, 30), status=Status.DISMISSED, channel="mobile")
        case(a, office, soc, kyiv(2026, 4, 1, 0, 30))  # the next quarter in Kyiv time
        case(world.center_b, world.office_b, reg, kyiv(2026, 1, 12, 10))  # another center
        payment(c1, date(2026, 1, 12), D("100"), method="pos", budget_code="22012500")
        payment(c3, date(2026, 2, 3), D("50"), method="bank", budget_code="22010100")
        payment(c4, date(2026, 2, 3), D("0"), method="exemption", budget_code="")
        consultation(a, office, kyiv(2026, 1, 20, 10), reg)
        consultation(a, office, kyiv(2026, 3, 2, 10))
        q = queue(office)
        for status in ("done", "done", "done", "cancelled"):
            ticket(q, date(2026, 1, 12), status=status)
        ticket(q, date(2026, 2, 3))
        rating(office, kyiv(2026, 1, 12, 12), 5, 10)
        rating(office, kyiv(2026, 1, 12, 12), 4, 8)
        rating(office, kyiv(2026, 1, 12, 13), 2, 3)
        rating(office, kyiv(2026, 1, 12, 14), 5)
        # Q1 2025
        old = case(
            a,
            office,
            reg,
            kyiv(2025, 2, 10, 10),
            status=Status.ISSUED,
            closed_at=kyiv(2025, 2, 11, 10),
            fee_amount=D("40"),
        )
        case(a, office, reg, kyiv(2025, 2, 10, 11), status=Status.REFUSAL_ISSUED)
        payment(old, date(2025, 2, 10), D("40"), method="pos", budget_code="22012500")
        consultation(a, office, kyiv(2025, 3, 1, 10))
    rollup.refresh_dirty()
    first = ServiceList.objects.create(
        center=a, decision_number="1", decision_date=date(2024, 1, 1), valid_from=date(2024, 1, 1)
    )
    second = ServiceList.objects.create(
        center=a, decision_number="2", decision_date=date(2025, 5, 1), valid_from=date(2025, 6, 1)
    )
    for position, ver in enumerate([reg, soc]):
        ServiceListEntry.objects.create(service_list=first, service=ver.service, position=position)
    for position, ver in enumerate([reg, soc, version("TRN")]):
        ServiceListEntry.objects.create(service_list=second, service=ver.service, position=position)
    return world


EXPECTED = {
    # key: (current, previous, change %)
    "consultations": (D(2), D(1), D("100.0")),
    "cases_registered": (D(5), D(2), D("150.0")),
    "results_issued": (D(2), D(1), D("100.0")),
    "instant": (D(1), D(0), None),
    "refused": (D(1), D(1), D("0.0")),
    "refused_share": (D("20.0"), D("50.0"), D("-60.0")),
    "withdrawn": (D(2), D(0), None),
    "withdrawn_share": (D("40.0"), D("0.0"), None),
    "visitors": (D(4), D(0), None),
    "working_days": (D(3), D(1), D("200.0")),
    "visitors_per_day": (D("1.3"), D("0.0"), None),
    "paid_cases": (D(2), D(1), D("100.0")),
    "revenue_total": (D(150), D(40), D("275.0")),
    "revenue_local": (D(100), D(40), D("150.0")),
    "revenue_state": (D(50), D(0), None),
    "mobile_visits": (D(1), D(0), None),
    "mobile_cases": (D(1), D(0), None),
    "ratings_count": (D(4), D(0), None),
    "satisfied_share": (D("75.0"), None, None),
    "loyalty_index": (D("0.0"), None, None),
    "payments_pos": (D(1), D(1), D("0.0")),
    "amount_pos": (D(100), D(40), D("150.0")),
    "payments_bank": (D(1), D(0), None),
    "amount_bank": (D(50), D(0), None),
    "payments_exemption": (D(1), D(0), None),
    "amount_exemption": (D(0), D(0), None),
}


def test_every_figure_of_the_quarter(dataset):
    report = services.center_report(dataset.head_a, dataset.center_a.pk, date(2026, 1, 1), date(2026, 3, 31))
    assert (report.prev_from, report.prev_to) == (date(2025, 1, 1), date(2025, 3, 31))
    got = {f.key: (f.current, f.previous, f.change) for f in [*report.figures, *report.payments]}
    assert got == EXPECTED
    spheres = [(f.label, f.current, f.previous, f.change) for f in report.spheres]
    assert spheres == [
        ("Реєстрація місця проживання", D(3), D(2), D("50.0")),
        ("Соціальний захист", D(2), D(0), None),
    ]
    assert report.services_by_year[:3] == [(2024, 2, None), (2025, 3, D("50.0")), (2026, 3, D("0.0"))]
    assert not report.is_empty


def test_sphere_names_follow_the_readers_language_and_stay_ukrainian_in_exports(dataset):
    from django.utils import translation

    from vikno.catalog.models import Sphere
    from vikno.core.i18n import in_ukrainian

    Sphere.objects.filter(name_uk="Соціальний захист").update(name_en="Social protection")
    report = services.center_report(dataset.head_a, dataset.center_a.pk, date(2026, 1, 1), date(2026, 3, 31))
    label = report.spheres[1].label
    with translation.override("en"):
        assert str(label) == "Social protection"
        assert in_ukrainian(label) == "Соціальний захист"


def test_the_monitor_of_the_region_sees_the_same(dataset):
    report = services.center_report(dataset.monitor_1, dataset.center_a.pk, date(2026, 1, 1), date(2026, 3, 31))
    assert report.figure("cases_registered").current == 5


def test_days_with_intake_count_the_days_the_center_received_people_and_say_so(dataset):
    """The figure counts the days with a visitor or a registered case (12 January, 3 February, 31 March),
    not the 60-odd working days of the quarter's calendar, so it is named for what it counts."""
    from django.utils import translation

    report = services.center_report(dataset.head_a, dataset.center_a.pk, date(2026, 1, 1), date(2026, 3, 31))
    days, average = report.figure("working_days"), report.figure("visitors_per_day")
    assert days.current == 3 and average.current == D("1.3")  # 4 visitors over 3 days
    with translation.override("en"):
        assert (str(days.label), str(average.label)) == ("Days with intake", "Visitors per day with intake on average")
    with translation.override("uk"):
        assert (str(days.label), str(average.label)) == (
            "Днів з прийомом",
            "Відвідувачів у середньому за день з прийомом",
        )
        assert "Робоч" not in str(days.label) + str(average.label)
