from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Staff accounts, roles and their scope, login with TOTP, lockout, API tokens."""

    name = "vikno.accounts"
    label = "accounts"
    verbose_name = "accounts"

    def ready(self):
        from django.utils.translation import gettext_noop, pgettext_lazy

        from vikno.core.audit import describe_actions, describe_object_types

        from . import signals  # noqa: F401  (connects the audit receivers)

        # The names of the object types this room writes to the audit log (its filter offers them).
        describe_object_types(
            {
                "accounts.user": pgettext_lazy("audit object", "Staff account"),
            }
        )

        describe_actions(
            {
                "logout": gettext_noop("Session closed by signing out"),
                "account.password_changed": gettext_noop("Password changed"),
                "staff.created": gettext_noop("Staff account created"),
                "staff.created_in_admin": gettext_noop("Staff account created in the admin site"),
                "staff.changed_in_admin": gettext_noop("Staff account changed in the admin site"),
                "staff.deactivated": gettext_noop("Staff account deactivated"),
                "staff.reactivated": gettext_noop("Staff account reactivated"),
                "staff.second_factor_reset": gettext_noop("Second factor of a staff account removed"),
                "staff.unlocked": gettext_noop("Staff account unlocked"),
                "api_token.issued": gettext_noop("API token issued"),
                "api_token.revoked": gettext_noop("API token revoked"),
                "api_token.changed_in_admin": gettext_noop("API token changed in the admin site"),
            }
        )
