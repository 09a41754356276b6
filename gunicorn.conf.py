"""gunicorn settings for Vikno (read from the project folder; command-line options override them).

Measured on 2 cores with bench/case_load.py (see bench/RESULTS.md): the application is CPU-bound
(Python and PostgreSQL on the same cores), so more workers than 2 × cores only adds switching and
database connections. Sync workers keep one persistent database connection each (CONN_MAX_AGE), so
a request does not pay for connecting.
"""

import multiprocessing
import os

bind = os.environ.get("VIKNO_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("VIKNO_WORKERS", 2 * multiprocessing.cpu_count()))
worker_class = os.environ.get("VIKNO_WORKER_CLASS", "sync")
threads = int(os.environ.get("VIKNO_THREADS", 1))
backlog = 2048
timeout = 30


def post_worker_init(worker):
    """Move everything the application loaded at start-up (Django, the URL map, translations) out of the
    garbage collector's reach and collect the young generation less often: the full collections that
    otherwise walk those objects were the longest pauses of a request under load (bench/RESULTS.md)."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(int(os.environ.get("VIKNO_GC_THRESHOLD", 7000)), 20, 20)
