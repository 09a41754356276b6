"""Data for the portal's citizen-page tests: an online service in a center's approved list."""

from __future__ import annotations

import itertools
from datetime import date

from vikno.cases.tests.core_factories import PDF, PNG, VALID_RNOKPP, make_service
from vikno.catalog.models import ServiceList, ServiceListEntry

__all__ = ["PDF", "PNG", "VALID_RNOKPP", "applicant_data", "list_services", "online_service"]

_seq = itertools.count(1)


def list_services(center, *services):
    service_list = ServiceList.objects.filter(center=center).first() or ServiceList.objects.create(
        center=center, decision_number=f"{next(_seq)}", decision_date=date(2020, 1, 1), valid_from=date(2020, 1, 1)
    )
    for service in services:
        ServiceListEntry.objects.get_or_create(service_list=service_list, service=service)
    return service_list


def online_service(world, center=None, *, online=True, listed=True, **kwargs):
    service = make_service(providers=[world.provider_a], **kwargs)
    version = service.current_version
    version.online = online
    version.save()
    if listed:
        list_services(center or world.center_a, service)
    return service


def applicant_data(**overrides):
    data = {
        "last_name": "Коваленко",
        "first_name": "Ірина",
        "patronymic": "Олегівна",
        "rnokpp": VALID_RNOKPP,
        "phone": "0501234567",
        "email": "iryna@example.com",
        "sms_consent": "on",
        "email_consent": "on",
        "data_consent": "on",
    }
    data.update(overrides)
    return data
