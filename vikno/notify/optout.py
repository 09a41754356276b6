"""Signed opt-out links: ``/notify/opt-out/<token>/``, where the token names a channel and an address.

The token is signed with the secret key (``django.core.signing``) and does not expire: a link in an
old email must still work.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from vikno.core.errors import DomainError

SALT = "vikno.notify.opt-out"


def make_token(channel: str, address: str) -> str:
    return signing.dumps({"c": channel, "a": address}, salt=SALT, compress=True)


def read_token(token: str) -> tuple[str, str]:
    """(channel, address) of a token; a forged or damaged token raises ``DomainError``."""
    try:
        data = signing.loads(token, salt=SALT)
        return str(data["c"]), str(data["a"])
    except (signing.BadSignature, KeyError, TypeError):
        raise DomainError(_("The link to unsubscribe from notifications is invalid."), code="invalid_token", status=404)


def opt_out_url(channel: str, address: str) -> str:
    path = reverse("notify:opt-out", args=[make_token(channel, address)])
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{path}"
