"""Where one request's time goes: in-process, one request at a time (a profile, not load).

    python bench/breakdown.py                 # SQLite, 10k seeded orders, 500 requests each
    python bench/breakdown.py --url postgresql://postgres@127.0.0.1:5432/bihuan_bench_bd

Builds a fresh database, seeds it (bench/seed.py), then sends requests through the real app
(FastAPI TestClient, sequential) with timers wrapped around the interesting functions and
SQLAlchemy cursor events counting statements. Prints, per request kind: server-side time per
request, SQL statements and time in the driver, and the nested phases; then the SQL of one
request of each kind. The throughput numbers come from bench/run.py; this explains them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import seed as seeder

_local = threading.local()
TOTALS: dict[str, list[float]] = defaultdict(list)  # label -> per-request µs
_current: dict[str, float] = defaultdict(float)
_sql: dict[str, Any] = {"n": 0, "t": 0.0, "log": None, "lock_start": None, "held": 0.0}
# statements that take the lock every writer queues on: SQLite's write lock, PostgreSQL's
# row locks on the month's number_sequences row and on audit_head
_LOCKING = ("BEGIN IMMEDIATE", "INSERT INTO number_sequences")
_lock = threading.Lock()


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    def wrapper(*a: Any, **kw: Any) -> Any:
        t = time.perf_counter()
        try:
            return fn(*a, **kw)
        finally:
            with _lock:
                _current[label] += (time.perf_counter() - t) * 1e6

    wrapper.__wrapped__ = fn  # type: ignore[attr-defined]
    return wrapper


def patch(module: Any, name: str, label: str) -> None:
    """Wrap module.name if it exists (the code under test changes; missing names are skipped)."""
    if hasattr(module, name):
        setattr(module, name, timed(label, getattr(module, name)))


def instrument(engine: Any) -> None:
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    import bihuan.audit.repository as audit_repo
    import bihuan.audit.service as audit_service
    import bihuan.auth.service as auth_service
    import bihuan.workorders.repository as wo_repo
    import bihuan.workorders.service as wo_service

    patch(auth_service, "user_for_token", "auth: user_for_token (token + user lookup)")
    patch(wo_service, "create_order", "create_order (service)")
    patch(wo_service, "_check_links", "  _check_links")
    patch(wo_service, "_check_refs", "  _check_refs")
    patch(wo_repo, "insert_order", "  repository.insert_order (INSERT, or an id in a batch)")
    patch(wo_repo, "_take_numbers", "    _take_numbers (counter upsert)")
    patch(wo_repo, "_store_orders", "  _store_orders (a batch's numbers and INSERT)")
    patch(audit_service, "record", "  audit.record")
    patch(audit_repo, "lock_head", "    audit lock_head (SELECT … FOR UPDATE)")
    patch(audit_repo, "append", "    audit append (INSERT event, UPDATE head)")
    patch(wo_service, "access_order", "access_order (load order)")
    patch(wo_service, "transition", "transition (service)")
    patch(wo_service, "check_transition_request", "  check_transition_request (guards)")
    patch(wo_repo, "compare_and_set", "  compare_and_set (UPDATE)")
    patch(wo_repo, "refresh", "  refresh (re-SELECT order)")
    patch(wo_service, "detail", "detail (refs + available_actions + model)")
    patch(wo_service, "available_actions", "  available_actions")
    patch(wo_repo, "confirmation_kinds", "    confirmation_kinds (SELECT, per action)")
    patch(wo_repo, "list_orders", "list_orders (COUNT + page SELECT)")
    Session.commit = timed("commit", Session.commit)  # type: ignore[method-assign]
    _commit = Session.commit

    def commit_and_release(self: Any) -> None:
        try:
            _commit(self)
        finally:
            if _sql["lock_start"] is not None:
                _sql["held"] += (time.perf_counter() - _sql["lock_start"]) * 1e6
                _sql["lock_start"] = None

    Session.commit = commit_and_release  # type: ignore[method-assign]

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn: Any, cursor: Any, statement: str, params: Any, context: Any,
                executemany: bool) -> None:
        conn.info["bd_t"] = time.perf_counter()
        if _sql["lock_start"] is None and (statement.startswith(_LOCKING)
                                           or statement.rstrip().endswith("FOR UPDATE")):
            _sql["lock_start"] = conn.info["bd_t"]
        if _sql["log"] is not None:
            _sql["log"].append(" ".join(statement.split())[:160])

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn: Any, cursor: Any, statement: str, params: Any, context: Any,
               executemany: bool) -> None:
        with _lock:
            _sql["n"] += 1
            _sql["t"] += (time.perf_counter() - conn.info.pop("bd_t")) * 1e6


class Timing:
    """Pure ASGI wrapper: server-side time from the first byte in to the last byte out."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.last = 0.0
        self.cpu = 0.0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        t = time.perf_counter()
        c = time.process_time()
        await self.app(scope, receive, send)
        self.last = (time.perf_counter() - t) * 1e6
        self.cpu = (time.process_time() - c) * 1e6


def run_kind(client: Any, timing: Timing, name: str, n: int, make) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    per: dict[str, list[float]] = defaultdict(list)
    totals, cpus, sqln, sqlt, held = [], [], [], [], []
    sql_log: list[str] = []
    for i in range(n):
        _current.clear()
        _sql.update(n=0, t=0.0, log=sql_log if i == n - 1 else None, lock_start=None,
                    held=0.0)
        method, path, body = make(i)
        r = client.request(method, path, json=body)
        if r.status_code >= 300:
            raise RuntimeError(f"{name}: {r.status_code} {r.text[:300]}")
        if i < max(5, n // 10):  # warm-up: caches, statement compilation
            continue
        totals.append(timing.last)
        cpus.append(timing.cpu)
        sqln.append(_sql["n"])
        sqlt.append(_sql["t"])
        held.append(_sql["held"])
        for k, v in _current.items():
            per[k].append(v)
    m = len(totals)
    return {
        "name": name, "n": m, "total_us": statistics.median(totals),
        "cpu_us": statistics.median(cpus),
        "sql_statements": statistics.median(sqln), "sql_us": statistics.median(sqlt),
        "lock_held_us": statistics.median(held),
        "phases": {k: sum(v) / m for k, v in per.items()}, "sql_log": sql_log,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", help="PostgreSQL URL of a scratch database named bihuan_bench*; "
                                  "default: a temporary SQLite file")
    ap.add_argument("--orders", type=int, default=10_000)
    ap.add_argument("-n", type=int, default=500, help="requests per kind")
    args = ap.parse_args()

    from fastapi.testclient import TestClient

    from bihuan.config import Settings
    from bihuan.db import Database
    from bihuan.main import create_app
    from bihuan.migrate import upgrade

    tmp = Path(tempfile.mkdtemp(prefix="bihuan-breakdown-"))
    if args.url:
        import psycopg

        dbname = args.url.rsplit("/", 1)[1]
        assert dbname.startswith("bihuan_bench"), "scratch database name must start bihuan_bench"
        with psycopg.connect(args.url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            c.execute(f'CREATE DATABASE "{dbname}"')
        settings = Settings(data_dir=tmp, database_url=args.url)
    else:
        settings = Settings(data_dir=tmp)
    url = settings.effective_database_url
    upgrade(url)
    info = seeder.seed(url if args.url is None else args.url, args.orders, log=lambda m: None)
    db = Database(url)
    instrument(db.engine)
    timing = Timing(create_app(settings, db))
    client = TestClient(timing)
    tok = client.post("/api/v1/auth/login", json={"username": seeder.BENCH_USER,
                                                  "password": seeder.BENCH_PASSWORD})
    client.headers["Authorization"] = "Bearer " + tok.json()["access_token"]
    pool = seeder.add_new_orders(args.url or url, args.n, info.admin_id)
    import random

    rnd = random.Random(5)
    kinds = [
        ("GET /health (baseline)", lambda i: ("GET", "/api/v1/health", None)),
        ("POST /work-orders (create)", lambda i: (
            "POST", "/api/v1/work-orders", {"type": "maintenance", "title": "主轴异响"})),
        ("POST …/transitions dispatch", lambda i: (
            "POST", f"/api/v1/work-orders/{pool[i]}/transitions", {"action": "dispatch"})),
        ("GET /work-orders/{id}", lambda i: (
            "GET", f"/api/v1/work-orders/{rnd.randint(info.id_min, info.id_max)}", None)),
        ("GET ?state=in_progress&limit=20", lambda i: (
            "GET", "/api/v1/work-orders?state=in_progress&limit=20", None)),
        ("GET ?limit=20", lambda i: ("GET", "/api/v1/work-orders?limit=20", None)),
    ]
    results = [run_kind(client, timing, name, args.n, make) for name, make in kinds]
    client.close()
    db.dispose()

    backend = "PostgreSQL" if args.url else "SQLite"
    print(f"# {backend}, {args.orders:,} orders, {args.n} sequential requests per kind "
          "(first 10% discarded); medians for totals, means for phases; µs\n")
    for r in results:
        print(f"## {r['name']}: {r['total_us']:,.0f} µs server-side, {r['cpu_us']:,.0f} µs CPU "
              f"(process), {r['sql_statements']:.0f} SQL statements, {r['sql_us']:,.0f} µs "
              "in the driver")
        if r["lock_held_us"]:
            print(f"   writers' lock held {r['lock_held_us']:,.0f} µs per request (from BEGIN "
                  "IMMEDIATE / the number_sequences upsert / FOR UPDATE to the end of COMMIT): "
                  f"≤ {1e6 / r['lock_held_us']:,.0f} writes/s whatever the CPU count")
        for k, v in r["phases"].items():
            print(f"   {v:9,.0f}  {k}")
        print()
    for r in results:
        if r["sql_log"]:
            print(f"## SQL of one '{r['name']}'")
            for s in r["sql_log"]:
                print("   " + s)
            print()


if __name__ == "__main__":
    main()
