"""What registering an application needs from the catalog, kept up to a minute in each process.

Every registration of a service on a given day reads the same rows: the service by its code, the
version in force that day, its fee, its ІК documents and its ТК steps: five queries and their ORM
compilation, about a quarter of a registration's cost. They are kept here per process:

- ``service_by_code(code) -> Service | None``;
- ``terms(service, on_date) -> IntakeTerms | None`` (None: no version in force that day). A fee
  that cannot be computed raises the ``DomainError`` of ``fee_for`` and is not kept.

An entry lives ``CACHE_SECONDS`` (a minute); misses (None) are not kept. Saving or deleting a
service, version, document, step, fee rule or subsistence minimum through the ORM empties the cache
of the process that saved it at once; so do the catalog importers' bulk writes. Other processes see
such a change within a minute. A new version is dated (``valid_from``) and the filing day is part
of the key, so a version coming into force is used from its first day; only an edit of the version
in force (a corrected ТК step or document name) reaches the other workers up to a minute later.
Kept objects are shared between requests: callers read them and never change them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import signals

from vikno.core.ttlcache import TtlCache

from .fees import FeeQuote, fee_for
from .models import FeeRule, RequiredDocument, Service, ServiceVersion, SubsistenceMinimum, TechStep
from .services import version_in_force

CACHE_SECONDS = 60
CACHE_SIZE = 5000
_cache = TtlCache(CACHE_SECONDS, CACHE_SIZE)


@dataclass(frozen=True)
class IntakeTerms:
    """The version in force on the filing day, its fee, ІК documents and ТК steps (by position)."""

    version: ServiceVersion
    fee: FeeQuote
    documents: tuple[RequiredDocument, ...]
    steps: tuple[TechStep, ...]


def service_by_code(code: str) -> Service | None:
    """The service with this catalog code (case and surrounding spaces ignored), without its long
    search columns."""
    code = (code or "").strip().upper()
    return _cache.get(
        ("service", code),
        lambda: Service.objects.filter(code=code).defer("search_text", "search_vector").first(),
    )


def terms(service: Service, on_date: dt.date) -> IntakeTerms | None:
    """The terms an application for ``service`` filed on ``on_date`` is registered under."""

    def load() -> IntakeTerms | None:
        version = version_in_force(service, on_date)
        if version is None:
            return None
        return IntakeTerms(
            version=version,
            fee=fee_for(version, on_date),
            documents=tuple(version.documents.order_by("position")),
            steps=tuple(version.tech_steps.order_by("position")),
        )

    return _cache.get(("terms", service.pk, on_date), load)


def forget(**_kwargs) -> None:
    """Empty this process's cache (connected to saves and deletes of the catalog models read here)."""
    _cache.clear()


for _model in (Service, ServiceVersion, RequiredDocument, TechStep, FeeRule, SubsistenceMinimum):
    signals.post_save.connect(forget, sender=_model, dispatch_uid=f"intake_forget_save_{_model.__name__}")
    signals.post_delete.connect(forget, sender=_model, dispatch_uid=f"intake_forget_delete_{_model.__name__}")
