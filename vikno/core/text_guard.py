"""Characters no request may carry: the NUL character and lone UTF-16 surrogates.

PostgreSQL refuses NUL in text, and a lone surrogate (which JSON can spell as ``"\\ud800"``) cannot
be encoded as UTF-8 for it: without a check, such a value reaches the database and the request ends
in a 500. No honest client sends either, so they are refused at the door with a 400 and a Ukrainian
message:

- :class:`TextGuardMiddleware` — the path and the query string of every request (site and API);
- :class:`GuardedParser` — the JSON body and the form fields of an API request (django-ninja's parser).

HTML forms need nothing more: Django's form fields already refuse NUL.
"""

from __future__ import annotations

import json
import re

from django.http import HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from ninja.parser import Parser

from .api_errors import API_PREFIX

BAD = re.compile("[\x00\ud800-\udfff]")
MESSAGE = "Запит містить недопустимий символ (NUL або неповний символ Unicode). Перевірте введені дані."


class BadText(ValueError):
    """A request value holds a character the system cannot store. ``field`` names where."""

    def __init__(self, field: str = ""):
        super().__init__(MESSAGE)
        self.field = field


def check(value, where: str = "") -> None:
    """Raise :class:`BadText` if ``value`` (a string, or lists and dicts of them) holds a bad character."""
    if isinstance(value, str):
        if BAD.search(value):
            raise BadText(where)
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{where}.{key}" if where else str(key)
            check(key, name)
            check(item, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check(item, f"{where}.{index}" if where else str(index))


class TextGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            if request.path.startswith(API_PREFIX):
                return JsonResponse(
                    {"code": "bad_character", "message": MESSAGE}, status=400, json_dumps_params={"ensure_ascii": False}
                )
            # before the locale middleware: the reader's language from the cookie or the browser
            with translation.override(translation.get_language_from_request(request)):
                return HttpResponseBadRequest(render_to_string("errors/bad_character.html"))
        return self.get_response(request)


class GuardedParser(Parser):
    """django-ninja's JSON parser, refusing bodies and form fields with a bad character."""

    def parse_body(self, request):
        data = json.loads(request.body)
        check(data)
        return data

    def parse_querydict(self, data, list_fields, request):
        parsed = super().parse_querydict(data, list_fields, request)
        check(parsed)
        return parsed
