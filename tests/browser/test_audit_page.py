"""The audit log page passes axe-core (WCAG 2.1 AA) and is used from the keyboard: choose the object
type by name, type a case number, and open the case from its row."""

import re

import pytest
from playwright.sync_api import expect

from vikno.cases.models import Case
from vikno.cases.tests.deadline_factories import make_case
from vikno.core.audit import Actor, record
from vikno.testing.browser import assert_accessible, js_errors, log_in, tab_to

pytestmark = pytest.mark.browser


def test_find_a_case_by_number_and_open_it(page, world):
    case = make_case(world)
    Case.objects.filter(pk=case.pk).update(number="1-26-000101")
    case.refresh_from_db()
    record(Actor(user=world.admin_a), "case.registered", case)

    log_in(page, world.head_a)
    page.goto("/staff/audit/")
    assert_accessible(page)
    kind = page.get_by_label("Тип об’єкта")
    tab_to(page, kind)
    kind.select_option(label="Звернення")
    page.keyboard.press("Tab")
    page.keyboard.type("1-26-000101")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"object_id=1-26-000101"))
    rows = page.locator("main tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Заяву зареєстровано")
    expect(rows.first).to_contain_text(world.admin_a.full_name())
    assert_accessible(page)
    link = rows.first.get_by_role("link", name="1-26-000101")
    tab_to(page, link)
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/cases/1-26-000101/")
    assert js_errors(page) == []
