"""Forms of the «Staff» pages: a new account, a new API token."""

from __future__ import annotations

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from vikno.core.errors import DomainError
from vikno.core.scoping import ROLE_SCOPE_KIND, Role
from vikno.orgs.models import Center, Office, Provider, Region


class StaffCreateForm(forms.Form):
    """A new staff account. A system administrator chooses any role and the scope it needs; a
    center head creates administrators of their own center (role and center are fixed)."""

    username = forms.CharField(label=_("Login"), max_length=150, validators=[UnicodeUsernameValidator()])
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    center = forms.ModelChoiceField(
        label=_("Center"), queryset=Center.objects.none(), required=False,
        help_text=_("For a center administrator and a center head."),
    )  # fmt: skip
    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=Provider.objects.none(), required=False, help_text=_("For a provider officer.")
    )
    region = forms.ModelChoiceField(
        label=_("Oblast"), queryset=Region.objects.none(), required=False, help_text=_("For oblast monitoring.")
    )
    offices = forms.ModelMultipleChoiceField(
        label=_("Offices"), queryset=Office.objects.none(), required=False,
        help_text=_("For an administrator: the offices of their center where they work."),
    )  # fmt: skip
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to generate one; it is shown once, after the account is created."),
    )

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        self.manager = manager
        if manager.role == Role.SYSADMIN:
            self.fields["center"].queryset = Center.objects.order_by("name")
            self.fields["provider"].queryset = Provider.objects.order_by("name")
            self.fields["region"].queryset = Region.objects.order_by("name")
            self.fields["offices"].queryset = Office.objects.select_related("center").order_by("center__name", "name")
        else:  # a center head: administrators of their own center
            self.fields["role"].choices = [(Role.ADMINISTRATOR.value, Role.ADMINISTRATOR.label)]
            self.fields["role"].initial = Role.ADMINISTRATOR
            for name in ("center", "provider", "region"):
                del self.fields[name]
            self.fields["offices"].queryset = Office.objects.filter(center_id=manager.center_id).order_by("name")

    def service_arguments(self) -> dict:
        """The keyword arguments of ``services.create_staff`` (without ``actor`` and ``password``):
        only the scope the chosen role needs, so a stray choice in another field does not count."""
        data = self.cleaned_data
        role = data["role"]
        arguments = {
            "username": data["username"],
            "role": role,
            "offices": list(data.get("offices") or ()),
            **{name: data.get(name) or "" for name in ("first_name", "last_name", "patronymic", "email", "phone")},
        }
        if self.manager.role != Role.SYSADMIN:
            arguments["center"] = self.manager.center
            return arguments
        kind = ROLE_SCOPE_KIND[Role(role)]
        if kind != "all":
            arguments[kind] = data.get(kind)
        return arguments

    def apply_error(self, error: DomainError) -> None:
        """Show a service's refusal beside its field (or above the form)."""
        for problem in error.all:
            field = problem.field if problem.field in self.fields else None
            self.add_error(field, problem.message)


class TokenIssueForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=200, help_text=_("Where it is used, for example «Kiosk in the hall».")
    )
    days = forms.IntegerField(
        label=_("Valid for, days"),
        required=False,
        min_value=1,
        max_value=3650,
        help_text=_("Leave empty for a token without an expiry date."),
    )
