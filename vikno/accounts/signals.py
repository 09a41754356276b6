"""Audit of failed logins and lockouts (the signals come from Django's ``authenticate`` and axes)."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from vikno.core.audit import Actor, record
from vikno.core.net import client_ip

from .models import User


def _actor(request, username: str) -> Actor:
    ip = client_ip(request) if request is not None else None
    return Actor(ip=ip, label=f"anonymous ({username[:100]})" if username else "anonymous")


def _target(username: str):
    return User.objects.filter(username=username).first() if username else None


@receiver(user_login_failed, dispatch_uid="vikno_audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    """A wrong password for an existing account goes to that account's center chain. Unknown
    usernames are not recorded (that would let anyone fill the log); axes still counts them."""
    username = (credentials or {}).get("username") or ""
    user = _target(username)
    if user is not None:
        record(_actor(request, username), "login.failed", user)


@receiver(user_locked_out, dispatch_uid="vikno_audit_locked_out")
def audit_locked_out(sender, request, username, ip_address, **kwargs):
    user = _target(username or "")
    data = {"username": (username or "")[:150], "ip": ip_address}
    if user is not None:
        record(_actor(request, username or ""), "login.locked_out", user, data=data)
    else:
        record(_actor(request, username or ""), "login.locked_out", object_type="accounts.user", data=data)
