"""The SMS adapters by name; ``VIKNO_SMS_BACKEND`` picks one. A new vendor registers itself here
with ``@register`` in its own module and is listed in ``ADAPTER_MODULES``."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings

from .base import GatewayConfig, PermanentDeliveryError, SmsGateway

ADAPTER_MODULES = ("turbosms", "generic", "console")

_adapters: dict[str, type[SmsGateway]] = {}


def register(cls: type[SmsGateway]) -> type[SmsGateway]:
    _adapters[cls.name] = cls
    return cls


def _load() -> None:
    for module in ADAPTER_MODULES:
        import_module(f"{__package__}.{module}")


def names() -> list[str]:
    _load()
    return sorted(_adapters)


def sms_gateway(name: str | None = None) -> SmsGateway:
    """The adapter configured in settings (``SMS_BACKEND``, ``SMS_URL``, ``SMS_TOKEN``, ...)."""
    _load()
    name = name or settings.SMS_BACKEND
    cls = _adapters.get(name)
    if cls is None:
        raise PermanentDeliveryError(f"Невідомий SMS-шлюз «{name}»; доступні: {', '.join(sorted(_adapters))}")
    config = GatewayConfig(
        url=settings.SMS_URL.rstrip("/"),
        token=settings.SMS_TOKEN,
        sender=settings.SMS_SENDER,
        timeout=float(settings.SMS_TIMEOUT_SECONDS),
    )
    return cls(config)
