"""The service catalog. A ``Service`` is a stable code with its classification; everything a
council or a law can change lives in a ``ServiceVersion`` with a validity period, and cases refer
to the version in force on the day of filing."""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from vikno.core.scoping import ScopedManager
from vikno.orgs.models import Center, Hromada, Office, Provider, Region


def term_display(value: int | None, unit: str) -> str:
    """A term in words with the number's plural form: «1 робочий день», «3 робочі дні», «10 робочих днів»."""
    if not value:
        return ""
    if unit == "hours":
        return ngettext("%(n)d hour", "%(n)d hours", value) % {"n": value}
    if unit == "working_days":
        return ngettext("%(n)d working day", "%(n)d working days", value) % {"n": value}
    if unit == "calendar_days":
        return ngettext("%(n)d calendar day", "%(n)d calendar days", value) % {"n": value}
    return str(value)


class Sphere(models.Model):
    code = models.CharField(max_length=3, unique=True, help_text="Three Latin capitals, the prefix of service codes.")
    name_uk = models.CharField(max_length=300)
    name_en = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name_uk


class LifeSituation(models.Model):
    """A life or business situation grouping services; ``synonyms`` are how people say it."""

    class Kind(models.TextChoices):
        LIFE = "life", _("Life situation")
        BUSINESS = "business", _("Business situation")

    code = models.CharField(max_length=60, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.LIFE)
    name_uk = models.CharField(max_length=300)
    name_en = models.CharField(max_length=300, blank=True)
    description_uk = models.TextField(blank=True)
    synonyms = models.JSONField(default=list, blank=True, help_text="Phrases people use, e.g. «народила дитину».")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name_uk"]

    def __str__(self) -> str:
        return self.name_uk


class SubsistenceMinimum(models.Model):
    """ПМ for able-bodied persons on 1 January of a year, the base of most fees (UAH per month)."""

    year = models.PositiveSmallIntegerField(unique=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount} грн"


class FeeRule(models.Model):
    """A fee formula: a coefficient of the ПМ on 1 January of the filing year, with rounding."""

    class Base(models.TextChoices):
        PM_ABLE_BODIED_JAN1 = "pm_able_bodied_jan1", _("Subsistence minimum for able-bodied persons on 1 January")

    class Rounding(models.TextChoices):
        NEAREST_10_UAH = "nearest_10_uah", _("to the nearest 10 UAH")
        NONE_KOPECKS = "none_kopecks", _("no rounding (with kopecks)")

    rule_id = models.CharField(max_length=80, unique=True)
    name_uk = models.TextField()
    legal_basis = models.TextField(blank=True)
    base = models.CharField(max_length=30, choices=Base.choices, default=Base.PM_ABLE_BODIED_JAN1)
    coefficient = models.DecimalField(max_digits=10, decimal_places=5)
    rounding = models.CharField(max_length=20, choices=Rounding.choices)
    budget_code = models.CharField(max_length=8, blank=True, help_text="КБК: budget classification code.")
    budget_code_name = models.TextField(blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["rule_id"]

    def __str__(self) -> str:
        return self.rule_id


class Service(models.Model):
    """The stable identity of an administrative service."""

    code = models.CharField(max_length=20, unique=True)
    sphere = models.ForeignKey(Sphere, on_delete=models.PROTECT, related_name="services")
    life_situations = models.ManyToManyField(LifeSituation, blank=True, related_name="services")
    is_active = models.BooleanField(default=True)
    # Denormalised for fast lists and search: the version in force today and its searchable text.
    current_version = models.ForeignKey(
        "ServiceVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name_uk = models.CharField(max_length=500, help_text="Name of the version in force (copy).")
    search_text = models.TextField(blank=True, help_text="Lemmatised words of names, life situations, synonyms.")
    search_vector = SearchVectorField(null=True)
    demand = models.PositiveIntegerField(
        default=0,
        help_text="Cases of this service registered in the last 365 days, all centers; a search ranking signal "
        "kept by vikno.cases.demand.refresh() every night.",
    )

    class Meta:
        ordering = ["code"]
        indexes = [
            GinIndex(fields=["search_vector"], name="service_search_vector"),
            GinIndex(fields=["search_text"], name="service_search_trgm", opclasses=["gin_trgm_ops"]),
            GinIndex(fields=["name_uk"], name="service_name_trgm", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_uk}"

    SEARCH_FIELDS = ("search_text", "search_vector", "demand")

    def save(self, *args, **kwargs):
        # The search columns belong to vikno.catalog.search.reindex() (and ``demand`` to the nightly
        # vikno.cases.demand.refresh()); an ordinary save of an existing
        # row must not write back the (usually stale or empty) in-memory copies over them.
        if self.pk and not kwargs.get("force_insert") and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name not in self.SEARCH_FIELDS
            ]
        super().save(*args, **kwargs)


class ServiceVersion(models.Model):
    """One version of a service's content. Versions of a service do not overlap in time."""

    class TermUnit(models.TextChoices):
        HOURS = "hours", pgettext_lazy("term unit", "hours")
        WORKING_DAYS = "working_days", pgettext_lazy("term unit", "working days")
        CALENDAR_DAYS = "calendar_days", pgettext_lazy("term unit", "calendar days")

    @property
    def term_display(self) -> str:
        return term_display(self.term_value, self.term_unit)

    @property
    def shown_name(self) -> str:
        """The name in the reader's language: the English one on English pages when it is set."""
        return self.name_en if self.name_en and (get_language() or "").startswith("en") else self.name_uk

    class FeeKind(models.TextChoices):
        FREE = "free", _("Free of charge")
        FIXED = "fixed", _("Fixed amount")
        RULE = "rule", _("By a formula from the subsistence minimum")
        VARIABLE = "variable", _("Depends on the circumstances")

    class ProviderLevel(models.TextChoices):
        STATE = "state", _("State body")
        LOCAL = "local", _("Local self-government body")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text="Last day in force; empty = open-ended.")
    name_uk = models.CharField(max_length=500)
    name_en = models.CharField(max_length=500, blank=True)
    provider_kind = models.CharField(max_length=400, blank=True, help_text="The type of body that decides.")
    provider_level = models.CharField(max_length=10, choices=ProviderLevel.choices, blank=True)
    legal_basis = models.TextField(blank=True)
    term_value = models.PositiveIntegerField()
    term_unit = models.CharField(max_length=20, choices=TermUnit.choices)
    fee_kind = models.CharField(max_length=10, choices=FeeKind.choices, default=FeeKind.FREE)
    fee_rule = models.ForeignKey(FeeRule, on_delete=models.PROTECT, null=True, blank=True, related_name="versions")
    fee_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    fee_budget_code = models.CharField(max_length=8, blank=True)
    pay_later_allowed = models.BooleanField(default=False, help_text="The case may go to the СНАП before payment.")
    result_uk = models.TextField(blank=True)
    how_to_receive_uk = models.TextField(blank=True)
    grounds_for_refusal = models.JSONField(default=list, blank=True)
    instant = models.BooleanField(default=False)
    online = models.BooleanField(default=False)
    complex = models.BooleanField(default=False)
    sub_services = models.ManyToManyField(Service, blank=True, related_name="part_of_versions")
    info_card = models.JSONField(default=dict, blank=True, help_text="Further ІК fields: term and fee texts, notes…")
    source = models.TextField(blank=True)
    verified = models.BooleanField(default=False)
    change_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["service", "number"]
        constraints = [
            models.UniqueConstraint(fields=["service", "number"], name="service_version_number_unique"),
            models.UniqueConstraint(fields=["service", "valid_from"], name="service_version_valid_from_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="service_version_period_valid",
            ),
            models.CheckConstraint(condition=Q(term_value__gte=1), name="service_version_term_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.service.code} v{self.number}"


class RequiredDocument(models.Model):
    """A document of the ІК checklist, in order."""

    version = models.ForeignKey(ServiceVersion, on_delete=models.CASCADE, related_name="documents")
    position = models.PositiveSmallIntegerField()
    name = models.TextField()
    original = models.BooleanField(default=True, help_text="The original is shown.")
    copy = models.BooleanField(default=False, help_text="A copy is kept in the case.")
    pages = models.PositiveSmallIntegerField(null=True, blank=True)
    condition = models.CharField(max_length=300, blank=True, help_text="When it is needed, e.g. «для представника».")

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "position"], name="required_document_position")]

    def __str__(self) -> str:
        return self.name


class TechStep(models.Model):
    """A step of the technological card (ТК): who does what, of which kind, within which term."""

    class ActionType(models.TextChoices):
        PERFORMS = "В", _("Performs")
        TAKES_PART = "У", _("Takes part")
        AGREES = "П", _("Agrees")
        APPROVES = "З", _("Approves")

    class Role(models.TextChoices):
        ADMINISTRATOR = "administrator", _("Center administrator")
        OFFICER = "officer", _("Provider officer")
        CENTER_HEAD = "center_head", _("Center head")
        PROVIDER_HEAD = "provider_head", _("Provider head")

    version = models.ForeignKey(ServiceVersion, on_delete=models.CASCADE, related_name="tech_steps")
    position = models.PositiveSmallIntegerField()
    action = models.TextField()
    role = models.CharField(max_length=20, choices=Role.choices)
    action_type = models.CharField(max_length=1, choices=ActionType.choices)
    term_value = models.PositiveIntegerField(null=True, blank=True)
    term_unit = models.CharField(max_length=20, choices=ServiceVersion.TermUnit.choices, blank=True)

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "position"], name="tech_step_position")]

    def __str__(self) -> str:
        return f"{self.position}. {self.action}"

    @property
    def term_display(self) -> str:
        return term_display(self.term_value, self.term_unit)


class ServiceList(models.Model):
    """A council-approved list (перелік) of a center's services; the newest one in force applies.
    Older lists stay as history, so the number of services per year can be shown."""

    SCOPE_FIELDS = {"center": "center_id", "region": "region_id"}

    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="service_lists")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    decision_number = models.CharField(max_length=60)
    decision_date = models.DateField()
    valid_from = models.DateField()
    title = models.CharField(max_length=500, blank=True)
    services = models.ManyToManyField(Service, through="ServiceListEntry", related_name="service_lists")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["center", "-valid_from"]
        indexes = [models.Index(fields=["center", "-valid_from"], name="service_list_center_from")]
        constraints = [models.UniqueConstraint(fields=["center", "valid_from"], name="service_list_one_per_day")]

    def __str__(self) -> str:
        return f"№ {self.decision_number} від {self.decision_date:%d.%m.%Y}"

    def save(self, *args, **kwargs):
        self.region_id = Center.objects.values_list("region_id", flat=True).get(pk=self.center_id)
        super().save(*args, **kwargs)


class ServiceListEntry(models.Model):
    service_list = models.ForeignKey(ServiceList, on_delete=models.CASCADE, related_name="entries")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["service_list", "position"]
        constraints = [models.UniqueConstraint(fields=["service_list", "service"], name="service_list_entry_unique")]

    def __str__(self) -> str:
        return f"{self.service_list}: {self.service_id}"


class OfficeService(models.Model):
    """A service an office provides (an office may offer fewer services than its center's list)."""

    SCOPE_FIELDS = {"center": "center_id", "region": "region_id"}

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="offered_services")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="offices")
    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="+", editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)

    objects = ScopedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "service"], name="office_service_unique")]
        indexes = [models.Index(fields=["center"], name="office_service_center")]

    def __str__(self) -> str:
        return f"{self.office_id}: {self.service_id}"

    def save(self, *args, **kwargs):
        self.center_id, self.region_id = Office.objects.values_list("center_id", "region_id").get(pk=self.office_id)
        super().save(*args, **kwargs)


class ProviderService(models.Model):
    """A service a provider (СНАП) decides on, for the listed hromadas (empty = its whole region)."""

    SCOPE_FIELDS = {"provider": "provider_id", "region": "region_id"}

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="provided_services")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="providers")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    hromadas = models.ManyToManyField(Hromada, blank=True, related_name="+")

    objects = ScopedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "service"], name="provider_service_unique")]
        indexes = [models.Index(fields=["provider"], name="provider_service_provider")]

    def __str__(self) -> str:
        return f"{self.provider_id}: {self.service_id}"

    def save(self, *args, **kwargs):
        self.region_id = Provider.objects.values_list("region_id", flat=True).get(pk=self.provider_id)
        super().save(*args, **kwargs)
