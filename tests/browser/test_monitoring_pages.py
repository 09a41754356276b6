"""The monitoring pages (oblast summary, self-assessment form with and without errors, review, history,
indicators) pass axe-core (WCAG 2.1 AA) and run without script errors; the form works from the keyboard."""

import pytest
from playwright.sync_api import expect

from vikno.testing.browser import assert_accessible, js_errors, log_in

pytestmark = pytest.mark.browser


def unexpected_errors(page) -> list[str]:
    """Script and console errors, except the browser's note on the intended 400 answer to bad input."""
    return [e for e in js_errors(page) if "status of 400" not in e]


@pytest.fixture
def monitoring(world):
    from vikno.monitoring import demo, services
    from vikno.monitoring.models import Assessment

    demo.setup_demo_monitoring(center_slug=world.center_a.slug, head=world.head_a)
    questionnaire = services.active_questionnaire()
    current = services.period_containing(questionnaire.period_kind, services.today())
    return world, Assessment.objects.get(), current


def test_summary_review_and_indicator_pages(page, monitoring):
    world, assessment, _ = monitoring
    log_in(page, world.monitor_1)
    for url in (
        "/staff/monitoring/",
        f"/staff/monitoring/centers/{world.center_a.pk}/",
        f"/staff/monitoring/assessments/{assessment.pk}/",
        f"/staff/monitoring/indicators/?center={world.center_a.pk}&period={assessment.period}",
    ):
        page.goto(url)
        assert_accessible(page)
    page.goto(f"/staff/monitoring/assessments/{assessment.pk}/")
    page.locator("main button[name=decision][value=return]").click()
    expect(page.locator("main [role=alert]")).to_be_visible()
    assert_accessible(page)
    assert unexpected_errors(page) == []


def test_fill_in_page(page, monitoring):
    world, _, current = monitoring
    log_in(page, world.head_a)
    url = f"/staff/monitoring/centers/{world.center_a.pk}/fill/{current.key}/"
    page.goto(url)
    assert_accessible(page)
    # Keyboard: focus the first «yes», choose it with the space bar, submit the incomplete form with Enter.
    first = page.locator("main form input[type=radio]").first
    first.focus()
    page.keyboard.press("Space")
    expect(first).to_be_checked()
    page.locator("main button[name=action][value=submit]").focus()
    page.keyboard.press("Enter")
    expect(page.locator("main [role=alert]")).to_be_visible()
    expect(page.locator("main form input[type=radio]").first).to_be_checked()
    assert_accessible(page)
    assert unexpected_errors(page) == []
