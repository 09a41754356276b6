"""Public page of the notify room: the opt-out link from emails.

GET shows what will be switched off and a button; POST records it (link scanners in mail
services follow GET links, so a GET never changes anything). The POST also serves the one-click
``List-Unsubscribe-Post`` of RFC 8058, which mail clients send without a CSRF token; the signed
token in the address is what authorises it.
"""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from vikno.core.audit import actor_from_request
from vikno.core.errors import DomainError

from . import services
from .models import Channel
from .optout import read_token


@csrf_exempt
@require_http_methods(["GET", "POST"])
def opt_out(request, token: str):
    try:
        channel, address = read_token(token)
    except DomainError as exc:
        return render(request, "notify/opt_out.html", {"error": exc.message}, status=404)
    context = {"channel_label": Channel(channel).label, "address": _mask(channel, address), "done": False}
    if request.method == "POST":
        services.opt_out(channel, address, actor=actor_from_request(request), source="link")
        context["done"] = True
    elif services.is_opted_out(channel, address):
        context["done"] = True
    return render(request, "notify/opt_out.html", context)


def _mask(channel: str, address: str) -> str:
    """Show enough of the address to recognise it, not enough to harvest it."""
    if channel == Channel.EMAIL:
        local, _, domain = address.partition("@")
        return f"{local[:2]}{'•' * max(len(local) - 2, 1)}@{domain}"
    return f"{address[:6]}{'•' * max(len(address) - 9, 1)}{address[-3:]}"
