from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Staff accounts, roles and their scope, login with TOTP, lockout, API tokens."""

    name = "vikno.accounts"
    label = "accounts"
    verbose_name = "accounts"

    def ready(self):
        from django.utils.translation import gettext_noop

        from vikno.core.audit import describe_actions

        from . import signals  # noqa: F401  (connects the audit receivers)

        describe_actions(
            {
                "logout": gettext_noop("Signed out"),
                "account.password_changed": gettext_noop("Changed the password"),
                "staff.created": gettext_noop("Created a staff account"),
                "staff.created_in_admin": gettext_noop("Created a staff account in the admin site"),
                "staff.changed_in_admin": gettext_noop("Changed a staff account in the admin site"),
                "api_token.issued": gettext_noop("Issued an API token"),
                "api_token.revoked": gettext_noop("Revoked an API token"),
                "api_token.changed_in_admin": gettext_noop("Changed an API token in the admin site"),
            }
        )
