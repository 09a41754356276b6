"""Django database backend: PostgreSQL, with the embedded server started on first connection."""

from __future__ import annotations

from django.db.backends.postgresql import base as postgresql

from . import server


class DatabaseWrapper(postgresql.DatabaseWrapper):
    """The stock PostgreSQL backend; it only fills in HOST with the embedded server's socket."""

    def get_connection_params(self):
        pgdata = self.settings_dict.get("PGDATA")
        if pgdata:
            self.settings_dict["HOST"] = server.ensure_running(pgdata)
            self.settings_dict.setdefault("USER", "postgres")
            self.settings_dict["PORT"] = ""
            _ensure_database(self.settings_dict)
        return super().get_connection_params()


_created: set[str] = set()


def _ensure_database(settings_dict) -> None:
    """Create the application database on the embedded server the first time it is used."""
    name = settings_dict.get("NAME") or "postgres"
    if name in _created or name == "postgres" or name.startswith("test_"):
        return
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=settings_dict["HOST"], user=settings_dict["USER"], dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    _created.add(name)
