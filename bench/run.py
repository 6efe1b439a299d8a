"""Bihuan benchmark: a live server on 127.0.0.1, load from wrk in another process.

    bench/run.sh                  # full run (SQLite 10k/100k/1M, PostgreSQL 10k/100k), ~20 min
    bench/run.sh --quick          # skip the 1M size
    bench/run.sh --help           # all options

Measures, each against a trivial endpoint of the same server (GET /api/v1/health) run with
the same wrk settings, interleaved rep by rep (the baseline):
  1. order creation   POST /api/v1/work-orders                       c=8, c=32; 1 and 2 workers
  2. transitions      POST /api/v1/work-orders/{id}/transitions      c=8, c=32 (dispatch, each id once)
  3. reads            GET /api/v1/work-orders/{id} and filtered lists, at 10k/100k/1M orders

Writes raw results to bench/results/run-*.json and the tables to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import os
import platform
import random
import re
import resource
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
LUA = BENCH / "lua"
RESULTS_DIR = BENCH / "results"
VENV_PY = ROOT / ".venv" / "bin" / "python"

# run with the project's venv even when started with another interpreter
try:
    import bihuan  # noqa: F401
except ImportError:  # pragma: no cover
    if VENV_PY.exists() and Path(sys.executable).resolve() != VENV_PY.resolve():
        os.execv(str(VENV_PY), [str(VENV_PY), *sys.argv])
    raise

sys.path.insert(0, str(BENCH))
import seed as seeder  # noqa: E402

REFERENCE = {
    "django_helpdesk": "django-helpdesk 2.6.1 on this kind of 2-core machine: 65–87 tickets/s "
                       "created through its REST API; 42 s to return one ticket at 100,000 "
                       "tickets",
    "target_create_rps": 1750,
    "floor_create_rps": 870,
    "target_read_p99_ms": 20,
}

READ_SCENARIOS = [
    # (name, label)
    ("get", "GET /work-orders/{id} (random id)"),
    ("list_state", "GET ?state=in_progress&limit=20"),
    ("list_customer", "GET ?customer_id=N&limit=20"),
    ("list_assignee", "GET ?assignee_id=N&state=assigned&limit=20"),
    ("list_range", "GET ?created_from&created_to (30 days)&limit=20"),
    ("list_all", "GET ?limit=20 (no filter: the default list)"),
]

T0 = time.monotonic()


def log(msg: str) -> None:
    el = time.monotonic() - T0
    print(f"[{int(el // 60):02d}:{int(el % 60):02d}] {msg}", flush=True)


# ---------------------------------------------------------------- processes and cleanup
_children: list[subprocess.Popen[Any]] = []


def _cleanup() -> None:
    for p in list(_children):
        _stop_process(p)


def _stop_process(p: subprocess.Popen[Any], grace: float = 10.0) -> None:
    if p.poll() is not None:
        if p in _children:
            _children.remove(p)
        return
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(p.pid, signal.SIGTERM)  # p is a session leader we started: its own group
    try:
        p.wait(grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(p.pid, signal.SIGKILL)
        p.wait(5)
    if p in _children:
        _children.remove(p)


def _on_signal(signum: int, _frame: Any) -> None:
    log(f"signal {signum}: stopping servers and wrk")
    _cleanup()
    sys.exit(128 + signum)


atexit.register(_cleanup)
signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started with SIGINT ignored
signal.signal(signal.SIGTERM, _on_signal)
signal.signal(signal.SIGHUP, _on_signal)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if path:
        return path
    log("wrk not found: installing it from Debian (apt-get update && apt-get install -y wrk)")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=True,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    path = shutil.which("wrk")
    if not path:
        sys.exit("wrk is still missing after apt-get install")
    return path


def cpu_busy() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    with open("/proc/stat") as f:
        parts = [int(x) for x in f.readline().split()[1:]]
    idle = parts[3] + parts[4]
    return sum(parts) - idle, sum(parts)


def group_cpu(pgid: int) -> float:
    """CPU seconds (user+sys) of every live process in process group `pgid`."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                data = f.read()
        except OSError:
            continue
        fields = data[data.rfind(")") + 2:].split()
        if int(fields[2]) == pgid:  # field 5: pgrp
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


# ---------------------------------------------------------------- database targets
@dataclass
class Target:
    backend: str  # sqlite | postgresql
    url: str  # database URL as bihuan takes it
    env: dict[str, str]
    workdir: Path

    def reset(self) -> None:
        """A fresh, migrated, empty database."""
        if self.backend == "sqlite":
            data = Path(self.env["BIHUAN_DATA_DIR"])
            if data.exists():
                shutil.rmtree(data)
            data.mkdir(parents=True)
        else:
            dbname = self.url.rsplit("/", 1)[1]
            if not dbname.startswith("bihuan_bench"):
                sys.exit(f"refusing to drop database {dbname!r}: name must start with "
                         "bihuan_bench")
            import psycopg

            admin = self.url.rsplit("/", 1)[0] + "/postgres"
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{dbname}"')
        subprocess.run([sys.executable, "-m", "bihuan.cli", "db", "upgrade"], env=self.env,
                       check=True, stdout=subprocess.DEVNULL, cwd=self.workdir)

    def drop(self) -> None:
        if self.backend == "sqlite":
            shutil.rmtree(self.env["BIHUAN_DATA_DIR"], ignore_errors=True)

    def counts(self, ids: list[int] | None = None) -> dict[str, int]:
        """Row counts the harness uses to check that what wrk counted really happened."""
        q_orders = "SELECT count(*) FROM work_orders"
        q_audit = "SELECT count(*) FROM audit_events"
        if self.backend == "sqlite":
            conn = sqlite3.connect(Path(self.env["BIHUAN_DATA_DIR"]) / "bihuan.db", timeout=30,
                                   isolation_level=None)
            try:
                conn.execute("BEGIN")  # one snapshot for both counts
                out = {"orders": conn.execute(q_orders).fetchone()[0],
                       "audit": conn.execute(q_audit).fetchone()[0]}
                if ids:
                    out["dispatching"] = _count_state(conn, ids, "?")
            finally:
                conn.close()
            return out
        import psycopg

        with psycopg.connect(self.url) as conn:
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            out = {"orders": conn.execute(q_orders).fetchone()[0],
                   "audit": conn.execute(q_audit).fetchone()[0]}
            if ids:
                out["dispatching"] = _count_state(conn, ids, "%s")
        return out


def _count_state(conn: Any, ids: list[int], ph: str) -> int:
    n = 0
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        n += conn.execute(
            f"SELECT count(*) FROM work_orders WHERE state = 'dispatching' AND id IN "
            f"({', '.join([ph] * len(chunk))})", chunk).fetchone()[0]
    return n


def make_target(backend: str, workdir: Path, pg_url: str) -> Target:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIHUAN_")}
    if backend == "sqlite":
        data = workdir / "sqlite-data"
        env["BIHUAN_DATA_DIR"] = str(data)
        return Target("sqlite", f"sqlite:///{data / 'bihuan.db'}", env, workdir)
    env["BIHUAN_DATA_DIR"] = str(workdir / "pg-data")
    env["BIHUAN_DATABASE_URL"] = pg_url
    return Target("postgresql", pg_url, env, workdir)


def pg_available(pg_url: str) -> str | None:
    try:
        import psycopg

        admin = pg_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, connect_timeout=3) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]
    except Exception as e:  # noqa: BLE001
        log(f"PostgreSQL not reachable at {pg_url}: {e}")
        return None


def code_version() -> str:
    """HEAD plus how many files under src/ and migrations/ differ from it (others may be
    editing while a run goes on: each server start records what it imported)."""
    def git(*a: str) -> str:
        try:
            return subprocess.run(["git", "-C", str(ROOT), *a], capture_output=True, text=True,
                                  timeout=10).stdout.strip()
        except Exception:  # noqa: BLE001
            return ""

    head = git("rev-parse", "--short", "HEAD") or "?"
    dirty = len([x for x in git("status", "--porcelain", "--", "src", "migrations").splitlines()
                 if x.strip()])
    return head + (f"+{dirty} uncommitted" if dirty else "")


# ---------------------------------------------------------------- the server
class Server:
    def __init__(self, target: Target, workers: int, logdir: Path) -> None:
        self.target, self.workers = target, workers
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.logfile = logdir / f"server-{target.backend}-w{workers}-{self.port}.log"
        self.proc: subprocess.Popen[Any] | None = None

    def __enter__(self) -> Server:
        cmd = [sys.executable, "-m", "bihuan.cli", "serve", "--host", "127.0.0.1", "--port",
               str(self.port), "--no-migrate", "--workers", str(self.workers)]
        self._log = open(self.logfile, "w")  # noqa: SIM115
        self.proc = subprocess.Popen(cmd, env=self.target.env, cwd=self.target.workdir,
                                     stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        _children.append(self.proc)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited early, see {self.logfile}")
            try:
                with urllib.request.urlopen(self.base + "/api/v1/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass  # not listening yet: poll again
            time.sleep(0.2)
        else:
            raise RuntimeError(f"server did not come up, see {self.logfile}")
        if self.workers > 1:
            time.sleep(2)  # let every worker finish importing before measuring
        self.code = code_version()
        log(f"server up: {self.target.backend}, {self.workers} worker(s), {self.base}, "
            f"code {self.code}")
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.proc is not None:
            _stop_process(self.proc)
        self._log.close()

    @property
    def pgid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def login(self) -> str:
        body = json.dumps({"username": seeder.BENCH_USER,
                           "password": seeder.BENCH_PASSWORD}).encode()
        req = urllib.request.Request(self.base + "/api/v1/auth/login", data=body,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.load(r)["access_token"]


# ---------------------------------------------------------------- wrk
@dataclass
class Run:
    scenario: str
    conns: int
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    p999_ms: float
    max_ms: float
    non2xx: int
    socket_errors: int
    server_cpu_ms_per_req: float | None
    wrk_cpu_pct: float
    machine_busy_pct: float
    extra: dict[str, Any] = field(default_factory=dict)


def wrk_run(server: Server, script: str, conns: int, duration: float, env: dict[str, str],
            url_path: str = "", scenario: str = "") -> Run:
    threads = 1  # one wrk thread drives every connection; it leaves more CPU to the server
    full_env = {**os.environ, **env, "BENCH_LUA_DIR": str(LUA), "BENCH_THREADS": str(threads)}
    cmd = ["wrk", f"-t{threads}", f"-c{conns}", f"-d{int(duration)}s", "--timeout", "10s",
           "-s", str(LUA / script), server.base + url_path]
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy0, tot0 = cpu_busy()
    cpu0 = group_cpu(server.pgid)
    p = subprocess.Popen(cmd, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, start_new_session=True)
    _children.append(p)
    try:
        out, err = p.communicate(timeout=duration + 60)
    finally:
        _stop_process(p)
    cpu1 = group_cpu(server.pgid)
    busy1, tot1 = cpu_busy()
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    m = re.search(r"^BENCH_RESULT (\{.*\})$", out, re.M)
    if p.returncode != 0 or not m:
        raise RuntimeError(f"wrk failed ({p.returncode}): {out}\n{err}")
    r = json.loads(m.group(1))
    secs = r["duration_us"] / 1e6
    n = r["requests"]
    wrk_cpu = (ru1.ru_utime + ru1.ru_stime) - (ru0.ru_utime + ru0.ru_stime)
    sock = r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["timeouts"]
    extra = {k: v for k, v in r.items() if k == "exhausted"}
    return Run(
        scenario=scenario or script.removesuffix(".lua"), conns=conns, requests=n,
        seconds=round(secs, 3), rps=round(n / secs, 1) if secs else 0.0,
        p50_ms=r["lat_p50_us"] / 1000, p90_ms=r["lat_p90_us"] / 1000,
        p99_ms=r["lat_p99_us"] / 1000, p999_ms=r["lat_p999_us"] / 1000,
        max_ms=r["lat_max_us"] / 1000, non2xx=r["status_errors"], socket_errors=sock,
        server_cpu_ms_per_req=round((cpu1 - cpu0) * 1000 / n, 3) if n else None,
        wrk_cpu_pct=round(100 * wrk_cpu / secs, 1) if secs else 0.0,
        machine_busy_pct=round(100 * (busy1 - busy0) / max(1, tot1 - tot0), 1),
        extra=extra,
    )


def measure(records: list[dict[str, Any]], meta: dict[str, Any], server: Server, run: Run,
            baseline: Run, rep: int, **checks: Any) -> None:
    rec = {**meta, "rep": rep, "code": server.code, **run.__dict__,
           "baseline": baseline.__dict__, **checks}
    records.append(rec)
    flag = ""
    if run.non2xx or run.socket_errors:
        flag = f"  non-2xx={run.non2xx} socket_errors={run.socket_errors}"
    if checks.get("verified") is False:
        flag += f"  VERIFY FAILED {checks.get('verify_detail')}"
    log(f"  {run.scenario:<14} c={run.conns:<3} rep {rep}: {run.rps:8.1f} req/s  "
        f"p50 {run.p50_ms:7.2f} ms  p99 {run.p99_ms:8.2f} ms   "
        f"(health {baseline.rps:7.1f} req/s, p50 {baseline.p50_ms:.2f} ms){flag}")


# ---------------------------------------------------------------- scenarios
def read_phase(server: Server, token: str, info: seeder.SeedInfo, args: argparse.Namespace,
               meta: dict[str, Any], records: list[dict[str, Any]], tmp: Path) -> None:
    rnd = random.Random(11)
    auth = {"BENCH_TOKEN": token}
    paths: dict[str, list[str]] = {
        "list_state": ["/api/v1/work-orders?state=in_progress&limit=20"],
        "list_customer": [f"/api/v1/work-orders?customer_id={c}&limit=20"
                          for c in info.customer_ids],
        "list_assignee": [f"/api/v1/work-orders?assignee_id={e}&state=assigned&limit=20"
                          for e in info.engineer_ids],
        "list_all": ["/api/v1/work-orders?limit=20"],
    }
    lo = datetime.fromisoformat(info.span_from).replace(tzinfo=UTC)
    hi = datetime.fromisoformat(info.span_to).replace(tzinfo=UTC) - timedelta(days=30)
    windows = []
    for _ in range(200):
        start = lo + (hi - lo) * rnd.random()
        start = start.replace(minute=0, second=0, microsecond=0)
        end = start + timedelta(days=30)
        windows.append(f"/api/v1/work-orders?created_from={start:%Y-%m-%dT%H:%M:%SZ}"
                       f"&created_to={end:%Y-%m-%dT%H:%M:%SZ}&limit=20")
    paths["list_range"] = windows
    envs: dict[str, tuple[str, dict[str, str]]] = {
        "get": ("get.lua", {**auth, "BENCH_ID_MIN": str(info.id_min),
                            "BENCH_ID_MAX": str(info.id_max)})}
    for name, lines in paths.items():
        f = tmp / f"paths-{name}.txt"
        f.write_text("\n".join(lines) + "\n")
        envs[name] = ("paths.lua", {**auth, "BENCH_PATHS_FILE": str(f)})
    c, d = args.read_conns, args.duration
    log(f"reads at {info.orders:,} orders: warm-up")
    wrk_run(server, "health.lua", c, 1, {}, "/api/v1/health", "health")
    for name, _label in READ_SCENARIOS:
        script, env = envs[name]
        wrk_run(server, script, c, 1, env, "", name)
    for rep in range(1, args.reps + 1):
        base = wrk_run(server, "health.lua", c, d, {}, "/api/v1/health", "health")
        for name, _label in READ_SCENARIOS:
            script, env = envs[name]
            run = wrk_run(server, script, c, d, env, "", name)
            measure(records, {**meta, "phase": "read"}, server, run, base, rep)


def create_phase(server: Server, target: Target, token: str, args: argparse.Namespace,
                 meta: dict[str, Any], records: list[dict[str, Any]]) -> dict[int, float]:
    """Creation throughput; returns the median req/s per concurrency (sizes the pools)."""
    auth = {"BENCH_TOKEN": token}
    log(f"creation, {server.workers} worker(s): warm-up")
    for c in args.write_conns:
        wrk_run(server, "create.lua", c, 1, auth, "", "create")
    rates: dict[int, list[float]] = {c: [] for c in args.write_conns}
    for rep in range(1, args.reps + 1):
        for c in args.write_conns:
            base = wrk_run(server, "health.lua", c, args.duration, {}, "/api/v1/health", "health")
            before = target.counts()
            run = wrk_run(server, "create.lua", c, args.duration, auth, "", "create")
            time.sleep(1.0)  # let requests still in flight when wrk stopped finish
            after = target.counts()
            ok = run.requests - run.non2xx
            d_orders = after["orders"] - before["orders"]
            d_audit = after["audit"] - before["audit"]
            verified = ok <= d_orders <= ok + c and d_audit == d_orders
            measure(records, {**meta, "phase": "create"}, server, run, base, rep,
                    verified=verified, verify_detail={"orders_added": d_orders,
                                                      "audit_events_added": d_audit,
                                                      "wrk_2xx": ok})
            rates[c].append(run.rps)
    return {c: statistics.median(v) for c, v in rates.items()}


def transition_phase(server: Server, target: Target, token: str, info: seeder.SeedInfo,
                     create_rates: dict[int, float], args: argparse.Namespace,
                     meta: dict[str, Any], records: list[dict[str, Any]], tmp: Path) -> None:
    auth = {"BENCH_TOKEN": token}

    def pool(n: int) -> Path:
        ids = seeder.add_new_orders(target.url, n, info.admin_id)
        f = tmp / "pool-ids.txt"
        f.write_text("\n".join(map(str, ids)) + "\n")
        return f

    log("transitions (dispatch, each pooled `new` order once): warm-up")
    for c in args.write_conns:
        env = {**auth, "BENCH_IDS_FILE": str(pool(max(400, int(create_rates[c] * 3))))}
        wrk_run(server, "transition.lua", c, 1, env, "", "transition")
    for rep in range(1, args.reps + 1):
        for c in args.write_conns:
            size = int(max(2000, create_rates[c] * 3) * args.duration) + c
            for attempt in (1, 2):
                f = pool(size)
                ids = [int(x) for x in f.read_text().split()]
                base = wrk_run(server, "health.lua", c, args.duration, {}, "/api/v1/health",
                               "health")
                run = wrk_run(server, "transition.lua", c, args.duration,
                              {**auth, "BENCH_IDS_FILE": str(f)}, "", "transition")
                if not run.extra.get("exhausted"):
                    break
                log(f"  pool of {size} ran dry at {run.rps:.0f} req/s: retrying with more")
                size *= 4
            time.sleep(1.0)
            moved = target.counts(ids)["dispatching"]
            ok = run.requests - run.non2xx
            verified = ok <= moved <= ok + c and not run.extra.get("exhausted")
            measure(records, {**meta, "phase": "transition"}, server, run, base, rep,
                    verified=verified, verify_detail={"pool": size, "moved_to_dispatching": moved,
                                                      "wrk_2xx": ok})


def profile_phase(server: Server, token: str, args: argparse.Namespace, meta: dict[str, Any],
                  tmp: Path) -> list[dict[str, Any]]:
    """py-spy the server while wrk creates orders (c=1 and c=8); summarise where time goes."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists():
        log("py-spy not installed (pip install py-spy): skipping the profile")
        return []
    sys.path.insert(0, str(BENCH))
    from profile_summary import summarise

    out = []
    for c, gil in ((1, True), (8, False), (8, True)):
        kind = "gil" if gil else "wall"
        raw = tmp / f"pyspy-{meta['backend']}-create-c{c}-{kind}.txt"
        secs = max(10, int(args.duration))
        cmd = [spy, "record", "-p", str(server.pgid), "-d", str(secs), "-r", "200",
               "--nonblocking", "-f", "raw", "-o", str(raw)] + (["--gil"] if gil else [])
        spy_proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    start_new_session=True)
        _children.append(spy_proc)
        time.sleep(1)
        run = wrk_run(server, "create.lua", c, secs, {"BENCH_TOKEN": token}, "", "create")
        with contextlib.suppress(subprocess.TimeoutExpired):
            spy_proc.wait(secs + 30)
        _stop_process(spy_proc)
        if not raw.exists():
            log("py-spy produced nothing (ptrace not permitted?): skipping")
            return out
        what = ("only samples holding the GIL: where the CPU goes" if gil else
                "all active threads: includes waiting on locks and I/O")
        dest = RESULTS_DIR / f"profile-{meta['backend']}-create-c{c}-{kind}.txt"
        dest.write_text(f"# py-spy ({what}), {meta['backend']}, 1 worker, {meta['size']:,} "
                        f"orders, POST /api/v1/work-orders, c={c}, {run.rps:.0f} req/s while "
                        "sampled (sampling slows the server)\n\n" + summarise(raw, top=40))
        shutil.copy(raw, RESULTS_DIR / raw.name)
        log(f"  profile written to {dest.relative_to(ROOT)}")
        out.append({"backend": meta["backend"], "conns": c, "kind": kind,
                    "file": str(dest.relative_to(ROOT)), "rps_while_sampled": run.rps})
    return out


# ---------------------------------------------------------------- the plan
def machine_info(pg_version: str | None) -> dict[str, Any]:
    def sh(cmd: str) -> str:
        try:
            return subprocess.run(cmd, shell=True, capture_output=True, text=True,
                                  timeout=10).stdout.strip()
        except Exception:  # noqa: BLE001
            return ""

    import fastapi
    import pydantic
    import sqlalchemy
    import uvicorn

    import timeit

    # a fixed pure-Python workload: compare machines, and see how much neighbours slow this one
    calib_us = min(timeit.repeat("sum(range(10000))", number=200, repeat=7)) / 200 * 1e6
    psi = ""
    if Path("/proc/pressure/cpu").exists():
        psi = Path("/proc/pressure/cpu").read_text().split("\n")[0]
    git = sh(f"git -C {ROOT} rev-parse --short HEAD")
    dirty = sh(f"git -C {ROOT} status --porcelain -- src migrations | wc -l")
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": sh("nproc"),
        "cpu_model": sh("lscpu | grep 'Model name'").split(":", 1)[-1].strip(),
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": pg_version,
        "sqlalchemy": sqlalchemy.__version__,
        "fastapi": fastapi.__version__,
        "pydantic": pydantic.__version__,
        "uvicorn": uvicorn.__version__,
        "wrk": sh("wrk -v 2>&1 | head -1"),
        "git": f"{git}" + (f" + {dirty} uncommitted file(s) in src/ or migrations/"
                           if dirty not in ("", "0") else ""),
        "loadavg_start": Path("/proc/loadavg").read_text().split()[:3],
        "calibration_us": round(calib_us, 1),
        "cpu_pressure_start": psi,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="skip the 1M size")
    ap.add_argument("--backends", default="sqlite,postgresql",
                    help="comma list of sqlite,postgresql (default both)")
    ap.add_argument("--sqlite-sizes", default="10000,100000,1000000")
    ap.add_argument("--pg-sizes", default="10000,100000",
                    help="add 1000000 when there is time (seeding 1M on PG takes ~1 min)")
    ap.add_argument("--pg-url", default=os.environ.get(
        "BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/bihuan_bench"),
        help="database to (re)create for the run; its name must start with bihuan_bench")
    ap.add_argument("--reps", type=int, default=3, help="repetitions per figure (median)")
    ap.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    ap.add_argument("--read-conns", type=int, default=4)
    ap.add_argument("--write-conns", default="8,32")
    ap.add_argument("--no-workers2", action="store_true", help="skip the --workers 2 creation")
    ap.add_argument("--only", choices=("reads", "writes"),
                    help="only the reads (at every size) or only the writes (smallest size)")
    ap.add_argument("--profile", action="store_true",
                    help="also py-spy the server during creation (c=1, c=8)")
    ap.add_argument("--workdir", default="/tmp/bihuan-bench",
                    help="where databases and logs go (wiped per size)")
    ap.add_argument("--keep", action="store_true", help="keep the last SQLite database")
    ap.add_argument("--report-only", metavar="RUN_JSON",
                    help="only regenerate bench/RESULTS.md from a saved run")
    ap.add_argument("--results-md", default=str(BENCH / "RESULTS.md"))
    args = ap.parse_args()
    args.write_conns = [int(x) for x in args.write_conns.split(",")]

    if args.report_only:
        data = json.loads(Path(args.report_only).read_text())
        write_results_md(Path(args.results_md), render(data))
        print(f"wrote {args.results_md}")
        return

    ensure_wrk()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    tmp = workdir / "tmp"
    tmp.mkdir(exist_ok=True)
    RESULTS_DIR.mkdir(exist_ok=True)
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    backends = ["postgresql" if b in ("pg", "postgres") else b for b in backends]
    pg_version = pg_available(args.pg_url) if "postgresql" in backends else None
    if "postgresql" in backends and not pg_version:
        backends.remove("postgresql")
    sizes = {"sqlite": [int(x) for x in args.sqlite_sizes.split(",")],
             "postgresql": [int(x) for x in args.pg_sizes.split(",")]}
    if args.quick:
        sizes = {k: [s for s in v if s < 1_000_000] for k, v in sizes.items()}

    data: dict[str, Any] = {
        "machine": machine_info(pg_version),
        "settings": {"reps": args.reps, "duration_s": args.duration,
                     "read_conns": args.read_conns, "write_conns": args.write_conns,
                     "wrk_threads": 1, "quick": args.quick, "only": args.only},
        "reference": REFERENCE, "records": [], "seeding": [], "profiles": [],
        "complete": False,
    }
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out_json = RESULTS_DIR / f"run-{stamp}.json"
    records: list[dict[str, Any]] = data["records"]
    log(f"plan: {', '.join(f'{b} {sizes[b]}' for b in backends)}; {args.reps} reps × "
        f"{args.duration:g} s per figure; results -> {out_json.relative_to(ROOT)}")

    def save() -> None:
        out_json.write_text(json.dumps(data, indent=1, ensure_ascii=False, default=str))
        write_results_md(Path(args.results_md), render(data))

    try:
        for backend in backends:
            target = make_target(backend, workdir, args.pg_url)
            write_size = min(sizes[backend])
            for size in sorted(sizes[backend]):
                if args.only == "writes" and size != write_size:
                    continue
                log(f"== {backend}: fresh database, seeding {size:,} orders")
                target.reset()
                info = seeder.seed(target.url, size, log=log)
                data["seeding"].append({"backend": backend, "orders": size,
                                        "seconds": info.seconds,
                                        "counts_by_state": info.counts_by_state})
                meta = {"backend": backend, "size": size, "workers": 1}
                with Server(target, 1, workdir) as server:
                    token = server.login()
                    if args.only != "writes":
                        read_phase(server, token, info, args, meta, records, tmp)
                        save()
                    if size == write_size and args.only != "reads":
                        rates = create_phase(server, target, token, args, meta, records)
                        save()
                        transition_phase(server, target, token, info, rates, args, meta,
                                         records, tmp)
                        save()
                        if args.profile:
                            data["profiles"] += profile_phase(server, token, args, meta, tmp)
                if size == write_size and not args.no_workers2 and args.only != "reads":
                    meta2 = {**meta, "workers": 2}
                    with Server(target, 2, workdir) as server:
                        create_phase(server, target, server.login(), args, meta2, records)
                    save()
            if not args.keep:
                target.drop()
        data["complete"] = True
    except KeyboardInterrupt:
        log("interrupted: saving what was measured")
    finally:
        _cleanup()
        data["machine"]["wall_minutes"] = round((time.monotonic() - T0) / 60, 1)
        data["machine"]["loadavg_end"] = Path("/proc/loadavg").read_text().split()[:3]
        save()
    log(f"done in {(time.monotonic() - T0) / 60:.1f} min: {Path(args.results_md)}, {out_json}")


# ---------------------------------------------------------------- the report
def _median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def _fmt(x: float, nd: int = 1) -> str:
    if x != x:  # nan
        return "–"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.{nd}f}"


def _group(records: list[dict[str, Any]], keys: tuple[str, ...]) -> dict[tuple, list[dict]]:
    out: dict[tuple, list[dict]] = {}
    for r in records:
        out.setdefault(tuple(r[k] for k in keys), []).append(r)
    return out


def _summary(rs: list[dict[str, Any]]) -> dict[str, Any]:
    b = [r["baseline"] for r in rs]
    return {
        "n": len(rs),
        "rps": _median([r["rps"] for r in rs]),
        "rps_min": min(r["rps"] for r in rs), "rps_max": max(r["rps"] for r in rs),
        "p50": _median([r["p50_ms"] for r in rs]),
        "p99": _median([r["p99_ms"] for r in rs]),
        "non2xx": sum(r["non2xx"] + r["socket_errors"] for r in rs),
        "requests": sum(r["requests"] for r in rs),
        "cpu": _median([r["server_cpu_ms_per_req"] or float("nan") for r in rs]),
        "busy": _median([r["machine_busy_pct"] for r in rs]),
        "b_rps": _median([x["rps"] for x in b]),
        "b_cpu": _median([x["server_cpu_ms_per_req"] or float("nan") for x in b]),
        "b_p50": _median([x["p50_ms"] for x in b]),
        "b_p99": _median([x["p99_ms"] for x in b]),
        # ratios per rep (each paired with the baseline run just before it), then the median
        "r_rps": _median([r["rps"] / r["baseline"]["rps"] for r in rs]),
        "r_p50": _median([r["p50_ms"] / r["baseline"]["p50_ms"] for r in rs]),
        "r_p99": _median([r["p99_ms"] / r["baseline"]["p99_ms"] for r in rs]),
        "verified": all(r.get("verified", True) for r in rs),
    }


WEB_MARK = "<!-- web page loads: written by bench/web.py -->"


def write_results_md(path: Path, text: str) -> None:
    """Rewrite the API tables, keeping the web page-load section that bench/web.py owns."""
    old = path.read_text() if path.exists() else ""
    web = old[old.index(WEB_MARK):] if WEB_MARK in old else ""
    path.write_text(text.rstrip("\n") + ("\n\n" + web if web else "\n"))


def render(data: dict[str, Any]) -> str:
    m, s, recs = data["machine"], data["settings"], data["records"]
    L: list[str] = []
    L.append("# Bihuan benchmark results\n")
    L.append("Generated by `bench/run.sh` (bench/run.py); raw data in `bench/results/`. "
             "Every figure is the median of the repetitions; each repetition is paired with a "
             "baseline run of `GET /api/v1/health` on the same server with the same wrk "
             "settings, taken just before it, and `×health` is the median of the per-pair "
             "ratios (req/s ratio: higher is better; latency ratio: lower is better).\n")
    if not data.get("complete", True):
        L.append("**Partial run: interrupted, failed, or still running — not every figure is "
                 "here.**\n")
    L.append("## Machine\n")
    L.append(f"- date: {m['date']}; wall time of the run: {m.get('wall_minutes', '?')} min")
    L.append(f"- CPUs (`nproc`): {m['nproc']}; model: {m['cpu_model']}; memory: "
             f"{m['memory_gib']} GiB; kernel {m['kernel']}")
    L.append(f"- Python {m['python']}, SQLite {m['sqlite']}, PostgreSQL {m['postgresql'] or '–'}"
             f", SQLAlchemy {m['sqlalchemy']}, FastAPI {m['fastapi']}, pydantic "
             f"{m['pydantic']}, uvicorn {m['uvicorn']}; {m['wrk']}")
    L.append(f"- code measured: {m.get('git', '?')}; load average (1/5/15 min) at start "
             f"{' '.join(m.get('loadavg_start', []))}, at end {' '.join(m.get('loadavg_end', []))}"
             " (other work on the machine shows here; it is why every figure has a baseline)")
    codes = sorted({r["code"] for r in data["records"] if r.get("code")})
    if len(codes) > 1:
        L.append(f"- **the code changed during the run**: servers imported {', '.join(codes)}; "
                 "see the `code` field of each record in the JSON")
    if m.get("calibration_us"):
        L.append(f"- CPU calibration: `sum(range(10000))` takes {m['calibration_us']} µs "
                 "(best of 7; a current desktop CPU takes ~50–70 µs with Python 3.11); "
                 f"CPU pressure at start: `{m.get('cpu_pressure_start') or '–'}`")
    L.append(f"- load: wrk with {s['wrk_threads']} thread on the same 2 cores (127.0.0.1), "
             f"{s['reps']} reps × {s['duration_s']:g} s per figure; reads at c="
             f"{s['read_conns']}; writes at c={', '.join(map(str, s['write_conns']))}; "
             f"quick={s['quick']}\n")

    ref = data["reference"]
    L.append("## Reference figures and targets\n")
    L.append(f"- {ref['django_helpdesk']}.")
    L.append(f"- Targets: creation ≥ {ref['target_create_rps']:,} orders/s (floor "
             f"{ref['floor_create_rps']}/s); read p99 < {ref['target_read_p99_ms']} ms and flat "
             "from 10k to 1M orders.\n")

    verdict = _verdicts(data)
    if verdict:
        L.append("## Verdict\n")
        L += verdict
        L.append("")

    for phase, title, note in (
        ("create", "Order creation: POST /api/v1/work-orders",
         "Body `{\"type\":\"maintenance\",\"title\":…}`; each request writes the order, its "
         "number and its hash-chained audit event in one transaction. `verified`: the rows "
         "added to work_orders and audit_events match wrk's 2xx count."),
        ("transition", "Transitions: POST /api/v1/work-orders/{id}/transitions "
         "{\"action\":\"dispatch\"}",
         "A pool of `new` orders is bulk-inserted before each rep and every id is used once, "
         "so each request is a real new→dispatching transition (with its audit event); "
         "`verified`: that many pooled orders really are in `dispatching`."),
    ):
        rs = [r for r in recs if r["phase"] == phase]
        if not rs:
            continue
        L.append(f"## {title}\n")
        L.append(note + "\n")
        L.append("| backend | workers | orders in DB | conns | req/s (min–max) | p50 ms | p99 ms "
                 "| non-2xx | health req/s | ×health req/s | ×health p50 | ×health p99 "
                 "| server CPU ms/req (health) | machine busy % | verified |")
        L.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for key, g in sorted(_group(rs, ("backend", "workers", "size", "conns")).items()):
            x = _summary(g)
            L.append(f"| {key[0]} | {key[1]} | {key[2]:,} | {key[3]} | **{_fmt(x['rps'])}** "
                     f"({_fmt(x['rps_min'], 0)}–{_fmt(x['rps_max'], 0)}) | {_fmt(x['p50'], 2)} "
                     f"| {_fmt(x['p99'], 2)} | {x['non2xx']} of {x['requests']:,} "
                     f"| {_fmt(x['b_rps'])} | {x['r_rps']:.3f} | {x['r_p50']:.1f} "
                     f"| {x['r_p99']:.1f} | {_fmt(x['cpu'], 2)} ({_fmt(x['b_cpu'], 2)}) "
                     f"| {_fmt(x['busy'], 0)} "
                     f"| {'yes' if x['verified'] else '**NO**'} |")
        L.append("")

    rs = [r for r in recs if r["phase"] == "read"]
    if rs:
        labels = dict(READ_SCENARIOS)
        L.append(f"## Reads (c={s['read_conns']}, 1 worker)\n")
        L.append("Random ids over the whole table; lists draw their parameter (customer, "
                 "engineer, 30-day window) at random per request. Admin token (sees every "
                 "order). Each list answer includes `total` (a COUNT over the filter).\n")
        L.append("| backend | orders | request | req/s | p50 ms | p99 ms | non-2xx | health "
                 "req/s | health p99 ms | ×health req/s | ×health p50 | ×health p99 "
                 "| server CPU ms/req (health) |")
        L.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        order = {n: i for i, (n, _) in enumerate(READ_SCENARIOS)}
        groups = _group(rs, ("backend", "size", "scenario"))
        for key in sorted(groups, key=lambda k: (k[0], k[1], order.get(k[2], 99))):
            x = _summary(groups[key])
            L.append(f"| {key[0]} | {key[1]:,} | {labels.get(key[2], key[2])} "
                     f"| {_fmt(x['rps'])} | {_fmt(x['p50'], 2)} | **{_fmt(x['p99'], 2)}** "
                     f"| {x['non2xx']} | {_fmt(x['b_rps'])} | {_fmt(x['b_p99'], 2)} "
                     f"| {x['r_rps']:.3f} | {x['r_p50']:.1f} | {x['r_p99']:.1f} "
                     f"| {_fmt(x['cpu'], 2)} ({_fmt(x['b_cpu'], 2)}) |")
        L.append("")
        flat: list[str] = []
        for backend in sorted({k[0] for k in groups}):
            bsizes = sorted({k[1] for k in groups if k[0] == backend})
            if len(bsizes) < 2:
                continue
            for name, label in READ_SCENARIOS:
                row = [_summary(groups[(backend, z, name)])["p99"] for z in bsizes
                       if (backend, z, name) in groups]
                if len(row) < 2:
                    continue
                flat.append(f"| {backend} | {label} | {' → '.join(f'{z:,}' for z in bsizes)} "
                            f"| {' → '.join(_fmt(v, 2) for v in row)} | {row[-1] / row[0]:.1f} |")
        if flat:
            L.append("### Flatness: p99 at the largest size ÷ p99 at the smallest\n")
            L.append("| backend | request | sizes | p99 small → large (ms) | ratio |")
            L.append("|---|---|---|---|---|")
            L += flat
            L.append("")

    if data.get("seeding"):
        L.append("## Seeding (bulk, straight into the database)\n")
        L.append("| backend | orders | seconds | rows/s |")
        L.append("|---|---|---|---|")
        for x in data["seeding"]:
            L.append(f"| {x['backend']} | {x['orders']:,} | {x['seconds']} "
                     f"| {x['orders'] / max(x['seconds'], 1e-9):,.0f} |")
        st = data["seeding"][-1]["counts_by_state"]
        tot = sum(st.values())
        L.append("\nState mix of the last seeded database: " + ", ".join(
            f"{k} {100 * v / tot:.1f}%" for k, v in sorted(st.items(), key=lambda kv: -kv[1]))
            + ". 30 customers (Zipf-like), 12 engineers, types repair 55% / maintenance 30% / "
              "production_exception 15%, created_at spread over 12 months.\n")
    if data.get("profiles"):
        L.append("## Profiles\n")
        for p in data["profiles"]:
            L.append(f"- {p['backend']} creation c={p['conns']} ({p.get('kind', 'wall')}): "
                     f"`{p['file']}`")
        L.append("")
    return "\n".join(L) + "\n"


def _verdicts(data: dict[str, Any]) -> list[str]:
    recs, ref = data["records"], data["reference"]
    out = []
    for key, g in sorted(_group([r for r in recs if r["phase"] == "create"],
                                ("backend", "workers", "conns")).items()):
        x = _summary(g)
        rps = x["rps"]
        v = ("meets target" if rps >= ref["target_create_rps"] else
             "above floor, below target" if rps >= ref["floor_create_rps"] else "BELOW FLOOR")
        out.append(f"- creation {key[0]}, {key[1]} worker(s), c={key[2]}: {rps:,.0f}/s — {v} "
                   f"({rps / ref['target_create_rps']:.2f}× target; "
                   f"{rps / 87:.1f}–{rps / 65:.1f}× django-helpdesk)")
    reads = [r for r in recs if r["phase"] == "read"]
    if reads:
        groups = _group(reads, ("backend", "size", "scenario"))
        worst = max(groups.items(), key=lambda kv: _summary(kv[1])["p99"])
        p99 = _summary(worst[1])["p99"]
        bad = sorted({(k[0], k[1], k[2]) for k, g in groups.items()
                      if _summary(g)["p99"] >= ref["target_read_p99_ms"]})
        out.append(f"- reads: worst p99 {p99:.1f} ms ({worst[0][0]}, {worst[0][1]:,} orders, "
                   f"{worst[0][2]}); " + (f"{len(bad)} figure(s) miss p99 < "
                                          f"{ref['target_read_p99_ms']} ms: " + ", ".join(
                                              f"{b[0]}/{b[1]:,}/{b[2]}" for b in bad)
                                          if bad else "every read meets p99 < 20 ms"))
        at100k = [g for k, g in groups.items() if k[1] == 100_000 and k[2] == "get"]
        for g in at100k:
            x = _summary(g)
            out.append(f"- one order at 100,000 orders ({g[0]['backend']}): p50 "
                       f"{x['p50']:.1f} ms, p99 {x['p99']:.1f} ms (django-helpdesk: 42 s)")
    return out


if __name__ == "__main__":
    main()
