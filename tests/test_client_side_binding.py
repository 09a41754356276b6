"""The code paths kept for ``VIKNO_DB_PREPARE_THRESHOLD=0`` (client-side binding, Django's default):
the multi-statement round trip of ``core.db.ordered`` under the case-number and audit-chain locks,
and the roll-up delta statement prepared by name (``reports.deltas``). The rest of the suite runs with
the default (server-side binding), so these tests run again in a child pytest with the setting at 0,
on a test database of their own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SELECTION = [
    "vikno/cases/tests/test_numbering_concurrency.py",
    "vikno/core/tests/test_audit_chain.py",
    "vikno/core/tests/test_ordered.py",
    "vikno/reports/tests/test_marks.py",
]


def test_the_client_side_binding_paths_pass_too():
    env = {
        **os.environ,
        "VIKNO_DB_PREPARE_THRESHOLD": "0",
        "VIKNO_TEST_DB_NAME": f"test_vikno_client_binding_{os.getpid()}",
    }
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *SELECTION],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "[100%]" in done.stdout  # exit 0 with tests run (5 would mean none collected)
