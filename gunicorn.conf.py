"""gunicorn settings for Vikno (read from the project folder; command-line options override them).

Workers: one per core by default. Measured on 2 cores with PostgreSQL on the same machine
(bench/queue_load.py and bench/case_load.py, bench/RESULTS.md, 2026-12-03): the application is
CPU-bound, and 2 workers gave the shortest tails and the most registrations per second — call-next
p99 26–27 ms with 2 workers, 31–35 ms with 4, 45 ms with 6; registrations at 32 clients 99/s with 2,
90/s with 4. With the database on its own server, raise VIKNO_WORKERS (2 × cores is the usual start).
Sync workers keep one persistent database connection each (CONN_MAX_AGE), so a request does not pay
for connecting.
"""

import multiprocessing
import os

bind = os.environ.get("VIKNO_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("VIKNO_WORKERS", multiprocessing.cpu_count()))
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
