"""The error pages a citizen may meet — 404, 400, 403, the refused form (CSRF) and 500 — are in the
reader's language, in the site's layout, and say where to go next; none of them is Django's bare
English page."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django.views import defaults


@pytest.mark.parametrize(
    ("language", "heading", "home"),
    [("uk", "Сторінку не знайдено", "На головну"), ("en", "Page not found", "Go to the home page")],
)
@pytest.mark.parametrize("path", ["/no-such-page/", "/c/no-such-center/", "/booking/details/no-such-booking/"])
def test_not_found_is_translated_and_leads_back(db, client, language, heading, home, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f"<title>{heading} — " in html and f"<h1>{heading}</h1>" in html
    assert f'<a href="/">{home}</a>' in html and 'href="/status/"' in html and 'href="/booking/"' in html
    assert "Not Found" not in html


def test_a_refused_form_explains_what_to_do(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/c/center-a/ask/", {"name": "Олена"}, HTTP_ACCEPT_LANGUAGE="uk")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Форма застаріла" in html and "оновіть сторінку" in html and '<html lang="uk">' in html


@pytest.mark.parametrize(
    ("view", "status", "text"),
    [
        (defaults.bad_request, 400, "The request could not be processed"),
        (defaults.permission_denied, 403, "Access denied"),
        (defaults.server_error, 500, "Something went wrong"),
    ],
)
def test_the_other_error_pages(db, view, status, text):
    request = RequestFactory().get("/somewhere/")
    with translation.override("en"):
        response = view(request) if view is defaults.server_error else view(request, Exception("x"))
    assert response.status_code == status
    html = response.content.decode()
    assert f"<h1>{text}</h1>" in html and 'href="/"' in html
