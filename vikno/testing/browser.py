"""Browser-test fixtures: Playwright drives the machine's Chromium against pytest-django's live server.

Use in a test module (the fixtures are registered for ``tests/browser`` by its conftest.py)::

    @pytest.mark.browser
    def test_something(page, world):
        log_in(page, world.admin_a)
        assert_accessible(page)

What is here
- ``browser`` (session): one headless Chromium for the whole run. Chromium comes from Debian
  (``apt-get install chromium``, done by ``make system-deps``); ``playwright install`` is never used.
- ``new_page(**context_options)``: a page in a fresh browser context (own cookies and storage),
  ``locale="uk-UA"`` and ``base_url`` set to the live server, so tests write ``page.goto("/staff/")``.
  Pass Playwright context options to change one, e.g. ``new_page(java_script_enabled=False)``.
- ``page``: ``new_page()`` with the defaults.
- ``log_in(page, user)``: the real two-step staff login (password form, then a TOTP code computed
  from the user's confirmed device, which is created when the user has none).
- ``axe_violations(page, tags=WCAG_21_AA)`` and ``assert_accessible(page)``: axe-core (npm package
  ``axe-core``, in node_modules) run on the current page.
- ``js_errors(page)``: JavaScript errors and console errors (CSP refusals included) of the page.

What was needed on this machine, and why
- Chromium runs as root here. Playwright starts Chromium with ``--no-sandbox`` unless
  ``chromium_sandbox=True`` is given; it is also listed in ``LAUNCH_ARGS`` so the intent is visible.
  The other arguments keep Chromium off the network (no component updates, sync, QUIC or
  background requests: only the registries are reachable from this machine) and off the GPU.
- Playwright's sync API marks an asyncio loop as running in the main thread for as long as it is
  started, and Django's ORM then refuses to run there (``SynchronousOnlyOperation``), including
  pytest-django's own database flush between tests. The ``browser`` fixture therefore sets
  ``DJANGO_ALLOW_ASYNC_UNSAFE`` while Chromium is up, and ``browser_tests_last`` (a collection hook
  the conftest installs) runs the browser tests after every other test, so no other test runs with
  that check switched off.
- The live server runs in another thread with its own database connection, so every test that
  uses ``new_page``/``page`` runs with ``transactional_db`` (pytest-django switches to it because
  ``live_server`` is requested): rows a test creates are committed and the server sees them. The
  tables are emptied after each such test.
- The pages send ``Content-Security-Policy: script-src 'self'``, which blocks
  ``page.add_script_tag``. axe-core is injected with ``page.evaluate`` instead (DevTools evaluation
  is not subject to the page's CSP), so the pages are tested with their real CSP in force.
- No sleeps: Playwright's auto-waiting (``wait_for_url``, ``expect``) does all the waiting; the
  default timeout is lowered to ``TIMEOUT_MS`` so a broken page fails fast.
"""

from __future__ import annotations

import functools
import os
import shutil
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
LOCALE = "uk-UA"
TIMEOUT_MS = 10_000
WCAG_21_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

_errors: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def chromium_path() -> str | None:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    return shutil.which("chromium")


def axe_path() -> Path:
    from django.conf import settings

    return Path(settings.NODE_MODULES) / "axe-core" / "axe.min.js"


@functools.cache
def _axe_source() -> str:
    return axe_path().read_text(encoding="utf-8")


# --- Collection --------------------------------------------------------------------------------


def browser_tests_last(items: list) -> None:
    """Move tests marked ``browser`` after all others, keeping the order within each group."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


# --- Fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole test session."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        pytest.fail(
            "Chromium is not installed (expected /usr/bin/chromium). Run `make system-deps` "
            "(apt-get install chromium) or deselect the browser tests with -m 'not browser'.",
            pytrace=False,
        )
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=LAUNCH_ARGS)
            try:
                yield chromium
            finally:
                chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser, live_server):
    """Factory: ``new_page(**context_options)`` opens a page in a fresh context on the live server."""
    contexts = []

    def _new_page(**options):
        context = browser.new_context(**{"locale": LOCALE, "base_url": live_server.url, **options})
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        _watch_errors(page)
        return page

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A page in a fresh browser context (Ukrainian locale, JavaScript on) on the live server."""
    return new_page()


# --- JavaScript errors ------------------------------------------------------------------------


def _watch_errors(page) -> None:
    errors: list[str] = []
    _errors[page] = errors

    def on_console(message) -> None:
        if message.type != "error":
            return
        url = (message.location or {}).get("url", "")
        if url.endswith("/favicon.ico"):  # the browser asks for it on its own
            return
        errors.append(f"console: {message.text} ({url})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))


def js_errors(page) -> list[str]:
    """Errors the page's scripts raised and console errors (CSP refusals, failed loads) so far."""
    return list(_errors.get(page, []))


# --- Logging in --------------------------------------------------------------------------------


def confirmed_totp_device(user):
    """The user's confirmed TOTP device; one is created (and committed) when there is none."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="browser-test", confirmed=True
    )


def _submit_main_form(page) -> None:
    """Press the main form's submit button and wait until the page it leads to has loaded."""
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def _stopped(page, step: str) -> AssertionError:
    shown = " ".join(page.locator("main [role=alert]").all_inner_texts()) or page.title()
    return AssertionError(f"{step} did not go through; the browser is on {page.url}: {shown}")


def submit_password(page, user, password: str | None = None, next_url: str = "") -> None:
    """Step one: fill in and submit the password form; ends on the second-factor page.
    The user gets a confirmed TOTP device first if they have none (else the set-up page would follow)."""
    from vikno.testing.fixtures import PASSWORD

    confirmed_totp_device(user)
    page.goto("/accounts/login/" + (f"?{urlencode({'next': next_url})}" if next_url else ""))
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(password or PASSWORD)
    _submit_main_form(page)
    if urlsplit(page.url).path != "/accounts/verify/":
        raise _stopped(page, f"The password step for {user.username}")


def submit_totp(page, user) -> None:
    """Step two: enter the current code of the user's device; ends on the page after login.
    django-otp accepts each code once: log one user in at most once per 30-second step."""
    from vikno.testing.fixtures import totp_now

    page.locator("#id_token").fill(totp_now(confirmed_totp_device(user)))
    _submit_main_form(page)
    if urlsplit(page.url).path.startswith("/accounts/"):
        raise _stopped(page, f"The second-factor step for {user.username}")


def log_in(page, user, password: str | None = None, next_url: str = "") -> None:
    """Log ``user`` in through the real two-step form, as a person would (works without JS too)."""
    submit_password(page, user, password, next_url)
    submit_totp(page, user)


# --- Accessibility -----------------------------------------------------------------------------


@dataclass
class Violation:
    """One axe-core rule that failed, with the elements that failed it."""

    id: str
    impact: str
    help: str
    help_url: str
    nodes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"{self.id} [{self.impact}]: {self.help} ({self.help_url})"]
        lines += [f"    - {node}" for node in self.nodes]
        return "\n".join(lines)


_AXE_RUN = """async (tags) => {
  const limit = new Promise((_, reject) => setTimeout(() => reject(new Error("axe-core did not finish in 30 s")), 30000));
  const run = window.axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  const result = await Promise.race([run, limit]);
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => n.target.join(" ") + "  " + n.html.slice(0, 160)
                              + (n.failureSummary ? "  -- " + n.failureSummary.replace(/\\s+/g, " ") : "")),
  }));
}"""


def axe_violations(page, tags=WCAG_21_AA) -> list[Violation]:
    """Run axe-core with the given rule tags on the page as it is now and return its violations.
    A run that does not finish in 30 s (seen once on a loaded machine) is retried once after a reload."""
    page.wait_for_load_state("load")
    try:
        found = _run_axe(page, tags)
    except PlaywrightError:
        page.reload(wait_until="load")
        found = _run_axe(page, tags)
    return [Violation(v["id"], v["impact"], v["help"], v["helpUrl"], v["nodes"]) for v in found]


def _run_axe(page, tags) -> list[dict]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    return page.evaluate(_AXE_RUN, list(tags))


def assert_accessible(page, tags=WCAG_21_AA) -> None:
    """Fail with every axe-core violation of the page listed (WCAG 2.1 A and AA by default)."""
    violations = axe_violations(page, tags)
    if violations:
        report = "\n".join(str(v) for v in violations)
        pytest.fail(f"{len(violations)} accessibility violation(s) on {page.url}:\n{report}", pytrace=False)


def tab_to(page, locator, limit: int = 80) -> None:
    """Press Tab until ``locator`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if locator.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {locator}")
