"""The organisation network: territory (КАТОТТГ), centers and their offices, providers (СНАП)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from vikno.core.i18n import in_ukrainian
from vikno.core.scoping import ScopedManager

KATOTTG_REGEX = r"^UA\d{17}$"


class Region(models.Model):
    """Level 1 of the codifier: an oblast, АР Крим (category O) or a city with special status (K)."""

    class Category(models.TextChoices):
        OBLAST = "O", _("Oblast / AR of Crimea")
        SPECIAL_CITY = "K", _("City with special status")

    SCOPE_FIELDS = {"region": "id"}

    katottg = models.CharField(max_length=19, unique=True)
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=1, choices=Category.choices)

    objects = ScopedManager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Raion(models.Model):
    """Level 2: a raion (category P)."""

    katottg = models.CharField(max_length=19, unique=True)
    name = models.CharField(max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="raions")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} район"


class Hromada(models.Model):
    """Level 3: a territorial hromada (category H). Cities with special status get one too, with
    the city's own code, so that their centers fit the same tree."""

    SCOPE_FIELDS = {"region": "region_id"}

    katottg = models.CharField(max_length=19, unique=True)
    name = models.CharField(max_length=200, help_text="As in the codifier: an adjective, e.g. «Андріївська».")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="hromadas")
    raion = models.ForeignKey(Raion, on_delete=models.PROTECT, related_name="hromadas", null=True, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True, help_text="Residents, for per-1,000 figures.")

    objects = ScopedManager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "hromadas"

    def __str__(self) -> str:
        return f"{self.name} громада"


class Settlement(models.Model):
    """Level 4 (city M, selyshche X, village C) or a city district (B)."""

    class Category(models.TextChoices):
        CITY = "M", pgettext_lazy("settlement type", "city")
        SELYSHCHE = "X", pgettext_lazy("settlement type", "settlement")
        VILLAGE = "C", pgettext_lazy("settlement type", "village")
        DISTRICT = "B", pgettext_lazy("settlement type", "city district")

    katottg = models.CharField(max_length=19, unique=True)
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=1, choices=Category.choices)
    hromada = models.ForeignKey(
        Hromada,
        on_delete=models.PROTECT,
        related_name="settlements",
        null=True,
        blank=True,
        help_text="Empty for the few settlements the codifier places directly under the oblast "
        "(Прип'ять and Чорнобиль in the exclusion zone).",
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["hromada", "name"], name="settlement_hromada_name")]

    def __str__(self) -> str:
        # «село Калинівка» is the settlement's name: Ukrainian whatever the page's language
        return f"{in_ukrainian(self.Category(self.category).label)} {self.name}"


class Center(models.Model):
    """A ЦНАП of a hromada. ``region`` repeats ``hromada.region`` so that scoping is one predicate."""

    SCOPE_FIELDS = {"center": "id", "region": "region_id"}

    name = models.CharField(max_length=300)
    short_name = models.CharField(max_length=120, blank=True)
    slug = models.SlugField(max_length=80, unique=True)
    hromada = models.ForeignKey(Hromada, on_delete=models.PROTECT, related_name="centers")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="centers", editable=False)
    edrpou = models.CharField(max_length=8, blank=True)
    address = models.CharField(max_length=400, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    is_active = models.BooleanField(default=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["region"], name="center_region")]

    def save(self, *args, **kwargs):
        self.region_id = Hromada.objects.values_list("region_id", flat=True).get(pk=self.hromada_id)
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.short_name or self.name


class Office(models.Model):
    """A place where the center serves people: the main office, a ТП, a ВРМ or a mobile office."""

    class Kind(models.TextChoices):
        MAIN = "main", _("Main office")
        BRANCH = "branch", _("Branch office")
        REMOTE = "remote", _("Remote workplace")
        MOBILE = "mobile", _("Mobile center")

    SCOPE_FIELDS = {"center": "center_id", "region": "region_id"}

    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="offices")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=300)
    settlement = models.ForeignKey(Settlement, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    address = models.CharField(max_length=400, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField(default=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["center", "kind", "name"]
        indexes = [
            models.Index(fields=["center"], name="office_center"),
            models.Index(fields=["region"], name="office_region"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["center"], condition=Q(kind="main"), name="office_one_main_per_center")
        ]

    def save(self, *args, **kwargs):
        self.region_id = Center.objects.values_list("region_id", flat=True).get(pk=self.center_id)
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.name


class WeeklyHours(models.Model):
    """Opening hours of an office on one weekday (0 = Monday). A day may have several intervals
    (e.g. 08:00–12:00 and 13:00–17:00); a day without rows is closed."""

    SCOPE_FIELDS = {"center": "office__center_id"}

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="weekly_hours")
    weekday = models.PositiveSmallIntegerField(choices=sorted(WEEKDAYS.items()))  # Django's translated names
    opens = models.TimeField()
    closes = models.TimeField()

    objects = ScopedManager()

    class Meta:
        ordering = ["office", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="weekly_hours_closes_after_opens"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="weekly_hours_weekday_range"),
        ]

    def clean(self):
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError({"closes": gettext("The closing time must be later than the opening time.")})

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class ScheduleException(models.Model):
    """A dated change to the weekly schedule: a closure, a shortened day or special hours."""

    class Kind(models.TextChoices):
        CLOSED = "closed", pgettext_lazy("schedule exception", "Closed")
        SHORTENED = "shortened", _("Shortened day")
        SPECIAL = "special", _("Special hours")

    SCOPE_FIELDS = {"center": "office__center_id"}

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="schedule_exceptions")
    date = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    opens = models.TimeField(null=True, blank=True)
    closes = models.TimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["office", "date"]
        constraints = [
            models.UniqueConstraint(fields=["office", "date"], name="schedule_exception_one_per_day"),
            models.CheckConstraint(
                condition=Q(kind="closed") | Q(opens__isnull=False, closes__isnull=False, closes__gt=F("opens")),
                name="schedule_exception_hours_valid",
            ),
        ]

    def clean(self):
        if self.kind != self.Kind.CLOSED:
            if not self.opens or not self.closes:
                raise ValidationError(
                    gettext("For a shortened day or special hours, enter the opening and closing times.")
                )
            if self.closes <= self.opens:
                raise ValidationError({"closes": gettext("The closing time must be later than the opening time.")})

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.get_kind_display()}"


class Provider(models.Model):
    """A service-providing body (СНАП): the body that decides on an application."""

    class Kind(models.TextChoices):
        STATE_TERRITORIAL = "state_territorial", _("Territorial body of a central executive authority")
        COUNCIL_DEPARTMENT = "council_department", _("Structural unit of the council")
        STATE_REGISTRAR = "state_registrar", _("State registrar")

    SCOPE_FIELDS = {"provider": "id", "region": "region_id"}

    name = models.CharField(max_length=400)
    short_name = models.CharField(max_length=120, blank=True)
    edrpou = models.CharField(max_length=8, help_text="Validated with python-stdnum (stdnum.ua.edrpou).")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="providers")
    hromada = models.ForeignKey(
        Hromada,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="providers",
        help_text="For council departments: the hromada whose council it belongs to.",
    )
    address = models.CharField(max_length=400, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    is_active = models.BooleanField(default=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["region"], name="provider_region")]
        constraints = [models.UniqueConstraint(fields=["edrpou", "name"], name="provider_edrpou_name_unique")]

    def clean(self):
        from stdnum.exceptions import ValidationError as StdnumError
        from stdnum.ua import edrpou

        try:
            self.edrpou = edrpou.validate(self.edrpou)
        except StdnumError:
            raise ValidationError(
                {"edrpou": gettext("Invalid EDRPOU code: check the 8 digits and the check digit.")}
            ) from None

    def __str__(self) -> str:
        return self.short_name or self.name
