#!/usr/bin/env python
"""Weight of the public portal pages: bytes a first visit transfers per page.

Run from the project folder: ``.venv/bin/python bench/page_weight.py`` (about a minute the first
time, while the demo loads; seconds afterwards). ``--fresh`` drops and recreates the database.

It uses its own database on the embedded server (``VIKNO_BENCH_PORTAL_DB``, default
``vikno_bench_portal``; the name must start with ``vikno_bench``), migrates it and, when it has no
center yet, loads the demo (``vikno.demo.loader.load``). Each public page is then rendered with
Django's test client, and its weight is the HTML plus every same-origin stylesheet and script the
page links (read from the static files finders, as the server would send them). Each is counted
raw and gzip-compressed (level 6, what a web server typically applies); cached assets on the
second page are not subtracted, so each row is a cold first visit. The target is < 100 KB a page.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
SETTINGS = os.environ.get("DJANGO_SETTINGS_MODULE", "vikno.settings.dev")

from benchdb import setup_bench_django  # noqa: E402

TARGET = 100 * 1024
_ASSET_RE = re.compile(r"""<(?:link[^>]*rel=["']stylesheet["'][^>]*href|script[^>]*src)=["']([^"']+)["']""")


def _prepare(fresh: bool) -> str:
    """Set up the bench database (loaded with the demo the first time); returns its name."""
    name = setup_bench_django("VIKNO_BENCH_PORTAL_DB", "vikno_bench_portal", settings_module=SETTINGS, fresh=fresh)
    from vikno.orgs.models import Center

    if not Center.objects.exists():
        from vikno.catalog import search
        from vikno.demo.loader import load

        print("Loading the demo…", flush=True)
        load()
        search.reindex()
    return name


def _pages() -> list[tuple[str, str]]:
    from django.utils import timezone

    from vikno.catalog.models import LifeSituation, Service
    from vikno.orgs.models import Office
    from vikno.portal.views_public import active_centers, center_service_ids

    today = timezone.localdate()
    center = next((c for c in active_centers().order_by("pk") if center_service_ids(c, today)), None)
    if center is None:
        sys.exit("No center with an approved list in the database.")
    ids = center_service_ids(center, today)
    # The biggest information card of the list: the most documents.
    service = max(
        Service.objects.filter(pk__in=ids).select_related("current_version"),
        key=lambda s: (s.current_version.documents.count() if s.current_version else 0, s.code),
    )
    situation = LifeSituation.objects.filter(services__pk__in=ids).order_by("position", "code").first()
    office = Office.objects.filter(center=center, is_active=True).order_by("kind", "pk").first()
    slug = center.slug
    pages = [
        ("root", "/"),
        ("oblast", f"/oblast/{center.region.katottg}/"),
        ("center home", f"/c/{slug}/"),
        ("catalog by sphere", f"/c/{slug}/services/"),
        (f"service card {service.code}", f"/c/{slug}/services/{service.code}/"),
        ("search «народила дитину»", f"/c/{slug}/search/?q=народила+дитину"),
    ]
    if situation is not None:
        pages.insert(4, (f"life situation {situation.code}", f"/c/{slug}/life/{situation.code}/"))
    if office is not None:
        pages.append(("office", f"/c/{slug}/offices/{office.pk}/"))
    return pages


def _asset(url: str) -> bytes | None:
    from django.conf import settings
    from django.contrib.staticfiles import finders

    if url.startswith("//") or "://" in url or not url.startswith(settings.STATIC_URL):
        return None  # not same-origin static
    found = finders.find(url[len(settings.STATIC_URL) :].split("?")[0])
    return Path(found).read_bytes() if found else None


def measure() -> list[dict]:
    from django.test import Client
    from django.test.utils import setup_test_environment

    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic needed here
    setup_test_environment()  # lets the test client's host through ALLOWED_HOSTS
    client = Client()
    rows = []
    for label, path in _pages():
        response = client.get(path, follow=True)
        if response.status_code != 200:
            sys.exit(f"{path} answered {response.status_code}")
        html = response.content
        assets = {}
        for url in dict.fromkeys(_ASSET_RE.findall(html.decode())):
            body = _asset(url)
            if body is not None:
                assets[url] = body
        raw = len(html) + sum(len(b) for b in assets.values())
        zipped = len(gzip.compress(html, 6)) + sum(len(gzip.compress(b, 6)) for b in assets.values())
        rows.append(
            {
                "page": label,
                "path": path,
                "html": len(html),
                "html_gz": len(gzip.compress(html, 6)),
                "assets": len(assets),
                "raw": raw,
                "gzip": zipped,
            }
        )
    return rows


def _kb(n: int) -> str:
    return f"{n / 1024:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the bench database first")
    args = parser.parse_args()
    db_name = _prepare(args.fresh)
    rows = measure()
    print(f"Database {db_name}; KB = 1024 bytes; target < {TARGET // 1024} KB per page (cold visit).")
    print()
    print("| page | HTML KB | HTML gzip KB | CSS/JS files | total KB | total gzip KB | < 100 KB |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for r in rows:
        ok = "yes" if r["raw"] < TARGET else ("gzip only" if r["gzip"] < TARGET else "NO")
        print(
            f"| {r['page']} (`{r['path']}`) | {_kb(r['html'])} | {_kb(r['html_gz'])} | {r['assets']} | "
            f"{_kb(r['raw'])} | {_kb(r['gzip'])} | {ok} |"
        )


if __name__ == "__main__":
    main()
