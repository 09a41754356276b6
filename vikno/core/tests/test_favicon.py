"""The site's icon: /favicon.ico, which browsers ask for on every page, leads to the static SVG, and the
page layouts name it."""

import pytest
from django.contrib.staticfiles import finders
from django.test import Client


@pytest.mark.django_db
def test_favicon_ico_leads_to_the_svg_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.svg"
    assert "max-age=86400" in response["Cache-Control"]
    assert client.head("/favicon.ico").status_code == 302
    assert client.post("/favicon.ico").status_code == 405

    path = finders.find("img/favicon.svg")
    assert path
    with open(path, encoding="utf-8") as svg:
        text = svg.read()
    assert text.lstrip().startswith("<svg") and "#0b4f9c" in text


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/no-such-page/"])
def test_pages_name_the_icon(path):
    response = Client().get(path)
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in response.content.decode()
