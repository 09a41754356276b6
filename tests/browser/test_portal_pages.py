"""Public portal pages: axe-core (WCAG 2.1 AA) on each page template, and the keyboard-only journey
search «народила дитину» → first result → booking, with JavaScript on and off."""

import re

import pytest
from playwright.sync_api import expect

from vikno.catalog.models import Service
from vikno.portal.tests.test_public_pages import BIRTH, build_portal
from vikno.testing.browser import assert_accessible, js_errors, tab_to

pytestmark = pytest.mark.browser


def _birth_related(code: str) -> bool:
    return (
        code in {"ACS-001", "CMP-001"}
        or Service.objects.filter(code=code, life_situations__code="CHILD_BIRTH").exists()
    )


def test_every_public_page_is_accessible(page, world):
    build_portal(world)
    for path in (
        "/",
        f"/oblast/{world.r1.katottg}/",
        "/c/center-a/",
        "/c/center-a/services/",
        "/c/center-a/life/CHILD_BIRTH/",
        f"/c/center-a/services/{BIRTH}/",
        "/c/center-a/search/?q=народила+дитину",
        "/c/center-a/search/?q=!!!",
        f"/c/center-a/offices/{world.office_a.pk}/",
    ):
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
        assert_accessible(page)
        assert js_errors(page) == [], path


def _journey(page) -> None:
    page.goto("/c/center-a/")
    box = page.get_by_role("searchbox")
    tab_to(page, box)
    page.keyboard.type("народила дитину")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/c/center-a/search/\?q="))

    first = page.locator("main ul.service-list a").first
    href = first.get_attribute("href")
    code = href.rstrip("/").rsplit("/", 1)[-1]
    assert _birth_related(code), code
    tab_to(page, first)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/c/center-a/services/{code}/")
    expect(page.locator("h1")).to_be_visible()

    tab_to(page, page.get_by_role("link", name=re.compile("Записатися на прийом до ЦНАП")))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/booking/?center=center-a&service={code}")


def test_keyboard_journey_from_search_to_booking(page, world):
    build_portal(world)
    _journey(page)


def test_keyboard_journey_without_javascript(new_page, world):
    build_portal(world)
    _journey(new_page(java_script_enabled=False))
