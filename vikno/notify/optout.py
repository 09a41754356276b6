"""Signed opt-out links: ``/notify/opt-out/<token>/``, where the token names a channel and an address.

The token is signed with the secret key (``django.core.signing``) and does not expire: a link in an
old email must still work. It carries the moment it was made, so two links to one address differ.
"""

from __future__ import annotations

import re

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


def _links() -> re.Pattern:
    """Opt-out links in a text; group 1 is the token."""
    prefix = reverse("notify:opt-out", args=["-"]).removesuffix("-/")
    return re.compile(re.escape(prefix) + r"([A-Za-z0-9_.:-]+)/")


def readdressed(body: str, channel: str, old: str, new: str) -> str:
    """``body`` with its opt-out links for ``old`` made out to ``new`` instead (a copy of a message sent to
    the recipient's new address must not unsubscribe the old one); the rest of the text is unchanged."""

    def swap(match: re.Match) -> str:
        link, token = match.group(0), match.group(1)
        try:
            named = read_token(token)
        except DomainError:
            return link
        return link.replace(token, make_token(channel, new)) if named == (channel, old) else link

    return _links().sub(swap, body)


def without_links(body: str) -> str:
    """``body`` with the tokens of its opt-out links left out: two copies of one message compare equal
    whichever address and moment their links name."""
    return _links().sub(lambda match: match.group(0).replace(match.group(1), ""), body)
