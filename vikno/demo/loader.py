"""Load the demo region idempotently through the rooms' own services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from vikno.accounts.models import User
from vikno.core.audit import Actor
from vikno.core.scoping import Role
from vikno.monitoring.demo import setup_demo_monitoring
from vikno.queue.demo import setup_demo_queues

from . import history, region

ACTOR = Actor(label="demo-loader")


@dataclass
class DemoReport:
    lines: list[str] = field(default_factory=list)
    logins: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.lines.append(text)


def load(data_dir: Path | None = None) -> DemoReport:
    from vikno.catalog.importers import import_shared_catalog
    from vikno.orgs.importers import import_katottg

    data_dir = Path(data_dir or settings.DATA_DIR)
    report = DemoReport()
    katottg = import_katottg(data_dir / "katottg" / "kodifikator-2025-07-02.csv")
    report.add(f"КАТОТТГ: {katottg}")
    catalog = import_shared_catalog(data_dir)
    report.add(f"Каталог: {catalog}")
    with transaction.atomic():
        providers = _providers(report)
        centers = _centers(report)
        _service_lists(centers, report)
        _provider_services(providers)
        _staff(centers, providers, report)
    setup_demo_queues(report)
    setup_demo_monitoring(report)
    if history.load_history(report):
        from vikno.reports import rollup

        rollup.refresh_dirty()  # the figures of the report pages, without waiting for the worker
    return report


def _providers(report: DemoReport) -> dict:
    from vikno.orgs import services as orgs
    from vikno.orgs.models import Hromada, Provider, Region

    oblast = Region.objects.get(katottg=region.OBLAST)
    result = {}
    for name, short, edrpou, kind, hromada_code, spheres in region.PROVIDERS:
        provider = Provider.objects.filter(edrpou=edrpou).first()
        if provider is None:
            hromada = Hromada.objects.get(katottg=hromada_code) if hromada_code else None
            provider = orgs.create_provider(
                name=name, short_name=short, edrpou=edrpou, kind=kind, region=oblast, hromada=hromada, actor=ACTOR
            )
        result[edrpou] = (provider, spheres)
    report.add(f"СНАП: {len(result)}")
    return result


def _centers(report: DemoReport) -> dict:
    from vikno.orgs import services as orgs
    from vikno.orgs.models import Center, Hromada, Settlement

    centers = {}
    for spec in region.CENTERS:
        center = Center.objects.filter(slug=spec["slug"]).first()
        if center is None:
            center = orgs.create_center(
                hromada=Hromada.objects.get(katottg=spec["hromada"]),
                name=spec["name"],
                slug=spec["slug"],
                short_name=spec["short_name"],
                address=spec["address"],
                phone=spec["phone"],
                email=spec["email"],
                actor=ACTOR,
            )
            for kind, name, settlement_code, address, hours in spec["offices"]:
                settlement = Settlement.objects.get(katottg=settlement_code) if settlement_code else None
                office = orgs.create_office(
                    center=center, kind=kind, name=name, settlement=settlement, address=address, actor=ACTOR
                )
                orgs.set_weekly_hours(office, hours, actor=ACTOR)
                if kind == "main":
                    for day, exc_kind, opens, closes, note in region.EXCEPTIONS:
                        orgs.add_schedule_exception(
                            office, date=day, kind=exc_kind, opens=opens, closes=closes, note=note, actor=ACTOR
                        )
        Hromada.objects.filter(katottg=spec["hromada"], population__isnull=True).update(population=spec["population"])
        centers[spec["slug"]] = (center, spec)
    report.add(f"ЦНАП: {len(centers)}, офісів: {sum(len(s['offices']) for _, s in centers.values())}")
    return centers


def _service_lists(centers: dict, report: DemoReport) -> None:
    from vikno.catalog import services as catalog
    from vikno.catalog.models import Service, ServiceList

    codes = list(Service.objects.filter(is_active=True).order_by("code").values_list("code", flat=True))
    for center, spec in centers.values():
        if ServiceList.objects.filter(center=center).exists():
            continue
        full = codes[: max(1, round(len(codes) * spec["share_of_catalog"]))]
        earlier = full[: round(len(full) * 0.85)]
        catalog.create_service_list(
            center,
            decision_number=f"{len(earlier)}-VIII",
            decision_date=date(2024, 12, 20),
            valid_from=date(2025, 1, 1),
            service_codes=earlier,
            actor=ACTOR,
        )
        catalog.create_service_list(
            center,
            decision_number=f"{len(full)}-VIII",
            decision_date=date(2025, 12, 19),
            valid_from=date(2026, 1, 1),
            service_codes=full,
            actor=ACTOR,
        )
        instant = set(
            Service.objects.filter(code__in=full, current_version__instant=True).values_list("code", flat=True)
        )
        for office in center.offices.all():
            if office.kind in ("main", "branch"):
                offered = full
            elif office.kind == "remote":
                offered = [c for c in full if c in instant or c.startswith(("RMP", "ACS", "SOC"))]
            else:
                offered = [c for c in full if c in instant or c.startswith("RMP")]
            catalog.assign_office_services(office, offered, actor=ACTOR)
    report.add("Переліки послуг: по два рішення на кожен ЦНАП (2025 і 2026)")


def _provider_services(providers: dict) -> None:
    from vikno.catalog import services as catalog
    from vikno.catalog.models import ProviderService, Service

    for provider, spheres in providers.values():
        if ProviderService.objects.filter(provider=provider).exists():
            continue
        codes = list(Service.objects.filter(sphere__code__in=spheres).values_list("code", flat=True))
        hromadas = [provider.hromada] if provider.hromada_id else []
        catalog.assign_provider_services(provider, codes, hromadas, actor=ACTOR)


def _staff(centers: dict, providers: dict, report: DemoReport) -> None:
    from vikno.accounts import services as accounts
    from vikno.orgs.models import Region

    oblast = Region.objects.get(katottg=region.OBLAST)
    people = [
        ("sysadmin", Role.SYSADMIN, {}, "Системний", "Адміністратор"),
        ("oblast", Role.OBLAST_MONITOR, {"region": oblast}, "Олена", "Моніторинг"),
    ]
    for slug, (center, _spec) in centers.items():
        offices = list(center.offices.filter(kind__in=["main", "remote"]))
        people.append(
            (f"{slug}.admin", Role.ADMINISTRATOR, {"center": center, "offices": offices}, "Ірина", "Адміністраторка")
        )
        people.append((f"{slug}.head", Role.CENTER_HEAD, {"center": center}, "Василь", "Керівник"))
    provider_logins = {"00032129": "dracs.officer", "00034045": "dms.officer", "26101520": "registration.officer"}
    for edrpou, login in provider_logins.items():
        people.append((login, Role.OFFICER, {"provider": providers[edrpou][0]}, "Петро", "Посадовець"))
    for username, role, scope, first, last in people:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = accounts.create_staff(
                username=username, role=role, actor=ACTOR, first_name=first, last_name=last, **scope
            )
            user.set_password(region.DEMO_PASSWORD)
            user.demo_mfa_exempt = True
            user.save(update_fields=["password", "demo_mfa_exempt"])
        report.logins.append((username, user.get_role_display(), user.scope_label))
