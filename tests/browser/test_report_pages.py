"""The report pages — center report with its charts, service timing, oblast and national dashboards,
the open-data page — pass axe-core (WCAG 2.1 AA) with data on them and run without script errors."""

import contextlib

import pytest

from vikno.reports.tests import series_data
from vikno.testing.browser import assert_accessible, js_errors, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def filled(world):
    series_data.build(world, lambda execute=True: contextlib.nullcontext())
    return world


def test_staff_report_pages(page, filled):
    world = filled
    period = "from=2026-01-01&to=2026-03-31"
    log_in(page, world.sysadmin)
    for url in (
        f"/staff/reports/center/?center={world.center_a.pk}&{period}",
        f"/staff/reports/timing/?center={world.center_a.pk}&{period}",
        f"/staff/reports/oblast/?region={world.center_a.region_id}&{period}",
        f"/staff/reports/oblast/centers/{world.center_a.pk}/?{period}",
        f"/staff/reports/national/?{period}",
    ):
        page.goto(url)
        assert page.locator("main table").count() > 0, url
        assert_accessible(page)
    page.goto(f"/staff/reports/center/?center={world.center_a.pk}&{period}")
    assert page.locator("main svg[role=img]").count() >= 2
    page.goto("/staff/reports/national/?from=2026-03-31&to=2026-01-01")
    assert page.locator("main [role=alert]").count() == 1
    assert_accessible(page)
    assert [e for e in js_errors(page) if "status of 400" not in e] == []


def test_open_data_page(page, filled):
    page.goto("/open-data/")
    assert_accessible(page)
    assert js_errors(page) == []
