"""Forms of the staff case pages: intake (service, applicant, documents, payment), the actions on a case,
lists and consultations. They only parse input; ``services`` decides and refuses with Ukrainian messages."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vikno.catalog.models import Service
from vikno.core.errors import DomainError
from vikno.orgs.models import Provider
from vikno.payments.models import Payment

from . import uploads
from .models import Applicant, Consultation

SCAN_ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ScanField(forms.FileField):
    """A PDF, JPEG or PNG, checked by its content (``uploads.check_upload``) before anything is saved,
    so the message shows beside the field."""

    widget = forms.ClearableFileInput(attrs={"accept": SCAN_ACCEPT})

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            try:
                uploads.check_upload(upload)
            except DomainError as error:
                raise forms.ValidationError(error.message, code=error.code) from None
        return upload


# --- Intake ----------------------------------------------------------------------------------------


class ServiceSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Service"),
        required=False,
        max_length=200,
        help_text=_("Words of the name or the service code, e.g. «паспорт» or «ACS-001». Press Enter to search."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "accesskey": "s"}),
    )


class ApplicantFindForm(forms.Form):
    find = forms.CharField(
        label=_("Find the applicant"),
        required=False,
        max_length=200,
        help_text=_("RNOKPP (10 digits), phone number or surname. Press Enter to search."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "accesskey": "a"}),
    )

    def criteria(self) -> dict:
        """The lookup the text asks for: a РНОКПП, a phone number or a name."""
        text = (self.cleaned_data.get("find") or "").strip()
        digits = re.sub(r"\D", "", text)
        if not text:
            return {}
        if re.fullmatch(r"\d{10}", text):
            return {"rnokpp": text}
        if re.fullmatch(r"[+\d\s()\-]{9,}", text) and len(digits) >= 9:
            return {"phone": text}
        return {"name": text}


class ApplicantForm(forms.ModelForm):
    """A new applicant typed in at the intake desk."""

    class Meta:
        model = Applicant
        fields = [
            "kind",
            "last_name",
            "first_name",
            "patronymic",
            "birth_date",
            "rnokpp",
            "refused_rnokpp",
            "passport_series",
            "passport_number",
            "edrpou",
            "organisation_name",
            "phone",
            "email",
            "address",
            "sms_consent",
            "email_consent",
        ]
        labels = {
            "kind": _("Applicant type"),
            "last_name": _("Surname"),
            "first_name": _("First name"),
            "patronymic": _("Patronymic"),
            "birth_date": _("Date of birth"),
            "rnokpp": _("RNOKPP"),
            "refused_rnokpp": _("Has no RNOKPP for religious reasons"),
            "passport_series": _("Passport series"),
            "passport_number": _("Passport number"),
            "edrpou": _("EDRPOU (legal entity)"),
            "organisation_name": _("Organisation name (legal entity)"),
            "phone": _("Phone"),
            "email": _("Email"),
            "address": _("Address"),
            "sms_consent": _("Agrees to SMS notifications"),
            "email_consent": _("Agrees to email notifications"),
        }
        help_texts = {
            "phone": _("For example +380501234567."),
            "rnokpp": _("10 digits."),
            "passport_series": _("Two letters of the booklet passport, e.g. КВ."),
            "passport_number": _("6 digits."),
        }
        widgets = {
            "birth_date": DateInput(),
            "rnokpp": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "passport_series": forms.TextInput(attrs={"autocomplete": "off", "size": 3}),
            "passport_number": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 9}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "edrpou": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        }

    # checked by the domain layer with the other details, so every problem is reported at once
    email = forms.CharField(label=_("Email"), required=False, max_length=254, widget=forms.EmailInput())
    confirm_new = forms.BooleanField(
        label=_("This is a different person: create a new applicant anyway"), required=False
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "applicant")
        super().__init__(*args, **kwargs)
        # The domain layer validates the applicant as a whole (РНОКПП checksum, phone format…).
        for name in self.fields:
            self.fields[name].required = False

    def _post_clean(self):
        """No model validation here: ``services.create_applicant`` validates the details as a whole."""

    def data_for_service(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "confirm_new"}
        data["kind"] = data.get("kind") or Applicant.Kind.PERSON
        return data


class RepresentativeForm(forms.Form):
    """Someone filing for the applicant, with the power of attorney (optional at intake)."""

    full_name = forms.CharField(label=_("Representative (full name)"), required=False, max_length=300)
    authority_document = forms.CharField(
        label=_("Power of attorney"),
        required=False,
        max_length=300,
        help_text=_("Number, date and who certified it."),
    )
    authority_valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput())
    identity_document = forms.CharField(label=_("Representative's identity document"), required=False, max_length=200)
    rnokpp = forms.CharField(
        label=_("Representative's RNOKPP"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Representative's phone"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "rep")
        super().__init__(*args, **kwargs)

    def representative(self) -> dict | None:
        """The typed details, or None when the applicant files in person (every field empty)."""
        data = self.cleaned_data
        if not any(data.get(name) for name in self.fields):
            return None
        return dict(data)


class DocumentForm(forms.Form):
    """One line of the ІК checklist: whether it was given, as original and/or copy, pages, a scan."""

    provided = forms.BooleanField(label=_("Provided"), required=False)
    original = forms.BooleanField(label=_("Original"), required=False)
    copy = forms.BooleanField(label=_("Copy"), required=False)
    pages = forms.IntegerField(
        label=_("Pages"), required=False, min_value=1, max_value=999, widget=forms.NumberInput(attrs={"size": 4})
    )
    file = ScanField(label=_("Scan (PDF, JPEG, PNG)"), required=False)
    # a scan accepted by an earlier submit of this form that came back with errors (``staging``)
    staged = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)  # a signed token
    drop_staged = forms.BooleanField(label=_("Do not add this file"), required=False)


DocumentFormSet = forms.formset_factory(DocumentForm, extra=0)


class PaymentForm(forms.Form):
    """The fee paid at the desk (optional at intake) or later on the case page."""

    NONE = ""
    method = forms.ChoiceField(
        label=_("Payment"),
        required=False,
        choices=[("", _("Not paid yet")), *Payment.Method.choices],
        widget=forms.Select(attrs={"data-payment-method": "payment-ground"}),
    )
    amount = forms.DecimalField(label=_("Amount, UAH"), required=False, min_value=0, max_digits=12, decimal_places=2)
    receipt_number = forms.CharField(label=_("Receipt number"), required=False, max_length=80)
    paid_on = forms.DateField(label=_("Paid on"), required=False, widget=DateInput())
    exemption_ground = forms.CharField(
        label=_("Ground of the exemption"),
        required=False,
        max_length=500,
        help_text=_("The law and the document that exempt the applicant from the fee."),
    )

    def __init__(self, *args, required: bool = False, **kwargs):
        kwargs.setdefault("prefix", "payment")
        super().__init__(*args, **kwargs)
        if required:
            self.fields["method"].required = True
            self.fields["method"].choices = list(Payment.Method.choices)

    def payment(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("method"):
            return None
        return {
            "method": data["method"],
            "amount": data.get("amount"),
            "receipt_number": data.get("receipt_number") or "",
            "paid_on": data.get("paid_on") or timezone.localdate(),
            "exemption_ground": data.get("exemption_ground") or "",
        }


class IntakeForm(forms.Form):
    """The parts of the intake that are neither applicant, documents nor payment."""

    service = forms.ModelChoiceField(
        queryset=Service.objects.filter(is_active=True), to_field_name="code", widget=forms.HiddenInput
    )
    applicant = forms.IntegerField(required=False, widget=forms.HiddenInput)
    office = forms.ModelChoiceField(
        label=_("Office"),
        queryset=None,
        empty_label=None,
        help_text=_("The channel of the application follows the office."),
    )
    idempotency_key = forms.CharField(required=False, max_length=80, widget=forms.HiddenInput)
    identity_document = forms.CharField(
        label=_("Identity document shown"),
        required=False,
        max_length=200,
        help_text=_(
            "Instant service: the result is handed over now, to the applicant or to the representative if one "
            "files. Type and number, e.g. ID-картка 001234567."
        ),
    )

    other_documents = forms.CharField(
        label=_("Other documents submitted"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Documents beyond the information card's list, one per line (e.g. when the card lists none). "
            "They are recorded as copies and printed in the inventory of documents."
        ),
    )

    def __init__(self, *args, offices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices

    def other_documents_rows(self) -> list[dict]:
        """The «other documents» lines as checklist entries beyond the ІК list."""
        lines = (self.cleaned_data.get("other_documents") or "").splitlines()
        return [{"name": line} for line in (" ".join(raw.split()) for raw in lines) if line]


# --- Actions on a case -------------------------------------------------------------------------------


class TransitionForm(forms.Form):
    """One status change. ``reason``/``legal_ground`` are for a refusal (and a dismissal), ``provider``
    for sending to a СНАП when several decide on the service."""

    action = forms.CharField(widget=forms.HiddenInput, max_length=40)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    legal_ground = forms.CharField(label=_("Legal ground"), required=False, max_length=500)
    provider = forms.ModelChoiceField(
        label=_("Service provider"), queryset=None, required=False, empty_label=_("Chosen automatically")
    )

    def __init__(self, *args, providers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers if providers is not None else Provider.objects.none()

    def details(self) -> dict:
        data = self.cleaned_data
        details = {}
        if data.get("reason"):
            details["reason"] = data["reason"]
        if data.get("legal_ground"):
            details["legal_ground"] = data["legal_ground"]
        if data.get("provider"):
            details["provider"] = data["provider"]
        return details


class ResultForm(forms.Form):
    name = forms.CharField(label=_("Document name"), max_length=300)
    file = ScanField(label=_("File (PDF, JPEG, PNG)"))
    is_refusal = forms.BooleanField(label=_("This is a refusal decision"), required=False)


class IssueForm(forms.Form):
    """Handing over the result or the refusal. Who receives it is a choice between the applicant and the
    representative, each named (the representative with the power of attorney); the name may stay empty
    and then the chosen person's name is recorded. A typed name of the other one is refused by
    ``workflow``, never replaced."""

    to_representative = forms.TypedChoiceField(
        label=_("Who receives it"),
        choices=[("", _("The applicant")), ("on", _("The representative"))],
        initial="",
        coerce=lambda value: value == "on",
        empty_value=False,
        required=False,
        widget=forms.RadioSelect,
    )
    recipient_name = forms.CharField(
        label=_("Recipient (full name)"),
        max_length=300,
        required=False,
        help_text=_("Leave it empty to record the name of the one chosen above."),
    )
    identity_document = forms.CharField(
        label=_("Identity document shown"), max_length=200, help_text=_("Type and number, e.g. ID-картка 001234567.")
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["to_representative"].choices = recipient_choices(case)


def recipient_choices(case) -> list[tuple[str, str]]:
    """The applicant and the representative by name; the representative with the power of attorney and
    until when it is valid (or that it has expired and cannot be used)."""
    applicant = _("The applicant: %(name)s") % {"name": case.applicant.display_name}
    representative = case.representative
    if representative is None:
        return [("", applicant)]
    valid_until = representative.authority_valid_until
    if valid_until is None:
        validity = ""
    elif valid_until < timezone.localdate():
        validity = _("expired on %(date)s: it cannot be used") % {"date": f"{valid_until:%d.%m.%Y}"}
    else:
        validity = _("valid until %(date)s") % {"date": f"{valid_until:%d.%m.%Y}"}
    authority = "; ".join(part for part in (representative.authority_document, validity) if part)
    label = _("The representative: %(name)s (power of attorney: %(authority)s)") % {
        "name": representative.full_name,
        "authority": authority,
    }
    return [("", applicant), ("on", label)]


class TransferForm(forms.Form):
    to_office = forms.ModelChoiceField(
        label=_("To office"),
        queryset=None,
        empty_label=None,
        # Django's own Ukrainian text for this has a typo («Зробить»); and it says nothing of offices.
        error_messages={"invalid_choice": _("Choose another active office of the center from the list.")},
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000)

    def __init__(self, *args, offices=None, **kwargs):
        kwargs.setdefault("prefix", "transfer")
        super().__init__(*args, **kwargs)
        self.fields["to_office"].queryset = offices


class DocumentFileForm(forms.Form):
    file = ScanField(label=_("Scan (PDF, JPEG, PNG)"))


# --- Lists and consultations ---------------------------------------------------------------------------


class ConsultationFilterForm(forms.Form):
    day = forms.DateField(label=_("Day"), required=False, widget=DateInput())


class CaseSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find a case"),
        required=False,
        max_length=200,
        help_text=_("Case number, RNOKPP, phone or surname."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class ServiceCodeField(forms.ModelChoiceField):
    """A service typed by its code; «acs-001 » finds ACS-001."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().upper()
        return super().to_python(value)


class ConsultationForm(forms.Form):
    service = ServiceCodeField(
        label=_("Service (code)"),
        queryset=Service.objects.filter(is_active=True),
        to_field_name="code",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 10}),
        error_messages={"invalid_choice": _("No active service has this code.")},
    )
    topic = forms.CharField(label=_("Or topic"), required=False, max_length=300)
    channel = forms.ChoiceField(label=_("Channel"), choices=Consultation.Channel.choices)

    DRAFT_KEY = "consultation_rejected"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "consultation")
        super().__init__(*args, **kwargs)

    @classmethod
    def keep_rejected(cls, request) -> None:
        """Remember what was typed into a form the server turned down: the form posts from several pages
        and goes back to the page it came from, which shows it again filled in (``for_page``)."""
        request.session[cls.DRAFT_KEY] = {
            key: request.POST.get(key, "")[:400]
            for key in ("consultation-service", "consultation-topic", "consultation-channel")
        }

    @classmethod
    def for_page(cls, request) -> ConsultationForm:
        """An empty form, or once the form that was just turned down, with what was typed and its errors."""
        draft = request.session.pop(cls.DRAFT_KEY, None)
        return cls(draft) if isinstance(draft, dict) else cls()

    def clean(self):
        data = super().clean()
        if "service" in self.errors:
            return data  # a wrong code: its own message says so
        if not data.get("service") and not (data.get("topic") or "").strip():
            raise forms.ValidationError(_("Give the service code or the topic of the consultation."))
        return data
