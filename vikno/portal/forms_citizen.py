"""Forms of the citizen pages (online application, questions, complaints, survey) and the staff answers."""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

TEXT_LIMIT = 5000


def _off(**attrs):
    return forms.TextInput(attrs={"spellcheck": "false", **attrs})


class ApplyForm(forms.Form):
    last_name = forms.CharField(
        label=_("Surname"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    first_name = forms.CharField(
        label=_("Given name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    patronymic = forms.CharField(
        label=_("Patronymic"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "additional-name"}),
    )
    rnokpp = forms.CharField(
        label=_("Taxpayer number (RNOKPP)"), max_length=12, help_text=_("10 digits."), widget=_off(inputmode="numeric")
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        help_text=_("For example +380501234567."),
        widget=_off(autocomplete="tel", type="tel"),
    )
    email = forms.EmailField(label=_("Email"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    sms_consent = forms.BooleanField(label=_("Send me SMS about this application"), required=False)
    email_consent = forms.BooleanField(label=_("Send me email about this application"), required=False)
    data_consent = forms.BooleanField(label=_("I agree to the processing of my personal data for this application"))

    def __init__(self, *args, documents=(), staged=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.document_fields = []
        self.staged = {}
        for document in documents:
            name = f"doc_{document.position}"
            # A document the ІК asks for only in some cases («для представника», «за наявності») is
            # optional here: the condition is shown and the applicant decides whether it applies.
            conditional = bool(document.condition)
            self.fields[name] = forms.FileField(
                label=document.name,
                required=not conditional,
                help_text=(
                    _("Only if it applies to you: %(condition)s. PDF, JPEG or PNG.") % {"condition": document.condition}
                    if conditional
                    else _("PDF, JPEG or PNG.")
                ),
                widget=forms.ClearableFileInput(
                    attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
                ),
            )
            self.document_fields.append(name)
        self.keep(staged or {})

    def keep(self, staged: dict) -> None:
        """Show the files accepted in an earlier round (field → ``cases.StagedUpload``): the field no longer
        needs a new file, and its description says which file is kept and how to replace it."""
        for name, row in staged.items():
            if name not in self.document_fields:
                continue
            self.staged[name] = row
            field = self.fields[name]
            field.required = False
            field.staged_token = row.token
            # help_text is rendered as HTML: the file name the visitor's browser sent is escaped here.
            field.help_text = format_html(
                "<strong>{}</strong> {}",
                _("File accepted: %(name)s (%(size)s).") % {"name": row.name, "size": filesizeformat(row.size)},
                _("It will be attached to the application; to replace it, choose another file."),
            )
            self._bound_fields_cache.pop(name, None)  # a bound field copies the help text when made

    def applicant_data(self, names) -> dict:
        """The applicant's answers: cleaned where the field is valid, as typed where it is not (so that the
        domain checks see them too and every problem is reported in one round)."""
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned[name] if name in cleaned else self.data.get(name) for name in names}

    def applicant_fields(self):
        return [self[name] for name in self.fields if name not in self.document_fields]

    def file_fields(self):
        return [self[name] for name in self.document_fields]


class MissingDocumentForm(forms.Form):
    number = forms.CharField(max_length=32, widget=forms.HiddenInput)
    code = forms.CharField(max_length=12, widget=forms.HiddenInput)
    name = forms.CharField(label=_("What document is it"), max_length=200, required=False)
    file = forms.FileField(label=_("File"), help_text=_("PDF, JPEG or PNG."))


class QuestionForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("Email"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        help_text=_("Email or phone: where to send the answer."),
        widget=_off(autocomplete="tel", type="tel"),
    )
    service = forms.ChoiceField(label=_("Service"), required=False)
    topic = forms.CharField(label=_("Topic"), max_length=300, required=False)
    text = forms.CharField(label=_("Your question"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", _("— not about a particular service —"))] + [
            (s.code, f"{s.code} {s.shown_name}") for s in services
        ]


class ComplaintForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    contact = forms.CharField(
        label=_("Email or phone for the response"), max_length=254, widget=_off(autocomplete="email")
    )
    text = forms.CharField(label=_("Your complaint"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 8}))


class SurveyForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How do you rate the service?"),
        coerce=int,
        choices=[
            (5, _("5 — excellent")),
            (4, _("4 — good")),
            (3, _("3 — fair")),
            (2, _("2 — poor")),
            (1, _("1 — very poor")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), max_length=TEXT_LIMIT, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 8}))
