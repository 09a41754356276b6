"""``core.net.client_ip``: X-Forwarded-For is believed only from a trusted proxy, and then only its
right-most address that is not one of ours; anything else falls back to the connection's address."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from vikno.core.net import client_ip


def _ip(remote: str, forwarded: str | None = None) -> str | None:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **extra))


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert _ip("203.0.113.7", "198.51.100.1") == "203.0.113.7"


def test_from_a_trusted_proxy_the_right_most_untrusted_address_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "127.0.0.1"]
    assert _ip("127.0.0.1", "198.51.100.1") == "198.51.100.1"
    # The client wrote "1.2.3.4" itself; our proxies appended the address they saw.
    assert _ip("127.0.0.1", "1.2.3.4, 198.51.100.1, 10.0.0.5") == "198.51.100.1"
    assert _ip("10.0.0.9", " 2001:db8::7 ") == "2001:db8::7"


def test_a_request_not_from_a_trusted_proxy_cannot_spoof_its_address(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert _ip("203.0.113.7", "198.51.100.1") == "203.0.113.7"


@pytest.mark.parametrize("forwarded", ["", "not-an-address", "198.51.100.1, <script>", "999.1.1.1"])
def test_a_missing_or_malformed_header_gives_the_proxys_address(settings, forwarded):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert _ip("127.0.0.1", forwarded) == "127.0.0.1"


def test_only_proxies_in_the_header_means_the_request_came_from_inside(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert _ip("10.0.0.1", "10.2.3.4, 10.0.0.2") == "10.0.0.1"


def test_addresses_with_ports_and_mapped_ipv4_are_normalised(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert _ip("127.0.0.1", "198.51.100.1:51234") == "198.51.100.1"
    assert _ip("127.0.0.1", "[2001:db8::1]:443") == "2001:db8::1"
    assert _ip("::ffff:127.0.0.1", "198.51.100.1") == "198.51.100.1"


def test_a_peer_that_is_not_an_address_gives_none(settings):
    assert _ip("") is None
    assert _ip("unix-socket") is None


def test_axes_uses_it(settings):
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert get_client_ip_address(request) == "198.51.100.1"
