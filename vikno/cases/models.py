"""Applications (звернення) from intake to issuance.

Reading order for a newcomer: ``Case`` (one application for one service version), its
``CaseEvent`` history (every transition), its ``CaseTask`` list (built from the service's ТК), the
documents taken in (``CaseDocument``) and given out (``ResultDocument``), and the ``Issuance``.
The operations that change these rows live in ``vikno/cases/services.py``.
"""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.core import signing
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vikno.core.db.atomic import SavedWithItsSignals
from vikno.core.scoping import ScopedManager

from .signals import case_refreshed


class Status(models.TextChoices):
    """Statuses the applicant sees (vikno/cases/workflow.py holds the allowed transitions)."""

    SUBMITTED_ONLINE = "submitted_online", _("Submitted online")
    ACCEPTED = "accepted", pgettext_lazy("case status", "Accepted")
    SENT_TO_PROVIDER = "sent_to_provider", _("Sent to the provider")
    IN_PROGRESS = "in_progress", pgettext_lazy("case status", "In progress")
    NEEDS_CLARIFICATION = "needs_clarification", _("Needs clarification")
    RESULT_READY = "result_ready", _("Result ready at the center")
    ISSUED = "issued", pgettext_lazy("case status", "Issued")
    REFUSED = "refused", pgettext_lazy("case status", "Refused")
    REFUSAL_ISSUED = "refusal_issued", _("Refusal issued")
    WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")
    DISMISSED = "dismissed", _("Left without consideration")


CLOSED_STATUSES = (Status.ISSUED, Status.REFUSAL_ISSUED, Status.WITHDRAWN, Status.DISMISSED)
# Every status a case can still move from: its term is running, or the result waits to be handed out.
OPEN_STATUSES = tuple(status for status in Status if status not in CLOSED_STATUSES)
# What the staff workplace counts over open cases (vikno/cases/services.py ``workload``): kept in the
# open-case indexes so the counts are index-only scans, however many closed cases a center holds.
OPEN_CASE_COUNTED = ["due_at", "suspended_since", "result_ready_at", "escalated_at"]
# the provider has decided: a result or a refusal, waiting in the center or handed over
DECIDED_STATUSES = (Status.RESULT_READY, Status.ISSUED, Status.REFUSED, Status.REFUSAL_ISSUED)


class Channel(models.TextChoices):
    MAIN = "main", _("Main office of the center")
    BRANCH = "branch", _("Branch office")
    REMOTE = "remote", _("Remote workplace")
    MOBILE = "mobile", _("Mobile center")
    ONLINE = "online", pgettext_lazy("channel", "Online")


class Applicant(models.Model):
    """A person or a legal entity who applies. Kept per center: a center's staff find only the
    applicants of their own center, and every view of the personal data is audited."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Individual")
        LEGAL_ENTITY = "legal_entity", _("Legal entity")

    SCOPE_FIELDS = {"center": "center_id", "region": "region_id"}

    center = models.ForeignKey("orgs.Center", on_delete=models.PROTECT, related_name="applicants", db_index=False)
    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="+", editable=False)
    kind = models.CharField(max_length=15, choices=Kind.choices, default=Kind.PERSON)
    last_name = models.CharField(max_length=150, blank=True)
    first_name = models.CharField(max_length=150, blank=True)
    patronymic = models.CharField(max_length=150, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    rnokpp = models.CharField(max_length=10, blank=True, help_text="РНОКПП, validated with stdnum.ua.rntrc.")
    refused_rnokpp = models.BooleanField(default=False, help_text="Refused a РНОКПП for religious reasons.")
    passport_series = models.CharField(max_length=2, blank=True)
    passport_number = models.CharField(max_length=9, blank=True)
    id_card_number = models.CharField(max_length=9, blank=True)
    unzr = models.CharField(max_length=14, blank=True, help_text="УНЗР: YYYYMMDD-NNNNN.")
    edrpou = models.CharField(max_length=8, blank=True)
    organisation_name = models.CharField(max_length=500, blank=True)
    head_name = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=16, blank=True, help_text="E.164, e.g. +380501234567.")
    email = models.EmailField(blank=True)
    address = models.CharField(max_length=500, blank=True)
    settlement = models.ForeignKey("orgs.Settlement", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    sms_consent = models.BooleanField(default=False)
    email_consent = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        indexes = [
            models.Index(fields=["center", "rnokpp"], name="applicant_center_rnokpp"),
            models.Index(fields=["center", "phone"], name="applicant_center_phone"),
            models.Index(fields=["center", "edrpou"], name="applicant_center_edrpou"),
            # Pattern operator classes, so that «surname starts with» (LIKE 'prefix%') is an index range
            # scan whatever the database collation; equality lookups use it too.
            models.Index(
                fields=["center", "last_name", "first_name"],
                name="applicant_center_name_prefix",
                opclasses=["int8_ops", "varchar_pattern_ops", "varchar_pattern_ops"],
            ),
            GinIndex(fields=["last_name"], name="applicant_last_name_trgm", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.kind == self.Kind.LEGAL_ENTITY:
            return self.organisation_name
        return " ".join(p for p in [self.last_name, self.first_name, self.patronymic] if p)


class Representative(models.Model):
    """Someone acting for the applicant, with the power of attorney (довіреність) details."""

    SCOPE_FIELDS = {"center": "center_id"}

    center = models.ForeignKey("orgs.Center", on_delete=models.PROTECT, related_name="+")
    full_name = models.CharField(max_length=300)
    rnokpp = models.CharField(max_length=10, blank=True)
    identity_document = models.CharField(max_length=200, blank=True)
    authority_document = models.CharField(max_length=300, help_text="Довіреність: number, date, who certified it.")
    authority_valid_until = models.DateField(null=True, blank=True)
    phone = models.CharField(max_length=16, blank=True)

    objects = ScopedManager()

    def __str__(self) -> str:
        return self.full_name


class CaseNumberCounter(models.Model):
    """The last number given in a center in a year. Registration takes the row lock, so numbers are
    gap-free and unique even when many administrators register at the same moment."""

    center = models.ForeignKey("orgs.Center", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["center", "year"], name="case_counter_center_year")]

    def __str__(self) -> str:
        return f"{self.center_id}/{self.year}: {self.last_value}"


class Case(SavedWithItsSignals):
    SCOPE_FIELDS = {"center": "center_id", "region": "region_id", "provider": "provider_id"}

    center = models.ForeignKey("orgs.Center", on_delete=models.PROTECT, related_name="cases", db_index=False)
    region = models.ForeignKey(
        "orgs.Region", on_delete=models.PROTECT, related_name="+", editable=False, db_index=False
    )
    office = models.ForeignKey(
        "orgs.Office",
        on_delete=models.PROTECT,
        related_name="cases_filed",
        help_text="Where the application was filed.",
    )
    current_office = models.ForeignKey(
        "orgs.Office",
        on_delete=models.PROTECT,
        related_name="cases_here",
        help_text="Where the case is now (after a transfer).",
    )
    provider = models.ForeignKey(
        "orgs.Provider", on_delete=models.PROTECT, null=True, blank=True, related_name="cases", db_index=False
    )
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="cases")
    service_version = models.ForeignKey("catalog.ServiceVersion", on_delete=models.PROTECT, related_name="cases")
    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="cases", db_index=False)
    representative = models.ForeignKey(
        Representative, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    number = models.CharField(max_length=32, unique=True)
    year = models.PositiveSmallIntegerField()
    seq = models.PositiveIntegerField()
    access_code = models.CharField(max_length=12, help_text="Secret code printed on the receipt for status checks.")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.ACCEPTED)
    status_changed_at = models.DateTimeField()
    filed_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True, help_text="Legal deadline, moved by suspensions.")
    suspended_since = models.DateTimeField(null=True, blank=True)
    suspended_days = models.PositiveIntegerField(default=0, help_text="Working days the term was suspended.")
    extended_days = models.PositiveIntegerField(default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)
    instant = models.BooleanField(default=False)
    fee_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    fee_budget_code = models.CharField(max_length=8, blank=True)
    pay_later_allowed = models.BooleanField(default=False)
    result_ready_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    uncollected_reminded_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.TextField(blank=True)
    refusal_ground = models.CharField(max_length=500, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_cases",
        help_text="For a complex service: the main case.",
    )
    created_by_id = models.BigIntegerField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=80, blank=True)
    request_fingerprint = models.CharField(max_length=64, blank=True)

    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["center", "year", "seq"], name="case_center_year_seq"),
            models.UniqueConstraint(
                fields=["center", "idempotency_key"], condition=~Q(idempotency_key=""), name="case_idempotency_key"
            ),
        ]
        indexes = [
            models.Index(fields=["center", "-filed_at"], name="case_center_filed"),
            models.Index(fields=["region", "-filed_at"], name="case_region_filed"),
            models.Index(fields=["provider", "status"], name="case_provider_status"),
            models.Index(fields=["center", "status", "due_at"], name="case_center_status_due"),
            models.Index(fields=["applicant"], name="case_applicant"),
            models.Index(fields=["center", "closed_at"], name="case_center_closed"),
            # the open cases of a center and of a region, for the workplace's counts (small: open cases only)
            models.Index(
                fields=["center", "status"],
                include=OPEN_CASE_COUNTED,
                condition=Q(status__in=OPEN_STATUSES),
                name="case_center_open",
            ),
            models.Index(
                fields=["region", "status"],
                include=["center", *OPEN_CASE_COUNTED],  # the oblast's counts go by center
                condition=Q(status__in=OPEN_STATUSES),
                name="case_region_open",
            ),
            # the service-timing roll-up reads the cases of a center decided on a day (vikno/reports/rollup.py)
            models.Index(
                F("center"),
                Coalesce("result_ready_at", "closed_at"),
                condition=Q(status__in=DECIDED_STATUSES),
                name="case_center_decided",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def refresh_from_db(self, using=None, fields=None, from_queryset=None) -> None:
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        case_refreshed.send(sender=Case, instance=self, fields=fields)

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


class CaseEvent(models.Model):
    """One step of the case's history: who, when, from which office, what changed, why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", db_index=False)
    at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=200, blank=True)
    office = models.ForeignKey("orgs.Office", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24, blank=True)
    comment = models.TextField(blank=True)
    visible_to_applicant = models.BooleanField(default=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["case", "at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class CaseTask(models.Model):
    """A step of the service's technological card (ТК), copied to the case with its own due time."""

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("task state", "Pending")
        ACTIVE = "active", pgettext_lazy("task state", "In progress")
        DONE = "done", pgettext_lazy("task state", "Done")
        SKIPPED = "skipped", pgettext_lazy("task state", "Skipped")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks", db_index=False)
    position = models.PositiveSmallIntegerField()
    action = models.TextField()
    role = models.CharField(max_length=20)
    action_type = models.CharField(max_length=1)
    term_value = models.PositiveIntegerField(null=True, blank=True)
    term_unit = models.CharField(max_length=20, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["case", "position"]
        constraints = [models.UniqueConstraint(fields=["case", "position"], name="case_task_position")]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.position} {self.action}"


class CaseDocument(models.Model):
    """A document of the input package (вхідний пакет): from the ІК checklist, with an optional scan."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    position = models.PositiveSmallIntegerField()
    name = models.TextField()
    original = models.BooleanField(default=False)
    copy = models.BooleanField(default=False)
    pages = models.PositiveSmallIntegerField(null=True, blank=True)
    provided = models.BooleanField(default=True)
    # brought by the applicant beyond the ІК list (the card lists none, or a supporting paper)
    extra = models.BooleanField(default=False)
    file = models.FileField(upload_to="cases/%Y/%m/", null=True, blank=True)
    content_type = models.CharField(max_length=50, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "position"]

    def __str__(self) -> str:
        return self.name


class ResultDocument(models.Model):
    """A result (or refusal) document attached by the provider; stored with its SHA-256."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="results")
    name = models.CharField(max_length=300)
    is_refusal = models.BooleanField(default=False)
    file = models.FileField(upload_to="results/%Y/%m/")
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()
    uploaded_by_id = models.BigIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class Issuance(models.Model):
    """Handing the result (or the refusal) to the applicant or the representative."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="issuance")
    issued_at = models.DateTimeField()
    issued_by_id = models.BigIntegerField(null=True, blank=True)
    office = models.ForeignKey("orgs.Office", on_delete=models.PROTECT, related_name="+")
    to_representative = models.BooleanField(default=False)
    recipient_name = models.CharField(max_length=300)
    identity_document = models.CharField(max_length=200, help_text="Type and number of the identity document shown.")
    note = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.case_id} → {self.recipient_name}"


class Consultation(SavedWithItsSignals):
    """One consultation given (counted in the reports)."""

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("By phone")
        EMAIL = "email", _("By email")
        ONLINE = "online", pgettext_lazy("channel", "Online")

    SCOPE_FIELDS = {"center": "center_id", "region": "region_id"}

    center = models.ForeignKey("orgs.Center", on_delete=models.PROTECT, related_name="consultations", db_index=False)
    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="+", editable=False)
    office = models.ForeignKey("orgs.Office", on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    topic = models.CharField(max_length=300, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.IN_PERSON)
    at = models.DateTimeField()
    by_id = models.BigIntegerField(null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        indexes = [models.Index(fields=["center", "-at"], name="consultation_center_at")]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.at):%Y-%m-%d} {self.topic or self.service_id}"


STAGED_SALT = "vikno.cases.staged-upload"


class StagedUpload(models.Model):
    """A file that passed the upload checks in a form refused as a whole (the staff intake or the online
    application): a browser cannot fill a file input again, so the file is kept for the session that sent
    it (``visitor``, a random key in that session) and attached to the case when the corrected form is
    submitted. ``field`` names the form's row («doc-0», «doc_1»). Rows older than a day are swept with their
    files. The operations live in ``vikno/cases/staging.py``."""

    visitor = models.CharField(max_length=64)
    field = models.CharField(max_length=20)
    file = models.FileField(upload_to="staged-uploads/%Y/%m/%d/")
    name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=50)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["visitor"], name="cases_staged_visitor"),
            models.Index(fields=["created_at"], name="cases_staged_created"),
        ]

    def __str__(self) -> str:
        return f"{self.field}: {self.name}"

    @property
    def token(self) -> str:
        """What the re-rendered form carries in a hidden input: this row and its field, signed
        (``staging.resolve`` reads it back)."""
        return signing.dumps({"id": self.pk, "field": self.field}, salt=STAGED_SALT)
