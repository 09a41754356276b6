"""`make run` loads the demo region: one oblast, three hromadas, three centers with ТП and ВРМ,
providers, the catalog and staff of every role — and loading it again changes nothing."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from vikno.accounts.models import User
from vikno.cases.models import Case, CaseEvent, Status
from vikno.catalog.models import OfficeService, ProviderService, Service, ServiceList
from vikno.core.audit import object_type_label, verify_all
from vikno.core.models import AuditEvent
from vikno.core.scoping import Role
from vikno.orgs.models import Center, Office, Provider, Region


@pytest.mark.django_db
def test_demo_region_loads_idempotently_with_every_role(client):
    call_command("load_demo", verbosity=0)
    counts = {
        "centers": Center.objects.count(),
        "offices": Office.objects.count(),
        "providers": Provider.objects.count(),
        "services": Service.objects.count(),
        "lists": ServiceList.objects.count(),
        "office_services": OfficeService.objects.count(),
        "provider_services": ProviderService.objects.count(),
        "staff": User.objects.count(),
        "audit": AuditEvent.objects.count(),
        "cases": Case.objects.count(),
    }

    call_command("load_demo", verbosity=0)

    assert counts == {
        "centers": Center.objects.count(),
        "offices": Office.objects.count(),
        "providers": Provider.objects.count(),
        "services": Service.objects.count(),
        "lists": ServiceList.objects.count(),
        "office_services": OfficeService.objects.count(),
        "provider_services": ProviderService.objects.count(),
        "staff": User.objects.count(),
        "audit": AuditEvent.objects.count(),
        "cases": Case.objects.count(),
    }
    oblast = Region.objects.get(katottg="UA05000000000010236")
    centers = Center.objects.filter(region=oblast)
    assert centers.count() == 3
    assert centers.values("hromada").distinct().count() == 3
    kinds = set(Office.objects.filter(center__in=centers).values_list("kind", flat=True))
    assert {"main", "branch", "remote", "mobile"} <= kinds
    assert counts["services"] >= 150
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    thursday = Office.objects.get(center__slug="vinnytsia", kind="main").weekly_hours.get(weekday=3)
    assert thursday.closes.hour == 20

    response = client.get("/api/v1/services", {"limit": 200})
    assert response.status_code == 200
    assert len(response.json()["items"]) >= 100


@pytest.mark.django_db
def test_demo_centers_have_weeks_of_casework_in_every_stage():
    call_command("load_demo", verbosity=0)
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {Status.IN_PROGRESS, Status.RESULT_READY, Status.ISSUED, Status.REFUSAL_ISSUED} <= statuses
    assert Case.objects.values("center").distinct().count() == 3
    assert Case.objects.filter(closed_at__isnull=True, due_at__lt=timezone.now()).exists()  # overdue lists
    for center_id, year in Case.objects.values_list("center", "year").distinct():
        seqs = sorted(Case.objects.filter(center_id=center_id, year=year).values_list("seq", flat=True))
        assert seqs == list(range(1, len(seqs) + 1))
    first, last = Case.objects.order_by("filed_at").values_list("filed_at", flat=True)[:: Case.objects.count() - 1]
    assert (last - first).days >= 28
    assert Service.objects.filter(code__startswith="PAS-", demand__gt=0).exists()  # the search's ranking
    assert not any(verify_all().values())
    # the audit log names every type of object the casework wrote (its filter offers them by name)
    written = set(AuditEvent.objects.values_list("object_type", flat=True).distinct())
    assert {"cases.case", "cases.applicant", "payments.payment"} <= written
    assert sorted(t for t in written if not object_type_label(t)) == []
    hours = {timezone.localtime(at).hour for at in CaseEvent.objects.values_list("at", flat=True)}
    assert min(hours) >= 8 and max(hours) < 18  # desks and back offices work by day
