"""Django set-up for a benchmark script on its own database of the embedded server, or of the
``DATABASE_URL`` server when that is set (``VIKNO_DB_NAME`` replaces the name in the URL)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_bench_django(env_var: str, default: str, *, settings_module: str = "vikno.settings.dev", fresh: bool) -> str:
    """Point Django at the database named by ``env_var`` (else ``default``; it must start with
    ``vikno_bench``), drop and create it first when ``fresh``, migrate it; returns its name."""
    name = os.environ.get(env_var, default)
    if not name.startswith("vikno_bench"):
        raise SystemExit(f"Refusing to use database {name!r}: its name must start with 'vikno_bench'.")
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    os.environ["VIKNO_DB_NAME"] = name
    os.environ["VIKNO_DEBUG"] = "false"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    if connection.settings_dict.get("PGDATA"):
        connection.get_connection_params()  # starts the embedded server (it creates a missing database itself)
    _create_database(name, drop_first=fresh)
    connection.close()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return name


def _create_database(name: str, *, drop_first: bool) -> None:
    """Create the bench database on the configured server if it is missing (dropping it first when
    ``drop_first``), through that server's ``postgres`` database."""
    import psycopg
    from django.db import connection
    from psycopg import sql

    params = {k: v for k, v in connection.settings_dict.items() if k in ("HOST", "PORT", "USER", "PASSWORD") and v}
    keys = {"HOST": "host", "PORT": "port", "USER": "user", "PASSWORD": "password"}
    with psycopg.connect(dbname="postgres", autocommit=True, **{keys[k]: v for k, v in params.items()}) as c:
        if drop_first:
            c.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            c.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


# The apps whose tables a bench generator empties (the catalog and Django's own tables stay).
WIPED_APPS = ("orgs", "accounts", "cases", "payments", "queue", "portal", "notify", "reports", "core")


def truncate_bench_tables(connection) -> int:
    """Empty every table of ``WIPED_APPS`` that exists in the bench database; returns how many. TRUNCATE skips
    the append-only trigger of the audit log; CASCADE reaches catalog links to offices."""
    from django.apps import apps

    assert connection.settings_dict["NAME"].startswith("vikno_bench")
    tables = []
    for label in WIPED_APPS:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        tables += [
            m._meta.db_table
            for m in config.get_models(include_auto_created=True)
            if not m._meta.proxy and m._meta.managed
        ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        existing = {r[0] for r in cursor.fetchall()}
        tables = [t for t in dict.fromkeys(tables) if t in existing]
        cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
    return len(tables)


def edrpou_maker(rng):
    """A function giving a new valid ЄДРПОУ (checksum by python-stdnum) on each call, never the same
    one twice, drawn from ``rng``."""
    from stdnum.ua import edrpou

    used: set[str] = set()

    def new_edrpou() -> str:
        while True:
            base = f"{rng.randrange(2_000_000, 4_500_000):07d}"
            code = base + edrpou.calc_check_digit(base)
            if code not in used:
                used.add(code)
                return code

    return new_edrpou
