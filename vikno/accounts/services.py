"""Account operations: TOTP enrolment, staff creation with a validated scope, API tokens."""

from __future__ import annotations

import base64

import segno
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from vikno.core.audit import Actor, record


def pending_totp_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Застосунок автентифікації", confirmed=False)
    return device


def totp_secret_b32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def totp_qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=5, title="QR-код для застосунку автентифікації")


@transaction.atomic
def confirm_totp_device(device: TOTPDevice, actor: Actor) -> None:
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(actor, "mfa.totp_enrolled", device.user)


def demo_mode_active() -> bool:
    return bool(settings.DEMO_MODE)
