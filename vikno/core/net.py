"""The client's address, the one place that reads it.

Behind a reverse proxy every request arrives from the proxy's address, so ``REMOTE_ADDR`` alone would
put every citizen in one rate-limit bucket and every audit record at the proxy. ``client_ip`` trusts
``X-Forwarded-For`` only when the request came from an address listed in ``TRUSTED_PROXIES``
(``VIKNO_TRUSTED_PROXIES``: addresses or CIDR networks); it then takes the right-most address of the
header that is not itself a trusted proxy — the one the outermost trusted proxy saw. Addresses to the
left of it were written by the client and could be anything. Without trusted proxies (the default) or
from any other peer the header is ignored, so it cannot be spoofed.
"""

from __future__ import annotations

import functools
import ipaddress

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def trusted_networks() -> tuple[Network, ...]:
    """The trusted proxies as networks (a bad entry raises ``ValueError``; the system check reports it)."""
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))


def _address(raw: str | None):
    text = (raw or "").strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.5:51234"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _trusted(address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_ip(request) -> str | None:
    """The client's IP address as text, or None when the peer's address is missing or not an address."""
    peer = _address(request.META.get("REMOTE_ADDR"))
    if peer is None:
        return None
    networks = trusted_networks()
    if not networks or not _trusted(peer, networks):
        return str(peer)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(forwarded.split(",")):
        address = _address(hop)
        if address is None:
            # A hop our proxies did not write sensibly: nothing left of it can be believed.
            return str(peer)
        if not _trusted(address, networks):
            return str(address)
    # Every hop is a proxy of ours (or there is no header): the request started inside.
    return str(peer)
