"""Test fixtures shared by every room: staff users of every role in two centers, clients."""

import pytest

pytest_plugins = ["vikno.testing.fixtures", "vikno.testing.fakes"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with empty per-process caches (rate limits and form stamps are rows of PostgreSQL,
    removed with the test's transaction)."""
    from django.core.cache import cache

    from vikno.accounts.models import forget_tokens
    from vikno.catalog import intake

    cache.clear()
    # Per-process caches of rows a test's rollback removes (tokens, offices, catalog intake terms).
    forget_tokens()
    intake.forget()


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English (the language switch, a client with an English cookie) leaves English active in
    the thread after the response, as in a server's worker until its next request: every test starts and
    ends in the default language, whatever the order the tests run in."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
