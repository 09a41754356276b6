"""Catalog data and helpers for the intake/workflow/API tests (owner: cases-core)."""

from __future__ import annotations

import itertools
import json
from datetime import date
from decimal import Decimal

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

from vikno.cases import services
from vikno.catalog.models import ProviderService, RequiredDocument, Service, ServiceVersion, Sphere, TechStep
from vikno.catalog.services import default_tech_steps
from vikno.core.audit import Actor

_seq = itertools.count(1)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
VALID_RNOKPP = "3293406441"


def pdf(name="scan.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def make_service(
    *,
    instant=False,
    fee=None,
    pay_later=False,
    term_value=10,
    term_unit="working_days",
    documents=("Заява", "Паспорт громадянина України"),
    valid_from=date(2020, 1, 1),
    providers=(),
) -> Service:
    """A service with one version, an ІК checklist and the default ТК; ``providers`` decide on it."""
    sphere, _ = Sphere.objects.get_or_create(code="TST", defaults={"name_uk": "Тестова сфера"})
    code = f"TST-{next(_seq):03d}"
    service = Service.objects.create(code=code, sphere=sphere, name_uk=f"Тестова послуга {code}")
    version = ServiceVersion.objects.create(
        service=service,
        number=1,
        valid_from=valid_from,
        name_uk=f"Тестова послуга {code}",
        term_value=term_value,
        term_unit=term_unit,
        fee_kind="fixed" if fee else "free",
        fee_amount=Decimal(fee) if fee else None,
        fee_budget_code="22012500" if fee else "",
        pay_later_allowed=pay_later,
        instant=instant,
    )
    for i, name in enumerate(documents, start=1):
        RequiredDocument.objects.create(version=version, position=i, name=name, original=True, copy=i == 2, pages=1)
    for i, step in enumerate(
        default_tech_steps(instant=instant, complex=False, term_value=term_value, term_unit=term_unit), start=1
    ):
        TechStep.objects.create(version=version, position=i, **step)
    service.current_version = version
    service.save()
    for provider in providers:
        ProviderService.objects.create(provider=provider, service=service)
    return service


def person(world, center=None, *, actor=None, **data):
    center = center or world.center_a
    values = {"last_name": "Шевченко", "first_name": "Олена", "patronymic": "Петрівна", "phone": "0501234567"}
    values.update(data)
    admin = world.admin_a if center == world.center_a else world.admin_b
    return services.create_applicant(center, values, actor=actor or Actor(user=admin))


def register(world, service, *, applicant=None, office=None, actor=None, **kwargs):
    office = office or world.office_a
    admin = world.admin_a if office.center_id == world.center_a.pk else world.admin_b
    return services.register_case(
        office=office,
        service=service,
        applicant=applicant or person(world, office.center),
        actor=actor or Actor(user=admin),
        **kwargs,
    )


class ApiCaller:
    """``ApiCaller(client, user).get(path)`` / ``.post(path, data)`` with a real bearer token."""

    def __init__(self, client, user):
        _token, key = apps.get_model("accounts", "ApiToken").issue(user, "test")
        self.client = client
        self.headers = {"Authorization": f"Bearer {key}"}

    def get(self, path, **params):
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path, data=None, headers=None):
        return self.client.post(
            f"/api/v1{path}",
            json.dumps(data or {}),
            content_type="application/json",
            headers={**self.headers, **(headers or {})},
        )

    def upload(self, path, file, **fields):
        return self.client.post(f"/api/v1{path}", {"file": file, **fields}, headers=self.headers)
