"""Run test workers at the same moment, each on its own database connection (real parallel sessions)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from urllib.parse import quote

from django.db import connection


def run_together(workers: Iterable[Callable[[], object]], timeout: float = 120) -> list[BaseException]:
    """Start every worker behind one barrier in its own thread (so its own connection); return what they
    raised."""
    workers = list(workers)
    barrier = threading.Barrier(len(workers))
    errors: list[BaseException] = []

    def run(work):
        try:
            barrier.wait(timeout=30)
            work()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return errors


def database_url() -> str:
    """The test database as a DATABASE_URL, for child processes started by a test (another app process, a
    server): a socket folder as host becomes its %2F… form."""
    params = connection.get_connection_params()
    user = quote(params.get("user") or "")
    password = f":{quote(params['password'])}" if params.get("password") else ""
    host = quote(str(params.get("host") or ""), safe="")
    port = f":{params['port']}" if params.get("port") else ""
    return f"postgres://{user}{password}@{host}{port}/{params['dbname']}"
