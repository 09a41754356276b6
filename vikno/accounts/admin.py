"""The Django admin asks for the second factor (django-otp's OTPAdminSite) and lists staff and tokens.

Staff are created and managed on the «Staff» pages (``/staff/people/``) or with ``manage.py
create_staff`` (scope validated, audited), tokens there or with ``manage.py issue_api_token`` (the
secret is shown once); the admin is for looking and small fixes.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from vikno.core.audit import actor_from_request, record

from .models import ApiToken, User

admin.site.__class__ = OTPAdminSite
admin.site.site_header = _("Vikno: administration")
admin.site.site_title = _("Vikno")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "last_name", "first_name", "role", "center", "provider", "region", "is_active")
    list_filter = ("role", "is_active", "is_staff", "demo_mfa_exempt")
    search_fields = ("username", "last_name", "first_name", "email")
    list_select_related = ("center", "provider", "region")
    filter_horizontal = ("offices", "groups", "user_permissions")
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("last_name", "first_name", "patronymic", "email", "phone")}),
        (_("Role and scope"), {"fields": ("role", "center", "offices", "provider", "region")}),
        (
            _("Access"),
            {"fields": ("is_active", "is_staff", "is_superuser", "demo_mfa_exempt", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        (_("Role and scope"), {"fields": ("role", "center", "provider", "region")}),
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record(
            actor_from_request(request),
            "staff.changed_in_admin" if change else "staff.created_in_admin",
            obj,
            data={"fields": sorted(form.changed_data)},
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued from the command line (the secret is shown once); here they are listed
    and can be revoked. The stored hash is never shown."""

    list_display = ("name", "prefix", "user", "created_at", "expires_at", "last_used_at", "revoked")
    list_filter = ("revoked",)
    search_fields = ("name", "prefix", "user__username")
    list_select_related = ("user",)
    fields = ("name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked")
    readonly_fields = ("name", "user", "prefix", "created_at", "expires_at", "last_used_at")
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record(actor_from_request(request), "api_token.changed_in_admin", obj.user, data={"token": obj.prefix})

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked=False).select_related("user"):
            with transaction.atomic():
                token.revoked = True
                token.save(update_fields=["revoked"])
                record(actor_from_request(request), "api_token.revoked", token.user, data={"token": token.prefix})
