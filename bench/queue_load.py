#!/usr/bin/env python
"""Electronic queue under load: kiosks, 80 operators and the display board, through real servers.

Run from the project folder: ``.venv/bin/python bench/queue_load.py [--seconds 60] [--operators 80]``.

Database ``vikno_bench_queue`` (``VIKNO_BENCH_QUEUE_DB``; the name must start with ``vikno_bench``),
migrated on the embedded server. Each run adds its own center («Bench queue <run>») with one office
open 00:00–23:59:59 every day (so it works at any hour), 3 queues, ``--operators`` windows with work
profiles, a center head, one administrator per window with an API token and an open work session;
``--history-days`` of past, finished tickets with their visit events (so the tables are not empty,
as in an office that has worked for a while). ``--fresh`` drops the database first.

Two servers on free ports of 127.0.0.1, in their own process groups, stopped at the end:

- API: ``gunicorn vikno.wsgi --workers 4 --worker-class sync`` (as docs/operations.md deploys it);
- display: ``gunicorn vikno.wsgi --workers 1 --worker-class gthread --threads <displays + 2>``. The
  event stream ``/queue/display/<office>/events`` holds one thread for as long as it is open (see
  ``vikno.queue.live``: ``stream_sync`` under WSGI; uvicorn, which would serve the async ``stream``,
  is not installed), so the displays get a server of their own instead of taking API workers; a call
  made by an API worker reaches them through PostgreSQL ``NOTIFY``.

Then, for ``--seconds``:

- kiosks: ``POST /api/v1/queue/kiosk/<office>/tickets`` at ``--tickets-per-minute`` (300), paced on a
  fixed schedule (open loop), queues drawn 50/30/20 %, 5 % with a priority category;
- operators: one thread each, ``POST …/workplaces/<id>/call-next``; with a ticket: a pause while the
  visitor walks up, 5 % a ``recall``, 3 % a ``no-show``, otherwise ``start``, the service time
  (``--service-seconds``, uniform around the mean) and ``finish``; with nobody waiting: a pause
  (``--idle-seconds``) and call again;
- ``--displays`` (2) display clients in a separate process, each reading the event stream and
  noting when each ``call`` event arrives;
- a ping client (``GET /api/v1/ping``, 20 a second) on the API server: the hello-world baseline under
  the same load; and 5 s of ping alone before the load starts.

It prints the latency (p50/p95/p99/max) of every operation, the display latency of every call —
arrival minus the server's ``called_at`` carried in the event, and arrival minus the moment the
operator got the HTTP response — missed calls per display, and, from the database, duplicate ticket
numbers (same queue, day, number) and tickets called twice; both must be 0. ``--explain`` adds
``EXPLAIN (ANALYZE, BUFFERS)`` of the statements of a call; ``--statements`` the SQL statements and
their time per request, in-process after the servers stop. The CPU the machine, each server and the
clients used during the load is printed too (the rest is PostgreSQL and other jobs). Targets: call-next p99 < 30 ms, display
p95 < 300 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import multiprocessing as mp
import os
import random
import re
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchdb import setup_bench_django  # noqa: E402 - after the path set-up above
from servers import Server  # noqa: E402

DEFAULT_DB = "vikno_bench_queue"
QUEUES = [  # name, prefix, colour, share of the kiosk tickets
    ("Реєстрація місця проживання", "Р", "#e67e22", 0.5),
    ("Соціальні питання", "С", "#1e6b2f", 0.3),
    ("Паспортні послуги", "П", "#0b4f9c", 0.2),
]
PRIORITIES = ["disability", "veteran", "pregnant", "infant"]


# --- database and Django -------------------------------------------------------------------------


def setup_django(settings_module: str, fresh: bool) -> str:
    return setup_bench_django("VIKNO_BENCH_QUEUE_DB", DEFAULT_DB, settings_module=settings_module, fresh=fresh)


def prepare(run: str, operators: int, history_days: int, history_per_day: int) -> dict:
    """The center, office, queues, windows, users with tokens and open sessions of this run."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from vikno.accounts.models import ApiToken, User
    from vikno.core.audit import Actor
    from vikno.core.scoping import Role
    from vikno.orgs.models import Center, Hromada, Office, Raion, Region, WeeklyHours
    from vikno.queue import services

    region, _ = Region.objects.get_or_create(
        katottg="UA05000000000010236", defaults={"name": "Вінницька", "category": "O"}
    )
    raion, _ = Raion.objects.get_or_create(
        katottg="UA05020000000026686", defaults={"name": "Вінницький", "region": region}
    )
    hromada, _ = Hromada.objects.get_or_create(
        katottg="UA05020030000031457", defaults={"name": "Вінницька", "region": region, "raion": raion}
    )
    center = Center.objects.create(name=f"Bench queue {run}", slug=f"bench-queue-{run}", hromada=hromada)
    office = Office.objects.create(center=center, kind="main", name=f"Bench queue {run}, головний офіс")
    WeeklyHours.objects.bulk_create(
        WeeklyHours(office=office, weekday=d, opens=dt.time(0, 0), closes=dt.time(23, 59, 59)) for d in range(7)
    )
    unusable = make_password(None)
    head = User.objects.create(
        username=f"bq{run}_head", role=Role.CENTER_HEAD, center=center, password=unusable, first_name="Керівник"
    )
    boss = Actor(user=head)
    queues = [
        services.create_queue(office, name=name, prefix=prefix, color=color, position=i, actor=boss)
        for i, (name, prefix, color, _share) in enumerate(QUEUES)
    ]
    r, s, p = queues
    # Work profiles: most windows serve one main queue and help with the others when it is empty.
    profiles = [[r, s], [r, p], [s, r], [p, r, s], [r], [s, p, r]]
    weights = [30, 10, 25, 20, 10, 5]
    spread = [profile for profile, weight in zip(profiles, weights, strict=True) for _ in range(weight)]
    staff = []
    for n in range(operators):
        profile = spread[n * len(spread) // operators]
        workplace = services.create_workplace(office, name=f"Вікно {n + 1}", queues=profile, actor=boss)
        user = User.objects.create(
            username=f"bq{run}_op{n + 1}",
            role=Role.ADMINISTRATOR,
            center=center,
            password=unusable,
            first_name="Оператор",
            last_name=str(n + 1),
        )
        user.offices.add(office)
        _token, key = ApiToken.issue(user, "bench queue")
        services.open_session(workplace, Actor(user=user))
        staff.append({"workplace": workplace.pk, "token": key, "profile": [q.prefix for q in profile]})
    history = 0
    if history_days > 0 and history_per_day > 0:
        history = _history(office, queues, [s["workplace"] for s in staff], history_days, history_per_day)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE queue_ticket; ANALYZE queue_visitevent; ANALYZE queue_ticketcounter")
    return {
        "center": center.pk,
        "office": office.pk,
        "queues": [(q.pk, q.prefix, share) for q, (*_x, share) in zip(queues, QUEUES, strict=True)],
        "staff": staff,
        "history": history,
    }


def _history(office, queues, workplaces: list[int], days: int, per_day: int) -> int:
    """Past days of finished tickets (90 % done, 10 % no-show) with their visit events, in SQL."""
    from django.db import connection

    today = dt.date.today()
    q_ids = [q.pk for q in queues]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO queue_ticket (queue_id, office_id, center_id, region_id, day, number, code, token, source,
                priority, status, issued_at, order_at, called_at, call_count, started_at, finished_at,
                workplace_id, language)
            SELECT q.id, %(office)s, q.center_id, q.region_id, d.day, g.n, q.prefix || '-' || lpad(g.n::text, greatest(3, length(g.n::text)), '0'),
                md5(random()::text || clock_timestamp()::text), 'kiosk', '',
                CASE WHEN random() < 0.1 THEN 'no_show' ELSE 'done' END,
                t.issued, t.issued, t.issued + interval '6 min', 1, t.issued + interval '7 min',
                t.issued + interval '17 min', (%(workplaces)s::bigint[])[1 + (random() * (%(nw)s - 1))::int], 'uk'
            FROM (SELECT (%(today)s::date - k) AS day FROM generate_series(1, %(days)s) k) d
            CROSS JOIN unnest(%(queues)s::bigint[]) WITH ORDINALITY AS qi(queue_id, pos)
            JOIN queue_queue q ON q.id = qi.queue_id
            CROSS JOIN LATERAL generate_series(1, %(per_queue)s) g(n)
            CROSS JOIN LATERAL (SELECT (d.day + time '05:00') + g.n * interval '9 seconds' AS issued) t
            """,
            {
                "office": office.pk,
                "workplaces": workplaces,
                "nw": len(workplaces),
                "today": today,
                "days": days,
                "queues": q_ids,
                "per_queue": per_day // len(q_ids),
            },
        )
        tickets = cursor.rowcount
        cursor.execute(
            """
            INSERT INTO queue_visitevent (ticket_id, queue_id, center_id, region_id, kind, at, workplace_id, data)
            SELECT t.id, t.queue_id, t.center_id, t.region_id, e.kind, e.at, e.workplace_id, '{}'::jsonb
            FROM queue_ticket t
            CROSS JOIN LATERAL (VALUES
                ('issued', t.issued_at, NULL::bigint), ('called', t.called_at, t.workplace_id),
                (CASE WHEN t.status = 'done' THEN 'started' ELSE 'no_show' END, t.started_at, t.workplace_id),
                ('finished', t.finished_at, t.workplace_id)
            ) e(kind, at, workplace_id)
            WHERE t.office_id = %s AND t.day < %s AND NOT (t.status = 'no_show' AND e.kind = 'finished')
            """,
            [office.pk, today],
        )
        cursor.execute(
            "INSERT INTO queue_ticketcounter (queue_id, day, last_value) "
            "SELECT queue_id, day, max(number) FROM queue_ticket WHERE office_id = %s AND day < %s "
            "GROUP BY queue_id, day",
            [office.pk, today],
        )
    return tickets


# --- servers -------------------------------------------------------------------------------------


def group_cpu(pgid: int) -> float:
    """CPU seconds (user + system) used so far by the live processes of a process group."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # field 5 of /proc/<pid>/stat: the process group
            total += int(fields[11]) + int(fields[12])
    return total / tick


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat."""
    values = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(values[:8]) - idle) / tick, sum(values[:8]) / tick


# --- measurements --------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


class Stats:
    """Latencies (ms) and errors per label, shared by the client threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.ms: dict[str, list[float]] = {}
        self.errors: dict[str, dict[str, int]] = {}

    def add(self, label: str, ms: float) -> None:
        with self.lock:
            self.ms.setdefault(label, []).append(ms)

    def error(self, label: str, what: str) -> None:
        with self.lock:
            bucket = self.errors.setdefault(label, {})
            bucket[what] = bucket.get(what, 0) + 1

    def row(self, label: str, seconds: float) -> str:
        lat = self.ms.get(label, [])
        errors = sum(self.errors.get(label, {}).values())
        if not lat:
            return f"{label:<34}{0:>8}{'':>8}{'':>9}{'':>9}{'':>9}{'':>9}{errors:>8}"
        return (
            f"{label:<34}{len(lat):>8}{len(lat) / seconds:>8.1f}{statistics.median(lat):>9.2f}"
            f"{percentile(lat, 95):>9.2f}{percentile(lat, 99):>9.2f}{max(lat):>9.1f}{errors:>8}"
        )


class Client:
    """One keep-alive HTTP connection to 127.0.0.1 (reopened when the server closes it)."""

    def __init__(self, port: int, stats: Stats, token: str | None = None):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.stats = stats
        self.headers = {"Content-Type": "application/json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def call(self, label: str, method: str, path: str, body: dict | None = None, expect=(200,)):
        data = json.dumps(body) if body is not None else None
        start = time.perf_counter()
        try:
            self.conn.request(method, path, body=data, headers=self.headers)
            response = self.conn.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            self.stats.error(label, type(exc).__name__)
            return None
        ms = (time.perf_counter() - start) * 1000
        if response.status not in expect:
            self.stats.error(label, f"HTTP {response.status} {payload[:200].decode(errors='replace')}")
            return None
        self.stats.add(label, ms)
        return json.loads(payload) if payload else {}


def display_process(port: int, office: int, displays: int, ready, stop, out) -> None:
    """Separate process (so the operators' threads do not delay it): ``displays`` readers of the event
    stream; each notes (arrival wall time, ticket id, call count, server ``at``) of every ``call``."""
    import logging

    import httpx

    logging.getLogger("httpx").setLevel(logging.WARNING)
    arrivals: list[list] = [[] for _ in range(displays)]
    problems: list[str] = []

    def read(k: int) -> None:
        try:
            with (
                httpx.Client(timeout=httpx.Timeout(10, read=60)) as client,
                client.stream(
                    "GET",
                    f"http://127.0.0.1:{port}/queue/display/{office}/events",
                    headers={"Accept": "text/event-stream"},
                ) as response,
            ):
                if response.status_code != 200:
                    problems.append(f"display {k}: HTTP {response.status_code}")
                    ready.put(k)
                    return
                event = None
                for line in response.iter_lines():
                    if line.startswith("event: "):
                        event = line[7:]
                    elif line.startswith("data: "):
                        if event == "state":
                            ready.put(k)
                        elif event == "call":
                            now = time.time()
                            data = json.loads(line[6:])
                            arrivals[k].append((now, data.get("ticket_id"), data.get("call_count"), data.get("at")))
                    elif line == "":
                        event = None
        except Exception as exc:  # reported with the results
            if not stop.is_set():
                problems.append(f"display {k}: {type(exc).__name__}: {exc}")
                ready.put(k)

    for k in range(displays):
        threading.Thread(target=read, args=(k,), daemon=True).start()
    stop.wait()
    time.sleep(1.0)  # the last calls of the run are still on their way
    used = os.times()
    out.put({"arrivals": arrivals, "problems": problems, "cpu": used.user + used.system})


def run_load(args, api: Server, display: Server, setup: dict) -> dict:
    stats = Stats()
    office = setup["office"]
    responded: dict[tuple[int, int], float] = {}  # (ticket id, call count) → wall time of the HTTP response
    called_ids: list[int] = []
    rng_lock = threading.Lock()
    rng = random.Random(args.seed)

    def draw() -> float:
        with rng_lock:
            return rng.random()

    # The displays connect first and must have their opening state before any call is made.
    ctx = mp.get_context("fork")
    ready, out, display_stop = ctx.Queue(), ctx.Queue(), ctx.Event()
    proc = ctx.Process(target=display_process, args=(display.port, office, args.displays, ready, display_stop, out))
    proc.start()
    for _ in range(args.displays):
        ready.get(timeout=30)

    queues = setup["queues"]

    def pick_queue() -> int:
        x = draw()
        for queue_id, _prefix, share in queues:
            if x < share:
                return queue_id
            x -= share
        return queues[-1][0]

    interval = 60 / args.tickets_per_minute
    kiosk_threads = 3
    late = [0]

    def kiosk(k: int, started: float) -> None:
        client = Client(api.port, stats)
        i = k
        while True:
            due = started + i * interval
            if due >= started + args.seconds:
                return
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            elif wait < -interval:
                late[0] += 1
            body = {"queue_id": pick_queue(), "priority": PRIORITIES[int(draw() * 4)] if draw() < 0.05 else ""}
            client.call("kiosk: issue ticket", "POST", f"/api/v1/queue/kiosk/{office}/tickets", body, expect=(201,))
            i += kiosk_threads

    def operator(member: dict, started: float) -> None:
        client = Client(api.port, stats, member["token"])
        wp = member["workplace"]
        time.sleep(draw() * args.idle_seconds)  # operators do not all press the button in the same instant
        while time.perf_counter() < started + args.seconds:
            t0 = time.perf_counter()
            answer = client.call("call-next (all)", "POST", f"/api/v1/queue/workplaces/{wp}/call-next")
            ms = (time.perf_counter() - t0) * 1000
            if answer is None:
                time.sleep(args.idle_seconds)
                continue
            ticket = answer.get("ticket")
            if ticket is None:
                stats.add("call-next: nobody waiting", ms)
                time.sleep(args.idle_seconds * (0.5 + draw()))
                continue
            stats.add("call-next: ticket called", ms)
            tid = ticket["id"]
            responded[(tid, ticket["call_count"])] = time.time()
            called_ids.append(tid)
            time.sleep(0.5 + draw())  # the visitor walks up to the window
            if draw() < 0.05:
                again = client.call("recall", "POST", f"/api/v1/queue/tickets/{tid}/recall")
                if again is not None:
                    responded[(tid, again["call_count"])] = time.time()
                time.sleep(0.5 + draw())
            if draw() < 0.03:
                client.call("no-show", "POST", f"/api/v1/queue/tickets/{tid}/no-show")
                continue
            client.call("start", "POST", f"/api/v1/queue/tickets/{tid}/start")
            service = args.service_seconds * (0.5 + draw())
            if time.perf_counter() + service > started + args.seconds:
                # A visit that would end after the run stays «serving»: cutting them all short at the end
                # would send 80 finishes at once, a burst no real office makes.
                return
            time.sleep(service)
            client.call("finish", "POST", f"/api/v1/queue/tickets/{tid}/finish")

    def pinger(started: float, label: str, seconds: float) -> None:
        client = Client(api.port, stats)
        i = 0
        while True:
            due = started + i * 0.05
            if due >= started + seconds:
                return
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            client.call(label, "GET", "/api/v1/ping")
            i += 1

    # Ping alone first: the baseline of the stack with nothing else running.
    load_before = os.getloadavg()
    pinger(time.perf_counter(), "ping (alone, before)", 5)
    print(f"  … ping alone: {len(stats.ms.get('ping (alone, before)', []))} requests", flush=True)

    started = time.perf_counter() + 0.5
    # Operators run in forked client processes (a group of windows each), kiosks and the pinger in this one:
    # 80 client threads under one interpreter lock would add their own waiting to every measured latency.
    groups = [setup["staff"][k :: args.client_processes] for k in range(args.client_processes)]
    results = ctx.Queue()

    def operator_group(members: list[dict], seed: int) -> None:
        rng.seed(seed)
        stats.ms.clear()
        stats.errors.clear()
        responded.clear()
        called_ids.clear()
        group = [threading.Thread(target=operator, args=(m, started), daemon=True) for m in members]
        for t in group:
            t.start()
        for t in group:
            t.join(args.seconds + 120)
        own = os.times()
        results.put(
            {
                "ms": stats.ms,
                "errors": stats.errors,
                "responded": responded,
                "called_ids": called_ids,
                "cpu": own.user + own.system,
            }
        )

    threads = [threading.Thread(target=kiosk, args=(k, started), daemon=True) for k in range(kiosk_threads)]
    threads.append(threading.Thread(target=pinger, args=(started, "ping (during the load)", args.seconds)))
    wall_start = dt.datetime.now().astimezone()
    cpu_before = (machine_cpu(), group_cpu(api.proc.pid), group_cpu(display.proc.pid), os.times())
    children = [
        ctx.Process(target=operator_group, args=(members, args.seed * 1000 + k), daemon=True)
        for k, members in enumerate(groups)
    ]
    for child in children:
        child.start()
    for t in threads:
        t.start()
    loads = []
    while any(t.is_alive() for t in threads) or (any(c.is_alive() for c in children) and results.empty()):
        time.sleep(5)
        loads.append(os.getloadavg()[0])
        issued = len(stats.ms.get("kiosk: issue ticket", []))
        print(f"  … {time.perf_counter() - started:5.0f} s: {issued} tickets issued", flush=True)
        if time.perf_counter() > started + args.seconds + 120:
            print("  … operators still busy two minutes after the end; not waiting for them", flush=True)
            break
    children_cpu = 0.0
    for _child in children:
        part = results.get(timeout=args.seconds + 180)
        for label, values in part["ms"].items():
            stats.ms.setdefault(label, []).extend(values)
        for label, bucket in part["errors"].items():
            for what, n in bucket.items():
                stats.errors.setdefault(label, {})[what] = stats.errors.get(label, {}).get(what, 0) + n
        responded.update(part["responded"])
        called_ids.extend(part["called_ids"])
        children_cpu += part["cpu"]
    for child in children:
        child.join(10)
    elapsed = time.perf_counter() - started
    (busy0, total0), api0, disp0, self0 = cpu_before
    busy1, total1 = machine_cpu()
    self1 = os.times()
    cpu = {
        "machine": busy1 - busy0,
        "capacity": total1 - total0,
        "api": group_cpu(api.proc.pid) - api0,
        "display": group_cpu(display.proc.pid) - disp0,
        "clients": (self1.user + self1.system) - (self0.user + self0.system) + children_cpu,
    }
    display_stop.set()
    shown = out.get(timeout=30)
    proc.join(10)
    cpu["clients"] += shown["cpu"]
    return {
        "stats": stats,
        "responded": responded,
        "called_ids": called_ids,
        "shown": shown,
        "late": late[0],
        "elapsed": elapsed,
        "wall_start": wall_start,
        "load_before": load_before,
        "loads": loads,
        "cpu": cpu,
    }


# --- checks --------------------------------------------------------------------------------------


def integrity(office: int) -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM queue_ticket WHERE office_id = %s "
            "GROUP BY queue_id, day, number HAVING count(*) > 1) d",
            [office],
        )
        duplicates = cursor.fetchone()[0]
        # A ticket is called again only after it went back to a line (returned from parking, transferred);
        # a recall writes 'recalled', not 'called'. One window per call unless it went back.
        cursor.execute(
            """
            SELECT count(*) FILTER (WHERE called > 1 + back), count(*) FILTER (WHERE windows > 1 AND back = 0)
            FROM (
                SELECT e.ticket_id,
                       count(*) FILTER (WHERE e.kind = 'called') AS called,
                       count(*) FILTER (WHERE e.kind IN ('returned', 'transferred')) AS back,
                       count(DISTINCT e.workplace_id) FILTER (WHERE e.kind IN ('called', 'recalled')) AS windows
                FROM queue_visitevent e JOIN queue_ticket t ON t.id = e.ticket_id
                WHERE t.office_id = %s AND t.day = %s
                GROUP BY e.ticket_id
            ) per_ticket
            """,
            [office, dt.date.today()],
        )
        twice, two_windows = cursor.fetchone()
        cursor.execute(
            "SELECT status, count(*) FROM queue_ticket WHERE office_id = %s AND day = %s GROUP BY status ORDER BY 1",
            [office, dt.date.today()],
        )
        statuses = dict(cursor.fetchall())
        cursor.execute(
            "SELECT count(*) FROM queue_ticket t WHERE office_id = %s AND status IN ('called', 'serving') "
            "AND EXISTS (SELECT 1 FROM queue_ticket u WHERE u.workplace_id = t.workplace_id AND u.id <> t.id "
            "AND u.status IN ('called', 'serving'))",
            [office],
        )
        busy_twice = cursor.fetchone()[0]
    return {
        "duplicates": duplicates,
        "called_twice": twice,
        "two_windows": two_windows,
        "busy_twice": busy_twice,
        "statuses": statuses,
    }


def explain(setup: dict) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of the statements a call-next runs, on the run's data (rolled back)."""
    from django.db import connection, transaction

    from vikno.queue import services
    from vikno.queue.models import OperatorSession, Ticket, Workplace, WorkplaceQueue

    workplace = Workplace.objects.get(pk=setup["staff"][0]["workplace"])
    profile = list(WorkplaceQueue.objects.filter(workplace=workplace).values_list("queue_id", "order"))
    office = setup["office"]
    plans = {
        "session lock": OperatorSession.objects.select_for_update(of=("self",)).filter(
            workplace_id=workplace.pk, closed_at__isnull=True
        ),
        "current ticket of the window": Ticket.objects.filter(
            workplace_id=workplace.pk, status__in=services.IN_PROGRESS
        ).order_by("-called_at")[:1],
        "candidates (FOR UPDATE SKIP LOCKED LIMIT 1)": services._candidates(workplace, profile).select_for_update(
            skip_locked=True, of=("self",)
        )[:1],
    }
    with transaction.atomic():
        for label, qs in plans.items():
            print(f"\n-- {label}")
            print(qs.explain(analyze=True, buffers=True))
        with connection.cursor() as cursor:
            for label, sql in (
                (
                    "waiting counts (sent after every change)",
                    services.Queue.objects.filter(office_id=office, is_active=True)
                    .annotate(
                        waiting=services.Count("tickets", filter=services.Q(tickets__status=services.Status.WAITING))
                    )
                    .values_list("prefix", "waiting")
                    .query.sql_with_params(),
                ),
            ):
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql[0], sql[1])
                print(f"\n-- {label}")
                print("\n".join(r[0] for r in cursor.fetchall()))
        transaction.set_rollback(True)


def statements(setup: dict, rounds: int = 3) -> None:
    """In this process (Django test client, no server): SQL statements and their time per request of
    issue, call-next (with a ticket and with nobody waiting), start and finish, and the slowest ones."""
    from django.db import connection
    from django.test import Client as TestClient

    from vikno.queue import services
    from vikno.queue.models import Ticket, Workplace

    client = TestClient(HTTP_HOST="127.0.0.1")
    office = setup["office"]
    seen: list[tuple[float, str]] = []
    per: dict[str, list[tuple[float, int, float]]] = {}

    def wrapper(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            text = re.sub(r"^SELECT .*? FROM ", "SELECT … FROM ", " ".join(sql.split()))
            seen.append(((time.perf_counter() - start) * 1000, text[:170]))

    def send(label: str, path: str, body: dict | None = None, token: str | None = None) -> dict:
        seen.clear()
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        start = time.perf_counter()
        with connection.execute_wrapper(wrapper):
            response = client.post(path, body or {}, content_type="application/json", **headers)
        total = (time.perf_counter() - start) * 1000
        if response.status_code not in (200, 201):
            raise SystemExit(f"{label}: HTTP {response.status_code} {response.content[:300]!r}")
        last[0] = (total, len(seen), sum(ms for ms, _ in seen))
        per.setdefault(label, []).append(last[0])
        slowest[label] = sorted(seen, reverse=True)[:6]
        return response.json()

    slowest: dict[str, list] = {}
    last: list = [None]
    staff = setup["staff"][:10]  # their work profiles start with the first queue
    queue_id = setup["queues"][0][0]
    for member in staff:  # visits the run left open
        busy = services.current_ticket(Workplace(pk=member["workplace"]))
        if busy is not None and busy.status == Ticket.Status.CALLED:
            send("(close a visit left open)", f"/api/v1/queue/tickets/{busy.pk}/start", token=member["token"])
        if busy is not None:
            send("(close a visit left open)", f"/api/v1/queue/tickets/{busy.pk}/finish", token=member["token"])

    def visit(member: dict, label: str, empty_label: str) -> bool:
        path = f"/api/v1/queue/workplaces/{member['workplace']}/call-next"
        seen.clear()
        ticket = send("(probe)", path, token=member["token"]).get("ticket")
        per.pop("(probe)")
        per.setdefault(label if ticket else empty_label, []).append(last[0])
        slowest[label if ticket else empty_label] = slowest.pop("(probe)")
        if ticket:
            send("start", f"/api/v1/queue/tickets/{ticket['id']}/start", token=member["token"])
            send("finish", f"/api/v1/queue/tickets/{ticket['id']}/finish", token=member["token"])
        return bool(ticket)

    while sum(visit(m, "(drain)", "(drain)") for m in staff):  # the tickets the run left waiting
        pass
    per.clear()
    for _ in range(rounds):
        for _member in staff:
            send("kiosk: issue ticket", f"/api/v1/queue/kiosk/{office}/tickets", {"queue_id": queue_id})
        for member in staff:
            visit(member, "call-next: ticket called", "call-next: nobody waiting")
        for member in staff:
            visit(member, "call-next: ticket called", "call-next: nobody waiting")
    print(f"\nIn-process, per request ({rounds * len(staff)} each; medians):")
    for label, rows in per.items():
        total, count, sql = (statistics.median(r[i] for r in rows) for i in range(3))
        print(f"  {label:<28} {total:6.1f} ms in all, {count:.0f} statements taking {sql:5.1f} ms")
        for ms, text in slowest[label][:4]:
            print(f"      {ms:6.2f} ms  {text}")


# --- main ----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="length of the load (default 60 s)")
    parser.add_argument("--operators", type=int, default=80, help="windows, each with its operator (default 80)")
    parser.add_argument("--tickets-per-minute", type=float, default=300, help="kiosk rate (default 300)")
    parser.add_argument("--displays", type=int, default=2, help="display clients on the event stream (default 2)")
    parser.add_argument("--service-seconds", type=float, default=10, help="mean service time (default 10 s)")
    parser.add_argument("--idle-seconds", type=float, default=1, help="mean pause after an empty call (default 1 s)")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count(), help="API gunicorn sync workers (default: one per core)"
    )
    parser.add_argument(
        "--client-processes", type=int, default=4, help="processes the operator clients are split over (default 4)"
    )
    parser.add_argument("--history-days", type=int, default=30, help="past days of tickets (default 30)")
    parser.add_argument("--history-per-day", type=int, default=3000, help="tickets a past day (default 3,000)")
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the bench database first")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of a call's statements")
    parser.add_argument(
        "--statements", action="store_true", help="count SQL statements per request in-process after the run"
    )
    parser.add_argument("--settings", default="vikno.settings.dev")
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()

    t0 = time.perf_counter()
    db = setup_django(args.settings, args.fresh)
    from generate_cases import machine

    run = uuid.uuid4().hex[:6]
    setup = prepare(run, args.operators, args.history_days, args.history_per_day)
    from django.db import connection

    connection.close()
    print(
        f"Prepared run {run} in {time.perf_counter() - t0:.1f} s: office {setup['office']}, {args.operators} windows "
        f"with open sessions, {setup['history']:,} past tickets",
        flush=True,
    )

    api = Server("api", db=db, settings=args.settings, workers=args.workers, worker_class="sync", threads=1)
    display = Server(
        "display", db=db, settings=args.settings, workers=1, worker_class="gthread", threads=args.displays + 2
    )
    try:
        api.wait_ready()
        display.wait_ready()
        warm = Stats()
        client = Client(api.port, warm)
        for _ in range(4 * args.workers):  # every worker imports, connects and reads its token once
            client.call("warm", "GET", "/api/v1/ping")
        result = run_load(args, api, display, setup)
    finally:
        api.stop()
        display.stop()

    checks = integrity(setup["office"])
    stats: Stats = result["stats"]
    seconds = args.seconds  # rates over the load's length (the last visits may end a moment later)

    # Display latency: every call (ticket, call count) made, matched with each display's arrivals.
    made = result["responded"]
    from_called, from_response, missed, per_display = [], [], [], []
    for arrivals in result["shown"]["arrivals"]:
        seen = {}
        for arrived, tid, count, at in arrivals:
            seen.setdefault((tid, count), (arrived, at))
        per_display.append(len(seen))
        missed.append(sum(1 for key in made if key not in seen))
        for key, (arrived, at) in seen.items():
            if at:
                from_called.append((arrived - dt.datetime.fromisoformat(at).timestamp()) * 1000)
            if key in made:
                from_response.append((arrived - made[key]) * 1000)

    print()
    print(f"Machine: {machine()}")
    loads = result["loads"] or [float("nan")]
    print(
        f"Date: {result['wall_start']:%Y-%m-%d %H:%M %Z}; database {db}; run {run}; load average before "
        f"{' '.join(f'{x:.2f}' for x in result['load_before'])}, during {min(loads):.1f}–{max(loads):.1f}"
    )
    print(f"API server: gunicorn {api.command.split(' ', 1)[1]}")
    print(f"Display server: gunicorn {display.command.split(' ', 1)[1]}")
    print(
        f"Load: {seconds:.0f} s (all clients done after {result['elapsed']:.0f} s); kiosks {args.tickets_per_minute:.0f} tickets/min paced ({result['late']} late by more "
        f"than one interval); {args.operators} operators (service {args.service_seconds:.0f} s mean, "
        f"{args.idle_seconds:.1f} s pause after an empty call); {args.displays} displays; ping 20/s; "
        f"{setup['history']:,} past tickets"
    )
    cpu = result["cpu"]
    rest = cpu["machine"] - cpu["api"] - cpu["display"] - cpu["clients"]
    print(
        f"CPU during the load: machine {cpu['machine']:.0f} of {cpu['capacity']:.0f} CPU-s busy "
        f"({100 * cpu['machine'] / cpu['capacity']:.0f} %); API server {cpu['api']:.0f}, display server "
        f"{cpu['display']:.0f}, bench clients {cpu['clients']:.0f}, the rest (PostgreSQL and other jobs on the "
        f"machine) {rest:.0f}"
    )
    print()
    print(f"{'operation':<34}{'n':>8}{'per s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}{'errors':>8}")
    for label in (
        "ping (alone, before)",
        "ping (during the load)",
        "kiosk: issue ticket",
        "call-next (all)",
        "call-next: ticket called",
        "call-next: nobody waiting",
        "recall",
        "no-show",
        "start",
        "finish",
    ):
        print(stats.row(label, 5 if "before" in label else seconds))
    for label, errors in stats.errors.items():
        for what, count in sorted(errors.items(), key=lambda kv: -kv[1])[:3]:
            print(f"  {label}: {count} × {what}")
    print()
    print(
        f"Display: {len(made)} calls made (incl. recalls); received per display {per_display}; missed per display "
        f"{missed}; problems: {result['shown']['problems'] or 'none'}"
    )
    for label, values in (
        ("call → display, from called_at", from_called),
        ("call → display, from response", from_response),
    ):
        if values:
            print(
                f"  {label:<34} n={len(values):>5}  p50 {statistics.median(values):7.1f}  p95 "
                f"{percentile(values, 95):7.1f}  p99 {percentile(values, 99):7.1f}  max {max(values):7.1f} ms"
            )
    print()
    dup_ids = len(result["called_ids"]) - len(set(result["called_ids"]))
    print(
        f"Integrity: duplicate numbers (queue, day, number) {checks['duplicates']}; tickets called twice "
        f"{checks['called_twice']}; called to two windows {checks['two_windows']}; windows with two tickets in "
        f"progress {checks['busy_twice']}; ticket ids handed out twice by call-next {dup_ids}"
    )
    print(f"Today's tickets by status: {checks['statuses']}")

    call_p99 = percentile(stats.ms.get("call-next (all)", []), 99)
    disp_p95 = percentile(from_called, 95)
    print()
    print(f"Target call-next p99 < 30 ms: {'met' if call_p99 < 30 else 'NOT met'} ({call_p99:.1f} ms)")
    print(f"Target call → display p95 < 300 ms: {'met' if disp_p95 < 300 else 'NOT met'} ({disp_p95:.1f} ms)")
    ok = not (
        checks["duplicates"] or checks["called_twice"] or checks["two_windows"] or checks["busy_twice"] or dup_ids
    )
    print(f"Integrity: {'OK' if ok else 'FAILED'}")
    if args.explain:
        explain(setup)
    if args.statements:
        statements(setup)
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
