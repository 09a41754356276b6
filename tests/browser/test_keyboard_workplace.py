"""The workplace is where a front-office day starts: the cursor is in the case search, Enter finds the
case, two Tabs reach «Register a case», and each count opens its own list."""

import re

import pytest
from playwright.sync_api import expect

from vikno.testing.browser import js_errors, log_in

pytestmark = pytest.mark.browser


def test_find_a_case_and_register_from_the_workplace(page, world):
    from datetime import timedelta

    from django.utils import timezone

    from vikno.cases.models import Status
    from vikno.cases.tests.deadline_factories import make_case

    waiting = make_case(world, status=Status.RESULT_READY, result_ready_at=timezone.now() - timedelta(days=1))
    log_in(page, world.admin_a)
    expect(page.locator("#workplace-q")).to_be_focused()

    page.keyboard.type("Коваленко")  # the applicant's surname (numbers of these test cases are not real ones)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/staff/cases/\?q="))
    expect(page.get_by_role("link", name=waiting.number)).to_be_visible()

    page.go_back()
    page.get_by_role("link", name=re.compile("Results and refusals to hand out|Результати й відмови до видачі")).click()
    page.wait_for_url(re.compile(r"/staff/cases/inbox/\?status=result_ready&status=refused"))
    expect(page.get_by_role("link", name=waiting.number)).to_be_visible()

    page.goto("/staff/")
    # the page puts the cursor in the search box once it has loaded; Tab counts from there
    expect(page.locator("#workplace-q")).to_be_focused()
    page.keyboard.press("Tab")  # Find
    page.keyboard.press("Tab")  # Register a case
    expect(page.get_by_role("link", name=re.compile("Register a case|Зареєструвати звернення"))).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/staff/cases/new/"))
    assert js_errors(page) == []
