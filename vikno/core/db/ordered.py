"""Statements that must run one after another in the same transaction, each with its own snapshot."""

from __future__ import annotations

from django.db import connection as default_connection


def server_side_binding(using=None) -> bool:
    """Whether the connection binds parameters on the server (``VIKNO_DB_PREPARE_THRESHOLD`` > 0)."""
    return (using or default_connection).settings_dict.get("OPTIONS", {}).get("server_side_binding") is True


def reuse_plans(using=None) -> list[tuple[str, list]]:
    """The statement that lets the rest of the current transaction run its prepared statements on their
    generic plans (planned once per connection) instead of planning them for each run — for a write
    path whose statements' plans do not depend on the values (inserts, look-ups by key). Nothing under
    client-side binding, where nothing is prepared. Put it at the head of a :func:`run_in_order` list."""
    return [("SET LOCAL plan_cache_mode = auto", [])] if server_side_binding(using) else []


def run_in_order(statements: list[tuple[str, list]], *, using=None) -> list[tuple | None]:
    """Run ``statements`` in order and return the first row of each (None for none). With client-side
    binding they go to the server as one multi-statement query (one round trip); the server then
    runs them one by one, each under its own snapshot (READ COMMITTED), so a read placed after an
    advisory lock sees what the lock's previous holder committed. Server-side binding allows one
    command per statement, so they are sent one at a time, with the same meaning."""
    conn = using or default_connection
    rows: list[tuple | None] = []
    with conn.cursor() as cursor:
        if server_side_binding(conn):
            for sql, params in statements:
                cursor.execute(sql, params)
                rows.append(cursor.fetchone() if cursor.description else None)
            return rows
        cursor.execute("; ".join(sql for sql, _ in statements), [p for _, params in statements for p in params])
        for index in range(len(statements)):
            if index:
                cursor.nextset()
            rows.append(cursor.fetchone() if cursor.description else None)
    return rows
