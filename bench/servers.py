"""A gunicorn server on 127.0.0.1 for the load benchmarks, in its own process group."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn on 127.0.0.1 in its own process group; stopped (TERM, then KILL) at the end."""

    def __init__(self, label: str, *, db: str, settings: str, workers: int, worker_class: str, threads: int):
        self.label = label
        self.port = free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings,
            "VIKNO_DB_NAME": db,
            "VIKNO_DEBUG": "false",
            "VIKNO_LOG_LEVEL": "WARNING",
        }
        env.pop("VIKNO_BIND", None)
        cmd = [
            str(Path(sys.executable).with_name("gunicorn")),
            "vikno.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--worker-class",
            worker_class,
            "--backlog",
            "2048",
            "--timeout",
            "120",
            "--graceful-timeout",
            "3",
            "--log-level",
            "warning",
        ]
        if worker_class == "gthread":
            cmd += ["--threads", str(threads)]
        self.command = " ".join(cmd[1:]).replace(f"127.0.0.1:{self.port}", "127.0.0.1:<port>")
        self.log = open(Path(tempfile.gettempdir()) / f"vikno-bench-{label}-{self.port}.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"{self.label} server exited with {self.proc.returncode}; see {self.log.name}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/api/v1/ping")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"{self.label} server did not answer within {timeout:.0f} s; see {self.log.name}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # the process group of the gunicorn started above
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self.log.close()
