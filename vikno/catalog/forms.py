"""Forms of the staff catalog pages: the browser's filters, a new version of a service, an approved list.

Documents and ТК steps are typed as structured lines, one per line, with ``|`` between parts:

- documents: ``назва | о к | умова`` — ``о`` the original is shown, ``к`` a copy is kept, the condition is
  optional (e.g. «для представника»); without marks the original is shown and no copy is kept;
- ТК steps: ``дія | роль | В/У/П/З | строк`` — the role by its name (e.g. «Адміністратор ЦНАП») or code, the
  term optional, as a number and a unit («1 робочих днів», «2 год», «3 календарних днів»).
"""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vikno.core.i18n import in_ukrainian
from vikno.orgs.models import Center

from .models import FeeRule, LifeSituation, Service, ServiceVersion, Sphere, TechStep

TermUnit = ServiceVersion.TermUnit
FeeKind = ServiceVersion.FeeKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


# --- The catalog browser ----------------------------------------------------------------------------


class ServiceFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search services"),
        required=False,
        max_length=200,
        help_text=_("Words of the name, a life situation or the service code; typos are forgiven."),
        widget=forms.TextInput(attrs={"type": "search", "autofocus": True, "autocomplete": "off"}),
    )
    sphere = forms.ModelChoiceField(
        label=_("Sphere"), queryset=Sphere.objects.all(), required=False, to_field_name="code", empty_label=_("All")
    )
    life_situation = forms.ModelChoiceField(
        label=_("Life situation"),
        queryset=LifeSituation.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=_("All"),
    )
    online = forms.BooleanField(label=_("Online"), required=False)
    instant = forms.BooleanField(label=_("Instant"), required=False)


# --- Structured lines ---------------------------------------------------------------------------------


def parse_term(text: str, *, line_no: int) -> tuple[int | None, str]:
    """«3 робочих днів» → (3, "working_days"); empty → (None, "")."""
    text = text.strip()
    if not text:
        return None, ""
    match = re.fullmatch(r"(\d+)\s*(.*)", text)
    if not match:
        raise forms.ValidationError(
            gettext("Line %(line)s: the term must start with a number, e.g. «1 робочих днів».") % {"line": line_no}
        )
    value, unit_text = int(match.group(1)), match.group(2).strip().lower()
    if value < 1:
        raise forms.ValidationError(gettext("Line %(line)s: the term must be greater than zero.") % {"line": line_no})
    if unit_text.startswith(("год", "hour")) or unit_text == "h":
        return value, TermUnit.HOURS
    if unit_text.startswith(("роб", "р.д", "р. д", "working")):
        return value, TermUnit.WORKING_DAYS
    if unit_text.startswith(("кал", "к.д", "к. д", "calendar")):
        return value, TermUnit.CALENDAR_DAYS
    raise forms.ValidationError(
        gettext(
            "Line %(line)s: unclear term unit «%(unit)s»; write «годин» (hours), «робочих днів» (working days) "
            "or «календарних днів» (calendar days)."
        )
        % {"line": line_no, "unit": unit_text or "—"}
    )


def format_term(value, unit) -> str:
    if not value:
        return ""
    return f"{value} {in_ukrainian(TermUnit(unit).label)}" if unit else str(value)  # the lines are Ukrainian


def _lines(text: str):
    for number, raw in enumerate((text or "").splitlines(), start=1):
        if raw.strip():
            yield number, [part.strip() for part in raw.split("|")]


def parse_documents(text: str) -> list[dict]:
    documents, errors = [], []
    for number, parts in _lines(text):
        name = parts[0]
        marks = re.split(r"[\s,+;/]+", parts[1].lower()) if len(parts) > 1 and parts[1] else []
        condition = parts[2] if len(parts) > 2 else ""
        if not name:
            errors.append(gettext("Line %(line)s: enter the name of the document.") % {"line": number})
            continue
        unknown = [m for m in marks if m and m not in ("о", "оригінал", "к", "копія")]
        if unknown:
            errors.append(
                gettext("Line %(line)s: unclear mark «%(mark)s»; write «о» (original) and/or «к» (copy).")
                % {"line": number, "mark": unknown[0]}
            )
            continue
        if len(parts) > 3:
            errors.append(
                gettext("Line %(line)s: too many parts; the format is «name | о к | condition».") % {"line": number}
            )
            continue
        original = any(m in ("о", "оригінал") for m in marks) if marks else True
        copy = any(m in ("к", "копія") for m in marks)
        if len(condition) > 300:
            errors.append(gettext("Line %(line)s: the condition is longer than 300 characters.") % {"line": number})
            continue
        documents.append(
            {"position": len(documents) + 1, "name": name, "original": original, "copy": copy, "condition": condition}
        )
    if errors:
        raise forms.ValidationError(errors)
    return documents


def format_documents(documents) -> str:
    lines = []
    for doc in documents:
        marks = " ".join(m for m, on in (("о", doc.original), ("к", doc.copy)) if on)
        parts = [doc.name, marks or "-"]
        if doc.condition:
            parts.append(doc.condition)
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def _role_of(text: str) -> str | None:
    wanted = text.strip().lower()
    for role in TechStep.Role:
        if wanted in (role.value, in_ukrainian(role.label).lower(), str(role.label).lower()):
            return role.value
    return None


def parse_tech_steps(text: str) -> list[dict]:
    steps, errors = [], []
    action_types = [value for value, _label in TechStep.ActionType.choices]
    roles = ", ".join(f"«{in_ukrainian(role.label)}»" for role in TechStep.Role)
    for number, parts in _lines(text):
        if len(parts) < 3 or len(parts) > 4:
            errors.append(gettext("Line %(line)s: the format is «action | role | В/У/П/З | term».") % {"line": number})
            continue
        action, role_text, action_type = parts[0], parts[1], parts[2].upper()
        if not action:
            errors.append(gettext("Line %(line)s: enter the action.") % {"line": number})
            continue
        role = _role_of(role_text)
        if role is None:
            errors.append(
                gettext("Line %(line)s: unknown role «%(role)s»; possible roles: %(roles)s.")
                % {"line": number, "role": role_text, "roles": roles}
            )
            continue
        if action_type not in action_types:
            errors.append(
                gettext("Line %(line)s: the action type must be one of the letters В, У, П, З.") % {"line": number}
            )
            continue
        try:
            term_value, term_unit = parse_term(parts[3] if len(parts) == 4 else "", line_no=number)
        except forms.ValidationError as exc:
            errors.extend(exc.messages)
            continue
        steps.append(
            {
                "position": len(steps) + 1,
                "action": action,
                "role": role,
                "action_type": action_type,
                "term_value": term_value,
                "term_unit": term_unit,
            }
        )
    if errors:
        raise forms.ValidationError(errors)
    return steps


def format_tech_steps(steps) -> str:
    lines = []
    for step in steps:
        parts = [step.action, in_ukrainian(TechStep.Role(step.role).label), step.action_type]
        term = format_term(step.term_value, step.term_unit)
        if term:
            parts.append(term)
        lines.append(" | ".join(parts))
    return "\n".join(lines)


# --- A new version of a service -----------------------------------------------------------------------

TEXTAREA = {"rows": 4, "cols": 80}


class ServiceVersionForm(forms.Form):
    """Everything a new version carries. ``version_data()`` gives the dict ``create_version`` takes."""

    valid_from = forms.DateField(
        label=_("Valid from"), widget=DateInput(), help_text=_("The first day the new version is in force.")
    )
    change_note = forms.CharField(
        label=_("What changed and why"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2, "cols": 80})
    )
    name_uk = forms.CharField(label=_("Name"), max_length=500, widget=forms.TextInput(attrs={"size": 80}))
    name_en = forms.CharField(
        label=_("Name in English"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"size": 80, "lang": "en"}),
        help_text=_("Shown on pages in English; leave empty to show the Ukrainian name there."),
    )
    provider_kind = forms.CharField(label=_("Provider"), max_length=400, required=False)
    term_value = forms.IntegerField(label=_("Term"), min_value=1, max_value=10000)
    term_unit = forms.ChoiceField(label=_("Term unit"), choices=TermUnit.choices)
    fee_kind = forms.ChoiceField(label=_("Fee"), choices=FeeKind.choices)
    fee_amount = forms.DecimalField(
        label=_("Fixed fee, UAH"), required=False, min_value=Decimal("0.01"), max_digits=12, decimal_places=2
    )
    fee_rule = forms.ModelChoiceField(
        label=_("Fee rule"),
        queryset=FeeRule.objects.all(),
        required=False,
        to_field_name="rule_id",
        empty_label="—",
    )
    fee_budget_code = forms.CharField(label=_("Budget code (КБК)"), max_length=8, required=False)
    pay_later_allowed = forms.BooleanField(label=_("May be paid later"), required=False)
    instant = forms.BooleanField(label=_("Instant service"), required=False)
    online = forms.BooleanField(label=_("Available online"), required=False)
    complex = forms.BooleanField(label=_("Complex service"), required=False)
    sub_services = forms.CharField(
        label=_("Component services"),
        required=False,
        max_length=2000,
        help_text=_("For a complex service: the codes of its component services, separated by spaces or commas."),
    )
    result_uk = forms.CharField(label=_("Result"), required=False, widget=forms.Textarea(attrs=TEXTAREA))
    how_to_receive_uk = forms.CharField(
        label=_("How to receive the result"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    grounds_for_refusal = forms.CharField(
        label=_("Grounds for refusal"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("One ground per line."),
    )
    legal_basis = forms.CharField(label=_("Legal basis"), required=False, widget=forms.Textarea(attrs=TEXTAREA))
    documents = forms.CharField(
        label=_("Required documents"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text=_(
            "One document per line, in order: name | о к | condition. "
            "«о» — the original is shown, «к» — a copy is kept; the condition is optional."
        ),
    )
    tech_steps = forms.CharField(
        label=_("Technological card steps"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text=_(
            "One step per line, in order: action | responsible role | В/У/П/З | term, "
            "e.g. «Приймає заяву | Адміністратор ЦНАП | В | 1 робочих днів»."
        ),
    )

    def clean_name_uk(self):
        name = self.cleaned_data["name_uk"].strip()
        if not name:
            raise forms.ValidationError(gettext("Enter the name of the service."))
        return name

    def clean_fee_budget_code(self):
        code = self.cleaned_data["fee_budget_code"].strip()
        if code and not code.isdigit():
            raise forms.ValidationError(gettext("The budget code (КБК) consists of digits only."))
        return code

    def clean_grounds_for_refusal(self):
        return [line.strip() for line in self.cleaned_data["grounds_for_refusal"].splitlines() if line.strip()]

    def clean_sub_services(self):
        return [code.upper() for code in re.split(r"[\s,;]+", self.cleaned_data["sub_services"]) if code]

    def clean_documents(self):
        return parse_documents(self.cleaned_data["documents"])

    def clean_tech_steps(self):
        return parse_tech_steps(self.cleaned_data["tech_steps"])

    def clean(self):
        data = super().clean()
        kind = data.get("fee_kind")
        if kind == FeeKind.FIXED and not data.get("fee_amount"):
            self.add_error("fee_amount", gettext("For a fixed fee, enter the amount."))
        if kind == FeeKind.RULE and not data.get("fee_rule"):
            self.add_error("fee_rule", gettext("Choose the rule of the formula fee."))
        if kind in (FeeKind.FREE, FeeKind.VARIABLE):
            data["fee_amount"] = None
            data["fee_rule"] = None
        elif kind == FeeKind.FIXED:
            data["fee_rule"] = None
        elif kind == FeeKind.RULE:
            data["fee_amount"] = None
        return data

    @staticmethod
    def initial_from(version: ServiceVersion | None) -> dict:
        if version is None:
            return {"term_value": 1}
        return {
            "name_uk": version.name_uk,
            "name_en": version.name_en,
            "provider_kind": version.provider_kind,
            "term_value": version.term_value,
            "term_unit": version.term_unit,
            "fee_kind": version.fee_kind,
            "fee_amount": version.fee_amount,
            "fee_rule": version.fee_rule.rule_id if version.fee_rule_id else None,
            "fee_budget_code": version.fee_budget_code,
            "pay_later_allowed": version.pay_later_allowed,
            "instant": version.instant,
            "online": version.online,
            "complex": version.complex,
            "sub_services": " ".join(version.sub_services.order_by("code").values_list("code", flat=True)),
            "result_uk": version.result_uk,
            "how_to_receive_uk": version.how_to_receive_uk,
            "grounds_for_refusal": "\n".join(str(g) for g in version.grounds_for_refusal or []),
            "legal_basis": version.legal_basis,
            "documents": format_documents(version.documents.all()),
            "tech_steps": format_tech_steps(version.tech_steps.all()),
        }

    VERSION_FIELDS = (
        "name_uk",
        "name_en",
        "provider_kind",
        "term_value",
        "term_unit",
        "fee_kind",
        "fee_amount",
        "fee_rule",
        "fee_budget_code",
        "pay_later_allowed",
        "instant",
        "online",
        "complex",
        "sub_services",
        "result_uk",
        "how_to_receive_uk",
        "grounds_for_refusal",
        "legal_basis",
        "documents",
        "tech_steps",
    )

    def version_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.VERSION_FIELDS}


# --- An approved list of a center ---------------------------------------------------------------------


class ServiceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.shown_name}"


class ServiceListForm(forms.Form):
    center = forms.ModelChoiceField(label=_("Center"), queryset=Center.objects.none(), empty_label=None)
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    decision_date = forms.DateField(label=_("Decision date"), widget=DateInput())
    valid_from = forms.DateField(label=_("In force from"), widget=DateInput())
    services = ServiceChoiceField(
        label=_("Services"),
        queryset=Service.objects.filter(is_active=True).order_by("code"),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one service.")},
    )

    def __init__(self, *args, centers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["center"].queryset = centers if centers is not None else Center.objects.none()

    def clean_decision_number(self):
        number = self.cleaned_data["decision_number"].strip()
        if not number:
            raise forms.ValidationError(gettext("Enter the decision number."))
        return number

    def clean(self):
        data = super().clean()
        decided, starts = data.get("decision_date"), data.get("valid_from")
        if decided and starts and starts < decided:
            self.add_error("valid_from", gettext("The list cannot take effect before the date of the decision."))
        return data
