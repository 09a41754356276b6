from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Staff accounts, roles and their scope, login with TOTP, lockout, API tokens."""

    name = "vikno.accounts"
    label = "accounts"
    verbose_name = "accounts"

    def ready(self):
        from . import signals  # noqa: F401  (connects the audit receivers)
