"""Where the interface's language does not apply: Ukrainian whatever the reader's language.

The pages follow the language chosen (``LocaleMiddleware``); the API, printed documents and messages
to applicants speak Ukrainian, so labels that are translatable (choice labels, action names) are
read in Ukrainian there.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme


def in_ukrainian(text) -> str:
    """A translatable text (e.g. a choice's label) in Ukrainian."""
    with translation.override("uk"):
        return str(text)


def official_document(render):
    """Decorator for the renderers of documents meant for publication or official submission (the
    center statistics report, the oblast summary, monitoring results): they are produced in Ukrainian,
    the state language, whatever the language of the staff member who downloads them. Working lists
    for staff (the timing lists) are not decorated and follow the reader's language."""

    @wraps(render)
    def in_state_language(*args, **kwargs):
        with translation.override("uk"):
            return render(*args, **kwargs)

    in_state_language.official_document = True
    return in_state_language


class ApiLanguageMiddleware:
    """The API answers in Ukrainian whatever ``Accept-Language`` or the language cookie says: its
    messages and labels are for Ukrainian readers (``vikno.api``). Goes after ``LocaleMiddleware``."""

    def __init__(self, get_response):
        from .api_errors import API_PREFIX  # not at import time: models import this module, and that one needs ninja

        self.get_response = get_response
        self.prefix = API_PREFIX

    def __call__(self, request):
        if request.path.startswith(self.prefix):
            translation.activate("uk")
            request.LANGUAGE_CODE = "uk"
        return self.get_response(request)


def language_switch(request) -> dict:
    """Context processor: where the language switcher returns to. A page shown for a GET comes back
    to itself; a page re-rendered after a POST (a form with mistakes) has no address that a GET can
    open, so the switcher returns to the page the form was on (the Referer, this site only)."""
    if request.method in ("GET", "HEAD"):
        return {"language_next": request.get_full_path()}
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return {"language_next": parts.path + (f"?{parts.query}" if parts.query else "")}
    return {"language_next": "/"}
