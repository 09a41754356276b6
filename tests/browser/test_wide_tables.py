"""WCAG 1.4.10 (reflow): a wide table scrolls inside its own region, never the page. At 1366×768 the
staff pages with wide tables — the reports, the dashboards, the audit log, the queue KPIs, monitoring —
and at 360 px the citizen pages with tables are no wider than the window; each wide table sits in a
keyboard-focusable, named scroll region (``.table-scroll``)."""

import contextlib

import pytest

from vikno.portal.tests.test_public_pages import BIRTH, build_portal
from vikno.reports.tests import series_data
from vikno.testing.browser import log_in

pytestmark = pytest.mark.browser

PERIOD = "from=2026-01-01&to=2026-03-31"
PAGE_WIDTH = "() => [document.documentElement.scrollWidth, window.innerWidth]"
# Tables wider than the main column that are not inside a scroll region.
UNWRAPPED = """() => [...document.querySelectorAll('main table')]
    .filter(t => t.getBoundingClientRect().width > document.querySelector('main').clientWidth
                 && !t.closest('.table-scroll'))
    .map(t => (t.querySelector('caption') || t).textContent.trim().slice(0, 60))"""
REGIONS = """() => [...document.querySelectorAll('.table-scroll')].map(r => ({
    role: r.getAttribute('role'), tabindex: r.tabIndex,
    name: r.getAttribute('aria-label') || (document.getElementById(r.getAttribute('aria-labelledby') || '') || {}).textContent,
    overflow: getComputedStyle(r).overflowX}))"""


@pytest.fixture
def filled(world):
    series_data.build(world, lambda execute=True: contextlib.nullcontext())
    return world


def _problems(page, url: str) -> list[str]:
    response = page.goto(url)
    assert response.status == 200, url
    problems = []
    scroll_width, viewport = page.evaluate(PAGE_WIDTH)
    if scroll_width > viewport:
        problems.append(f"{url}: the page is {scroll_width} px wide in a {viewport} px window")
    problems += [f"{url}: a wide table outside a scroll region: {name!r}" for name in page.evaluate(UNWRAPPED)]
    for region in page.evaluate(REGIONS):
        named = region["role"] == "region" and region["tabindex"] == 0 and (region["name"] or "").strip()
        if not named or region["overflow"] != "auto":
            problems.append(f"{url}: a scroll region that is not named, focusable or scrolling: {region}")
    return problems


def test_staff_tables_fit_a_1366_px_screen(new_page, filled):
    world = filled
    page = new_page(viewport={"width": 1366, "height": 768})
    log_in(page, world.sysadmin)
    problems = []
    for url in (
        f"/staff/reports/oblast/?region={world.r1.pk}&{PERIOD}",
        f"/staff/reports/oblast/centers/{world.center_a.pk}/?{PERIOD}",
        f"/staff/reports/national/?{PERIOD}",
        f"/staff/reports/center/?center={world.center_a.pk}&{PERIOD}",
        f"/staff/reports/timing/?center={world.center_a.pk}&{PERIOD}",
        "/staff/audit/",
        "/staff/queue/kpi/",
        "/staff/monitoring/",
        "/staff/cases/",
        "/staff/people/",
        "/staff/orgs/centers/",
    ):
        problems += _problems(page, url)
    assert problems == []


def test_citizen_tables_fit_a_360_px_screen(new_page, world):
    build_portal(world)
    page = new_page(viewport={"width": 360, "height": 740})
    problems = []
    for url in ("/open-data/", f"/c/center-a/services/{BIRTH}/", f"/c/center-a/offices/{world.office_a.pk}/"):
        problems += _problems(page, url)
    assert problems == []
