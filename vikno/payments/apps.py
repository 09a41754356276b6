from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    """Fees and payment records, payment provider adapters."""

    name = "vikno.payments"
    label = "payments"
    verbose_name = "payments"
