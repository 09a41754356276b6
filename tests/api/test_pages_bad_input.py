"""Every page of the site (not the API: see test_fuzz.py), opened by staff of each role and by an
anonymous visitor with query parameters and form fields that make no sense — letters for numbers,
impossible dates, numbers beyond any column, a cursor that was never issued, text of 3,000
characters — answers below 500 (about 7,000 requests, two minutes). What a page does with the nonsense (ignore it, show a message,
404) is its own tests' business; this one guarantees that none of it reaches the user as a server
error.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from vikno.testing.fixtures import login

# Query-string names the site's pages read, and nonsense for each.
PARAMS = (
    "q", "page", "cursor", "limit", "status", "center", "center_id", "office", "office_id", "provider",
    "service", "sphere", "date", "day", "date_from", "date_to", "from", "to", "year", "month", "period",
    "number", "code", "token", "kind", "channel", "queue", "lang", "format", "next", "sort",
)  # fmt: skip
NONSENSE = ("абв", "99999999999999999999999", "2026-13-45", "x" * 3000)
# Long-lived streams: they wait for events instead of answering.
STREAMS = {"display-events", "console-events", "events"}
# Pages whose purpose is to end the session or change the language: the sweep would log itself out.
LEAVE = {"accounts/logout/", "i18n/setlang/"}
ROLES = ("admin_a", "officer_a", "monitor_1", "sysadmin")  # a center head sees what an administrator does, and more


def _pages():
    found = []

    def walk(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                path = prefix + str(pattern.pattern)
                if path.startswith(("api/", "admin/", "static/", "media/")) or pattern.name in STREAMS:
                    continue
                if "events" in path or path.startswith("^") or path in LEAVE:
                    continue
                found.append(path)

    walk(get_resolver())
    return found


def _fill(path: str, known: dict) -> str:
    """A concrete address: a parameter named in ``known`` gets that value (an existing object), any
    other ``<int:…>`` 1 and ``<str:…>`` a word."""
    out, rest = [], path
    while "<" in rest:
        head, _, tail = rest.partition("<")
        spec, _, rest = tail.partition(">")
        kind, _, name = spec.partition(":")
        out.append(head + str(known.get(name, "1" if kind == "int" else "x-1")))
    return "/" + "".join(out) + rest


def _addresses(world) -> list[str]:
    """Every page, with the parameters that name objects filled from a small world with one case."""
    from vikno.cases.tests.core_factories import make_service, register

    case = register(world, make_service(fee="85", providers=[world.provider_a]))
    known = {
        "number": case.number,
        "code": case.service.code,
        "office_id": world.office_a.pk,
        "center_id": world.center_a.pk,
        "position": 1,
    }
    return sorted({_fill(p, known) for p in _pages()})


@pytest.mark.django_db
@pytest.mark.parametrize("who", ("anonymous", *ROLES))
def test_no_page_answers_nonsense_with_a_server_error(client, world, who):
    if who != "anonymous":
        login(client, getattr(world, who))
    failures, answered = [], set()
    addresses = _addresses(world)
    for address in addresses:
        for value in NONSENSE:
            query = dict.fromkeys(PARAMS, value)
            for method in ("get", "post"):
                response = getattr(client, method)(address, query)
                if response.status_code >= 500:
                    failures.append(f"{method.upper()} {address} {value[:20]!r}: {response.status_code}")
                elif response.status_code == 200:
                    answered.add(address)
    assert not failures, "\n".join(failures)
    # The sweep reached the views themselves, not only the login redirect or a 404.
    assert len(answered) >= (10 if who == "anonymous" else 20), sorted(answered)
    print(who, len(answered), "of", len(addresses), "pages answered 200")


FIELD_TAGS = ("input", "select", "textarea", "button")


class _Forms(HTMLParser):
    """The forms of a page: (method, action, field names); and the ids used more than once."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, str, set[str]]] = []
        self.ids: set[str] = set()
        self.repeated: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            (self.repeated if attrs["id"] in self.ids else self.ids).add(attrs["id"])
        if tag == "form":
            self.forms.append(((attrs.get("method") or "get").lower(), attrs.get("action") or "", set()))
        elif tag in FIELD_TAGS and self.forms and attrs.get("name") not in (None, "csrfmiddlewaretoken"):
            self.forms[-1][2].add(attrs["name"])


@pytest.mark.django_db
@pytest.mark.parametrize("who", ("anonymous", *ROLES))
def test_no_form_answers_nonsense_in_its_own_fields_with_a_server_error(client, world, who):
    """Each form found on the pages, sent back with nonsense in every one of its own fields. The page and
    each answer that is a page (a form shown again with its errors) use every id once: a label, an error
    summary's link or ``aria-describedby`` pointing at a repeated id reaches the wrong element (WCAG 4.1.1)."""
    if who != "anonymous":
        login(client, getattr(world, who))
    failures, repeated, sent = [], [], 0
    for address in _addresses(world):
        page = client.get(address)
        if page.status_code != 200 or not page.get("Content-Type", "").startswith("text/html"):
            continue
        parser = _Forms()
        parser.feed(page.content.decode())
        if parser.repeated:
            repeated.append(f"GET {address}: {sorted(parser.repeated)}")
        for method, action, fields in parser.forms:
            target = action if action.startswith("/") else address
            if not fields or any(target.startswith("/" + leave) for leave in LEAVE):
                continue
            for value in NONSENSE:
                response = getattr(client, method)(target, dict.fromkeys(fields, value))
                sent += 1
                if response.status_code >= 500:
                    failures.append(
                        f"{method.upper()} {target} {sorted(fields)} {value[:20]!r}: {response.status_code}"
                    )
                elif response.get("Content-Type", "").startswith("text/html"):
                    answer = _Forms()
                    answer.feed(response.content.decode())
                    if answer.repeated:
                        repeated.append(f"{method.upper()} {target} {value[:20]!r}: {sorted(answer.repeated)}")
    assert not failures, "\n".join(failures)
    assert not repeated, "ids used more than once:\n" + "\n".join(repeated)
    assert sent >= (4 if who == "anonymous" else 20), sent
    print(who, sent, "forms sent")
