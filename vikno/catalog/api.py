"""Public catalog API: services (search and list), one service's card, spheres, life situations.

``GET /services`` with ``q`` answers the best matches first (``vikno.catalog.search``; at most
``limit`` of them, ``next_cursor`` is always null); without ``q`` (or with a blank one) it lists
the active services ordered by code, one keyset page at a time. A ``q`` with no letter or digit
is a 400 ``empty_query``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone, translation
from ninja import Field, Query, Router, Schema

from vikno.core.api_errors import ApiError
from vikno.core.errors import DomainError, NotFound
from vikno.core.pagination import paginate

from . import search, services
from .fees import format_uah, round_fee
from .models import LifeSituation, Service, ServiceVersion, Sphere, SubsistenceMinimum, term_display

router = Router(tags=["catalog"])

SEARCH_MAX_LIMIT = 50


# --- Schemas -----------------------------------------------------------------------------------


class SphereRef(Schema):
    code: str = Field(..., description="Three Latin capitals, the prefix of service codes.", examples=["ACS"])
    name: str = Field(..., description="Name in Ukrainian.", examples=["Державна реєстрація актів цивільного стану"])


class TermOut(Schema):
    value: int | None = Field(None, description="Legal term of the service, a number of units.", examples=[1])
    unit: str = Field("", description="`hours`, `working_days` or `calendar_days`.", examples=["working_days"])
    text: str = Field("", description="The term in Ukrainian.", examples=["1 робочий день"])


class FeeBrief(Schema):
    kind: str = Field("", description="`free`, `fixed`, `rule` (a share of the ПМ) or `variable`.", examples=["rule"])
    amount: Decimal | None = Field(
        None,
        description="Amount due today in UAH; null when it depends on the case or cannot be computed.",
        examples=["30.00"],
    )
    text: str = Field("", description="The fee in Ukrainian.", examples=["30,00 грн"])


class ServiceItem(Schema):
    code: str = Field(..., description="Stable service code.", examples=["ACS-001"])
    name: str = Field(
        ...,
        description="Name of the version in force.",
        examples=["Державна реєстрація народження фізичної особи та її походження"],
    )
    sphere: SphereRef
    term: TermOut
    fee: FeeBrief
    online: bool = Field(False, description="Can be applied for online.")
    instant: bool = Field(False, description="Instant service: the result is given at once.")
    score: float | None = Field(
        None, description="Relevance to `q` (higher is better); null when listing without `q`.", examples=[2.17]
    )


class ServicePage(Schema):
    items: list[ServiceItem] = Field(..., description="Services, best match first (with `q`) or by code.")
    next_cursor: str | None = Field(
        None, description="Pass as `cursor` to get the next page; null on the last page and for searches."
    )


class ServiceListQuery(Schema):
    q: str | None = Field(
        None,
        description="Search text: a service name, a code or a life situation in everyday words; "
        "typos are tolerated. Absent or blank: list all services by code.",
    )
    sphere: str | None = Field(None, description="Only services of this sphere code (listing without `q`).")
    life_situation: str | None = Field(
        None, description="Only services of this life situation code (listing without `q`)."
    )
    cursor: str | None = Field(None, description="`next_cursor` of the previous page (listing without `q`).")
    limit: int = Field(
        50, ge=1, le=200, description=f"Page size (up to 200); a search returns at most {SEARCH_MAX_LIMIT} results."
    )


class DocumentOut(Schema):
    position: int = Field(..., description="Order in the checklist.")
    name: str = Field(..., description="The document.")
    original: bool = Field(..., description="The original is shown.")
    copy_kept: bool = Field(..., description="A copy is kept in the case.")
    pages: int | None = Field(None, description="Pages, if known.")
    condition: str = Field("", description="When it is needed, e.g. «для представника».")


class StepOut(Schema):
    position: int
    action: str = Field(..., description="What is done.")
    role: str = Field(..., description="`administrator`, `officer`, `center_head` or `provider_head`.")
    action_type: str = Field(..., description="В (performs), У (takes part), П (agrees) or З (approves).")
    term: TermOut


class LifeSituationRef(Schema):
    code: str = Field(..., examples=["CHILD_BIRTH"])
    name: str = Field(..., examples=["Народження дитини"])


class ServiceDetail(Schema):
    code: str = Field(..., examples=["ACS-001"])
    name: str
    name_en: str = ""
    sphere: SphereRef
    life_situations: list[LifeSituationRef] = Field(..., description="Life situations the service belongs to.")
    version: int = Field(..., description="Number of the version in force today.")
    valid_from: dt.date = Field(..., description="First day the version is in force.")
    valid_to: dt.date | None = Field(None, description="Last day in force; null when open-ended.")
    provider_kind: str = Field("", description="The type of body that decides (СНАП).")
    legal_basis: str = ""
    term: TermOut
    fee: FeeBrief = Field(..., description="The fee for an application filed today.")
    online: bool
    instant: bool
    complex: bool = Field(..., description="A bundled service (one application, several services).")
    sub_services: list[str] = Field(..., description="Codes of the services a bundled service includes.")
    result: str = Field("", description="What the applicant receives.")
    how_to_receive: str = Field("", description="How the result is received.")
    grounds_for_refusal: list[str] = Field(..., description="Grounds for refusal.")
    documents: list[DocumentOut] = Field(..., description="Required documents of the information card (ІК).")
    tech_steps: list[StepOut] = Field(..., description="Steps of the technological card (ТК).")


class SphereOut(Schema):
    code: str = Field(..., examples=["ACS"])
    name: str = Field(..., examples=["Державна реєстрація актів цивільного стану"])
    name_en: str = Field("", examples=["Civil status registration"])
    services: int = Field(..., description="Number of active services in the sphere.")


class LifeSituationOut(Schema):
    code: str = Field(..., examples=["CHILD_BIRTH"])
    kind: str = Field(..., description="`life` or `business`.")
    name: str = Field(..., examples=["Народження дитини"])
    name_en: str = ""
    description: str = ""
    synonyms: list[str] = Field(..., description="How people say it; the search understands these.")
    services: int = Field(..., description="Number of active services for the situation.")


# --- Helpers -------------------------------------------------------------------------------------


def term_text(value: int | None, unit: str) -> str:
    """«1 робочий день», «3 робочі дні», «10 робочих днів»: the API speaks Ukrainian whatever the caller's
    language (the same words as the pages, from the catalog's translation)."""
    if unit not in ServiceVersion.TermUnit.values:
        return ""
    with translation.override("uk"):
        return term_display(value, unit)


def _term(value, unit) -> TermOut:
    return TermOut(value=value, unit=unit or "", text=term_text(value, unit))


def _fee_brief(kind, amount, coefficient, rounding, pm) -> FeeBrief:
    """A fee for a list row without further queries (the ПМ of this year is fetched once)."""
    if kind == ServiceVersion.FeeKind.FREE:
        return FeeBrief(kind=kind, amount=Decimal("0.00"), text="Безоплатно")
    if kind == ServiceVersion.FeeKind.FIXED and amount is not None:
        return FeeBrief(kind=kind, amount=amount, text=format_uah(amount))
    if kind == ServiceVersion.FeeKind.RULE and coefficient is not None and pm is not None:
        try:
            due = round_fee(Decimal(coefficient) * pm, rounding)
        except DomainError:
            due = None
        if due is not None:
            return FeeBrief(kind=kind, amount=due, text=format_uah(due))
    labels = dict(ServiceVersion.FeeKind.choices)
    return FeeBrief(kind=kind or "", amount=None, text=str(labels.get(kind, "")))  # Ukrainian: the API's language


def _item_from_hit(hit: search.SearchHit) -> ServiceItem:
    return ServiceItem(
        code=hit.code,
        name=hit.name,
        sphere=SphereRef(code=hit.sphere_code, name=hit.sphere_name),
        term=_term(hit.term_value, hit.term_unit),
        fee=_fee_brief(hit.fee_kind, hit.fee_amount, hit.fee_coefficient, hit.fee_rounding, hit.subsistence_minimum),
        online=hit.online,
        instant=hit.instant,
        score=hit.score,
    )


def _item_from_service(service: Service, pm) -> ServiceItem:
    version = service.current_version
    rule = version.fee_rule if version else None
    return ServiceItem(
        code=service.code,
        name=service.name_uk,
        sphere=SphereRef(code=service.sphere.code, name=service.sphere.name_uk),
        term=_term(version.term_value if version else None, version.term_unit if version else ""),
        fee=_fee_brief(
            version.fee_kind if version else "",
            version.fee_amount if version else None,
            rule.coefficient if rule else None,
            rule.rounding if rule else "",
            pm,
        ),
        online=bool(version and version.online),
        instant=bool(version and version.instant),
        score=None,
    )


# --- Endpoints -----------------------------------------------------------------------------------


@router.get(
    "/services",
    response={200: ServicePage, 400: ApiError},
    auth=None,
    summary="Search or list administrative services",
    description=(
        "З `q` — пошук українською (леми pymorphy3, стійкість до описок, синоніми життєвих ситуацій), "
        "найкращі результати першими. Без `q` — усі чинні послуги за кодом, посторінково (keyset)."
    ),
)
def list_services(request, filters: Query[ServiceListQuery]):
    q = (filters.q or "").strip()
    if q:
        hits = search.search_services(q, limit=min(filters.limit, SEARCH_MAX_LIMIT))
        return {"items": [_item_from_hit(h) for h in hits], "next_cursor": None}
    qs = Service.objects.filter(is_active=True).select_related("sphere", "current_version__fee_rule")
    if filters.sphere:
        qs = qs.filter(sphere__code=filters.sphere)
    if filters.life_situation:
        qs = qs.filter(life_situations__code=filters.life_situation)
    page = paginate(qs, key=("code",), cursor=filters.cursor, limit=filters.limit)
    pm = SubsistenceMinimum.objects.filter(year=timezone.localdate().year).values_list("amount", flat=True).first()
    return {"items": [_item_from_service(s, pm) for s in page.items], "next_cursor": page.next_cursor}


@router.get(
    "/services/{code}",
    response={200: ServiceDetail, 404: ApiError},
    auth=None,
    summary="One service: the version in force today with documents, ТК steps and fee",
)
def service_detail(request, code: str):
    service = (
        Service.objects.select_related("sphere")
        .prefetch_related("life_situations")
        .filter(code=code.strip().upper(), is_active=True)
        .first()
    )
    if service is None:
        raise NotFound(f"Послугу з кодом «{code}» не знайдено.", code="service_not_found")
    today = timezone.localdate()
    version = services.version_in_force(service, today)
    if version is None:
        raise NotFound("Послуга ще не діє або вже не надається.", code="service_not_in_force")
    version = (
        ServiceVersion.objects.select_related("fee_rule")
        .prefetch_related("documents", "tech_steps", "sub_services")
        .get(pk=version.pk)
    )
    try:
        quote = services.fee_for(version, today)
        fee = FeeBrief(kind=version.fee_kind, amount=quote.amount, text=quote.text_uk)
    except DomainError as exc:
        fee = FeeBrief(kind=version.fee_kind, amount=None, text=exc.message)
    return ServiceDetail(
        code=service.code,
        name=version.name_uk,
        name_en=version.name_en,
        sphere=SphereRef(code=service.sphere.code, name=service.sphere.name_uk),
        life_situations=[LifeSituationRef(code=ls.code, name=ls.name_uk) for ls in service.life_situations.all()],
        version=version.number,
        valid_from=version.valid_from,
        valid_to=version.valid_to,
        provider_kind=version.provider_kind,
        legal_basis=version.legal_basis,
        term=_term(version.term_value, version.term_unit),
        fee=fee,
        online=version.online,
        instant=version.instant,
        complex=version.complex,
        sub_services=sorted(s.code for s in version.sub_services.all()),
        result=version.result_uk,
        how_to_receive=version.how_to_receive_uk,
        grounds_for_refusal=[str(g) for g in (version.grounds_for_refusal or [])],
        documents=[
            DocumentOut(
                position=d.position,
                name=d.name,
                original=d.original,
                copy_kept=d.copy,
                pages=d.pages,
                condition=d.condition,
            )
            for d in version.documents.all()
        ],
        tech_steps=[
            StepOut(
                position=s.position,
                action=s.action,
                role=s.role,
                action_type=s.action_type,
                term=_term(s.term_value, s.term_unit),
            )
            for s in version.tech_steps.all()
        ],
    )


_ACTIVE = Q(services__is_active=True)


@router.get("/spheres", response=list[SphereOut], auth=None, summary="Spheres of services with service counts")
def list_spheres(request):
    rows = Sphere.objects.annotate(n=Count("services", filter=_ACTIVE)).order_by("position", "code")
    return [SphereOut(code=s.code, name=s.name_uk, name_en=s.name_en, services=s.n) for s in rows]


@router.get(
    "/life-situations",
    response=list[LifeSituationOut],
    auth=None,
    summary="Life and business situations with their synonyms and service counts",
)
def list_life_situations(request):
    rows = LifeSituation.objects.annotate(n=Count("services", filter=_ACTIVE)).order_by("position", "name_uk")
    return [
        LifeSituationOut(
            code=ls.code,
            kind=ls.kind,
            name=ls.name_uk,
            name_en=ls.name_en,
            description=ls.description_uk,
            synonyms=[str(x) for x in (ls.synonyms or [])],
            services=ls.n,
        )
        for ls in rows
    ]
