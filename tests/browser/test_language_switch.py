"""The language switch in the header changes <html lang> and the choice stays for the next pages."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_switch_to_english_and_back(page):
    html = page.locator("html")
    page.goto("/")
    expect(html).to_have_attribute("lang", "uk")

    page.get_by_role("button", name="English").click()
    expect(html).to_have_attribute("lang", "en")
    assert urlsplit(page.url).path == "/"  # back on the page where the switch was pressed

    page.goto("/accounts/login/")
    expect(html).to_have_attribute("lang", "en")

    page.get_by_role("button", name="Українська").click()
    expect(html).to_have_attribute("lang", "uk")
    expect(page.locator("#id_username")).to_be_visible()  # came back to the same page
