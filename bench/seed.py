"""Bulk seeding for the benchmark: straight into the database, never through the API.

    python bench/seed.py --orders 100000            # SQLite at $BIHUAN_DATA_DIR/bihuan.db
    python bench/seed.py --url postgresql://postgres@127.0.0.1:5432/bihuan_bench --orders 10000

The schema must already exist (`bihuan db upgrade`). Seeds staff users (one admin for the
benchmark, dispatchers, agents, supervisors, engineers), ~30 customers and N work orders spread
over the last 12 months with a realistic mix of types/states/priorities; numbers are
WO-YYMM-NNNNNN (Asia/Shanghai month, unique) and `number_sequences` is left consistent so
the API keeps numbering after the seeded rows.

SQLite: one transaction, sqlite3 executemany in 50k-row batches. PostgreSQL: COPY via psycopg.
"""

from __future__ import annotations

import argparse
import bisect
import json
import random
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import Engine

BENCH_USER = "bench"
BENCH_PASSWORD = "bench-pass-2601"

WO_COLUMNS = (
    "id", "number", "type", "state", "priority", "title", "description", "fault_type",
    "customer_id", "device_id", "reporter_id", "reporter_name", "reporter_phone",
    "assignee_id", "repair_note", "photo_refs", "hold_from_state", "accepted_at",
    "started_at", "resolved_at", "closed_at", "closed_by_id", "version", "created_at",
    "updated_at",
)

# with `clock_due`: every order has a running SLA clock (policy 3) due then
SLA_COLUMNS = ("sla_policy_id", "sla_running_since", "response_due_at", "resolution_due_at",
               "sla_due_at")

TITLES = [
    "主轴异响", "冷却液泄漏", "伺服报警 AL.401", "换刀卡刀", "导轨润滑不足", "液压站压力低",
    "数控系统死机", "X 轴定位偏差", "主轴温升过高", "刀库计数错误", "防护门联锁失效",
    "排屑机卡死", "气压不足报警", "编码器断线", "机床精度复检", "季度保养", "年度保养",
    "产线节拍异常", "来料尺寸超差", "焊接飞溅过多", "夹具松动", "电柜过热", "触摸屏无响应",
]
FAULT_TYPES = ["mechanical", "electrical", "hydraulic", "software", "lubrication", "quality",
               None, None]
DESCRIPTIONS = [
    "客户反馈设备运行中出现异常,需尽快安排工程师到现场检查。",
    "夜班操作员发现报警后停机,已拍照上传,报警代码见附件。",
    "按保养计划执行,检查润滑、紧固件与电气柜除尘。",
    "连续三批次出现同样问题,怀疑与夹具磨损有关,请质检一同确认。",
    "设备在加工铝件时噪音明显增大,转速 8000rpm 以上尤为明显,已暂停该工序。",
    None,
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
PROVINCES = [("广东", "深圳"), ("江苏", "苏州"), ("浙江", "宁波"), ("上海", "上海"),
             ("山东", "青岛"), ("湖北", "武汉"), ("四川", "成都"), ("天津", "天津")]
TIERS = ["strategic", "key", "standard", "basic"]
SERVICE = {"strategic": "7×24,2小时响应,8小时修复", "key": "5×12,4小时响应,24小时修复",
           "standard": "5×8,8小时响应,48小时修复", "basic": "5×8,24小时响应,72小时修复"}

# state mix by age of the order (old orders are mostly closed)
STATE_MIX = {
    "old": [("closed", 90), ("cancelled", 6), ("awaiting_confirmation", 2), ("on_hold", 1),
            ("in_progress", 1)],
    "mid": [("closed", 60), ("cancelled", 6), ("awaiting_confirmation", 12), ("in_progress", 10),
            ("assigned", 5), ("on_hold", 4), ("dispatching", 2), ("new", 1)],
    "recent": [("new", 12), ("dispatching", 12), ("assigned", 20), ("in_progress", 25),
               ("awaiting_confirmation", 12), ("on_hold", 5), ("closed", 12), ("cancelled", 2)],
}
# every order still open (the SLA sweep benchmark: a million running clocks)
OPEN_MIX = [("new", 8), ("dispatching", 8), ("assigned", 24), ("in_progress", 40),
            ("on_hold", 20)]
TYPE_MIX = [("repair", 55), ("maintenance", 30), ("production_exception", 15)]
PRIORITY_MIX = [("normal", 60), ("high", 22), ("low", 10), ("urgent", 8)]
VERSION_OF = {"new": 1, "dispatching": 2, "assigned": 3, "in_progress": 5,
              "awaiting_confirmation": 6, "closed": 7, "on_hold": 4, "cancelled": 3}


@dataclass
class SeedInfo:
    orders: int
    id_min: int
    id_max: int
    customer_ids: list[int]
    engineer_ids: list[int]
    admin_id: int
    span_from: str  # ISO, first created_at
    span_to: str  # ISO, last created_at
    seconds: float
    counts_by_state: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def sa_url(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def _picker(mix: list[tuple[str, int]], rnd: random.Random):
    values = [v for v, _ in mix]
    cum = []
    total = 0
    for _, w in mix:
        total += w
        cum.append(total)

    def pick() -> str:
        return values[bisect.bisect_right(cum, rnd.random() * total)]

    return pick


def _seed_people(engine: Engine, now: datetime) -> tuple[int, list[int], list[int], list[int]]:
    """Users and customers through SQLAlchemy Core; returns admin, engineers, staff, customers."""
    from bihuan.customers.models import Customer
    from bihuan.users.models import User
    from bihuan.users.service import hash_password

    pw = hash_password(BENCH_PASSWORD)
    users: list[dict[str, Any]] = [
        dict(username=BENCH_USER, display_name="压测管理员", role="admin")]
    users += [dict(username=f"disp{i}", display_name=f"调度{i}", role="dispatcher")
              for i in range(1, 4)]
    users += [dict(username=f"agent{i}", display_name=f"客服{i}", role="agent")
              for i in range(1, 4)]
    users += [dict(username=f"sup{i}", display_name=f"主管{i}", role="supervisor")
              for i in range(1, 3)]
    users += [dict(username=f"eng{i:02d}", display_name=f"工程师{i:02d}", role="engineer")
              for i in range(1, 13)]
    for u in users:
        u.update(password_hash=pw, is_active=True, created_at=now - timedelta(days=400),
                 updated_at=now - timedelta(days=400))
    rnd = random.Random(7)
    customers = []
    for i in range(1, 31):
        prov, city = PROVINCES[i % len(PROVINCES)]
        tier = TIERS[min(3, int(rnd.random() * 4))]
        customers.append(dict(
            code=f"C{i:04d}", name=f"{city}{'精密机械电子汽车模具'[i % 5 * 2:i % 5 * 2 + 2]}"
            f"制造有限公司{i:02d}", tier=tier, service_level=SERVICE[tier], province=prov,
            city=city, address=f"{city}市工业园区{i}号", created_at=now - timedelta(days=400),
            updated_at=now - timedelta(days=400)))
    with engine.begin() as conn:
        conn.execute(insert(User.__table__), users)
        conn.execute(insert(Customer.__table__), customers)
        rows = conn.execute(select(User.__table__.c.id, User.__table__.c.role)).all()
        cust = [r[0] for r in conn.execute(select(Customer.__table__.c.id)).all()]
    admin = next(i for i, r in rows if r == "admin")
    engineers = [i for i, r in rows if r == "engineer"]
    staff = [i for i, r in rows if r in ("agent", "dispatcher", "supervisor")]
    return admin, engineers, staff, cust


def _month_keys(start: datetime, now: datetime, tz: str) -> tuple[list[float], list[str]]:
    """Local-month boundaries (epoch seconds) covering [start, now] and their YYMM keys."""
    zone = ZoneInfo(tz)
    local = start.astimezone(zone).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    bounds, keys = [], []
    while local <= now:
        bounds.append(local.timestamp())
        keys.append(local.strftime("%y%m"))
        local = (local + timedelta(days=32)).replace(day=1)
    return bounds, keys


class Stamp:
    """Seconds since the epoch -> the value a backend wants (fast: no tz math per row)."""

    EPOCH = datetime(1970, 1, 1)

    def __init__(self, dialect: str) -> None:
        self.sqlite = dialect == "sqlite"

    def __call__(self, ts: float | None) -> Any:
        if ts is None:
            return None
        naive = self.EPOCH + timedelta(seconds=ts)
        if self.sqlite:
            # SQLAlchemy's SQLite DATETIME storage: naive UTC, always 6 fraction digits
            return naive.isoformat(sep=" ", timespec="microseconds")
        return naive.replace(tzinfo=UTC)


def _gen_orders(n: int, now: datetime, customers: list[int], engineers: list[int],
                staff: list[int], counters: dict[str, int], dialect: str, first_id: int = 1,
                seed: int = 2601, tz: str = "Asia/Shanghai", open_only: bool = False,
                clock_due: datetime | None = None):
    """Yield row tuples (WO_COLUMNS order, backend-ready values) in created_at order, so ids
    ascend with time. `counters` is filled with the last sequence number used per month."""

    rnd = random.Random(seed)
    stamp = Stamp(dialect)
    due = stamp(clock_due.timestamp()) if clock_due else None
    now_ts = now.timestamp()
    start_ts = now_ts - 365 * 86400
    stamps = sorted(start_ts + rnd.random() * (365 * 86400 - 60) for _ in range(n))
    bounds, keys = _month_keys(datetime.fromtimestamp(start_ts, UTC), now, tz)
    pick_type = _picker(TYPE_MIX, rnd)
    pick_prio = _picker(PRIORITY_MIX, rnd)
    pick_state = {k: _picker(OPEN_MIX if open_only else v, rnd) for k, v in STATE_MIX.items()}
    # a few big customers, a long tail (Zipf-ish); engineers less skewed
    cust_w = [1.0 / (i + 1) ** 0.9 for i in range(len(customers))]
    eng_w = [1.0 / (i + 1) ** 0.5 for i in range(len(engineers))]
    cust_choices = rnd.choices(customers, cust_w, k=n)
    eng_choices = rnd.choices(engineers, eng_w, k=n)
    h = 3600.0
    rand, uniform = rnd.random, rnd.uniform
    n_titles, n_desc, n_fault = len(TITLES), len(DESCRIPTIONS), len(FAULT_TYPES)
    n_staff, n_sur = len(staff), len(SURNAMES)
    for i, created in enumerate(stamps):
        age_days = (now_ts - created) / 86400
        state = pick_state["old" if age_days > 45 else "mid" if age_days > 10 else "recent"]()
        typ = pick_type()
        key = keys[bisect.bisect_right(bounds, created) - 1]
        seq = counters.get(key, 0) + 1
        counters[key] = seq
        cust = cust_choices[i] if typ == "repair" or (typ == "maintenance" and rand() < .5) \
            else None
        hold_from = None
        eff = state
        if state == "on_hold":
            hold_from = ("dispatching", "assigned", "in_progress")[int(rand() * 3)]
            eff = hold_from
        has_assignee = eff in ("assigned", "in_progress", "awaiting_confirmation", "closed") or (
            state == "cancelled" and rand() < .3)
        t = created
        accepted = started = resolved = closed = None
        if eff in ("assigned", "in_progress", "awaiting_confirmation", "closed"):
            t += uniform(.2, 8) * h
            accepted = t
        if eff in ("in_progress", "awaiting_confirmation", "closed"):
            t += uniform(.5, 30) * h
            started = t
        if eff in ("awaiting_confirmation", "closed"):
            t += uniform(.5, 24) * h
            resolved = t
        if eff == "closed":
            t += uniform(.1, 72) * h
            closed = t
        if state == "cancelled":
            t += uniform(.1, 48) * h
        # timestamps in the future are pulled back to now
        if t > now_ts:
            accepted, started, resolved, closed = (
                x if x is None else min(x, now_ts) for x in (accepted, started, resolved, closed))
            t = now_ts
        oid = first_id + i
        resolved_like = resolved is not None
        yield (
            oid,
            f"WO-{key}-{seq:06d}",
            typ,
            state,
            pick_prio(),
            TITLES[int(rand() * n_titles)],
            DESCRIPTIONS[int(rand() * n_desc)],
            FAULT_TYPES[int(rand() * n_fault)],
            cust,
            None,
            staff[int(rand() * n_staff)],
            (SURNAMES[int(rand() * n_sur)] + "工") if typ == "repair" else None,
            f"13{rnd.randrange(100000000, 999999999)}" if typ == "repair" else None,
            eng_choices[i] if has_assignee else None,
            "更换主轴轴承并重新校准,试运行 2 小时正常。" if resolved_like else None,
            f'["photos/{key}/{oid}-1.jpg"]' if resolved_like else "[]",
            hold_from,
            stamp(accepted), stamp(started), stamp(resolved), stamp(closed),
            staff[0] if closed else None,
            VERSION_OF[state],
            stamp(created),
            stamp(t),
        ) + ((3, stamp(created), due, due, due) if due else ())


def _insert_orders_sqlite(engine: Engine, rows_iter, columns: tuple[str, ...],
                          batch: int = 50_000) -> dict[str, int]:
    raw = engine.raw_connection()
    try:
        dbapi = raw.driver_connection
        dbapi.isolation_level = None
        cur = dbapi.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=OFF")
        cur.execute("PRAGMA cache_size=-400000")  # 400 MB page cache during the load
        cur.execute("BEGIN IMMEDIATE")
        sql = (f"INSERT INTO work_orders ({', '.join(columns)}) "
               f"VALUES ({', '.join('?' * len(columns))})")
        buf: list[tuple[Any, ...]] = []
        states: dict[str, int] = {}
        for row in rows_iter:
            states[row[3]] = states.get(row[3], 0) + 1
            buf.append(row)
            if len(buf) >= batch:
                cur.executemany(sql, buf)
                buf.clear()
        if buf:
            cur.executemany(sql, buf)
        cur.execute("COMMIT")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()
    finally:
        raw.close()
    return states


def _insert_orders_pg(engine: Engine, rows_iter, columns: tuple[str, ...]) -> dict[str, int]:
    raw = engine.raw_connection()
    states: dict[str, int] = {}
    try:
        conn = raw.driver_connection
        with conn.cursor() as cur:
            with cur.copy(f"COPY work_orders ({', '.join(columns)}) FROM STDIN") as cp:
                for row in rows_iter:
                    states[row[3]] = states.get(row[3], 0) + 1
                    cp.write_row(row)
            cur.execute("SELECT setval(pg_get_serial_sequence('work_orders', 'id'), "
                        "(SELECT max(id) FROM work_orders))")
        conn.commit()
    finally:
        raw.close()
    return states


def _set_sequences(engine: Engine, counters: dict[str, int]) -> None:
    from bihuan.workorders.models import NumberSequence

    with engine.begin() as conn:
        conn.execute(insert(NumberSequence.__table__),
                     [{"key": k, "value": v} for k, v in sorted(counters.items())])
        if engine.dialect.name == "postgresql":
            for t in ("users", "customers"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), "
                                  f"(SELECT max(id) FROM {t}))"))


def seed(url: str, n_orders: int, *, seed_value: int = 2601, now: datetime | None = None,
         log=print, open_only: bool = False, clock_due: datetime | None = None) -> SeedInfo:
    """Seed an empty, migrated database. Returns what the benchmark needs to know. With
    `open_only`, every order is still open (new … on hold), none closed or cancelled; with
    `clock_due`, every order has a running SLA clock whose deadlines and next check are then."""
    t0 = time.perf_counter()
    now = now or datetime.now(UTC)
    engine = create_engine(sa_url(url))
    try:
        admin, engineers, staff, customers = _seed_people(engine, now)
        counters: dict[str, int] = {}
        gen = _gen_orders(n_orders, now, customers, engineers, staff, counters,
                          engine.dialect.name, seed=seed_value, open_only=open_only,
                          clock_due=clock_due)
        columns = WO_COLUMNS + (SLA_COLUMNS if clock_due else ())
        if engine.dialect.name == "sqlite":
            states = _insert_orders_sqlite(engine, gen, columns)
        else:
            states = _insert_orders_pg(engine, gen, columns)
        _set_sequences(engine, counters)
        if clock_due:  # the sweeper's next check: the deadlines
            with engine.begin() as conn:
                conn.execute(text("INSERT INTO sla_timers (work_order_id, next_at) "
                                  "SELECT id, sla_due_at FROM work_orders"))
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        with engine.connect() as conn:
            lo, hi, c0, c1 = conn.execute(text(
                "SELECT min(id), max(id), min(created_at), max(created_at) FROM work_orders"
            )).one()
    finally:
        engine.dispose()
    secs = time.perf_counter() - t0
    info = SeedInfo(orders=n_orders, id_min=lo or 0, id_max=hi or 0, customer_ids=customers,
                    engineer_ids=engineers, admin_id=admin, span_from=str(c0), span_to=str(c1),
                    seconds=round(secs, 1), counts_by_state=dict(sorted(states.items())))
    log(f"seeded {n_orders:,} orders in {secs:.1f}s ({n_orders / max(secs, 1e-9):,.0f} rows/s)")
    return info


def add_new_orders(url: str, count: int, reporter_id: int, tz: str = "Asia/Shanghai"
                   ) -> list[int]:
    """Append `count` maintenance orders in state `new` (created now) and bump the month's
    counter so API-created numbers never collide. Returns their ids."""
    from bihuan.workorders.models import NumberSequence, WorkOrder
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    engine = create_engine(sa_url(url))
    now = datetime.now(UTC)
    key = now.astimezone(ZoneInfo(tz)).strftime("%y%m")
    ns = NumberSequence.__table__
    wo = WorkOrder.__table__
    try:
        with engine.begin() as conn:
            ins = (pg_insert if engine.dialect.name == "postgresql" else sqlite_insert)(ns)
            top = conn.execute(ins.values(key=key, value=count).on_conflict_do_update(
                index_elements=[ns.c.key], set_={"value": ns.c.value + count}
            ).returning(ns.c.value)).scalar_one()
            first = top - count + 1
            rows = [dict(number=f"WO-{key}-{first + i:06d}", type="maintenance", state="new",
                         priority="normal", title="压测派单池 " + TITLES[i % len(TITLES)],
                         reporter_id=reporter_id, photo_refs=[], version=1,
                         created_at=now, updated_at=now) for i in range(count)]
            conn.execute(insert(wo), rows)
            ids = [r[0] for r in conn.execute(
                select(wo.c.id).where(wo.c.number.between(rows[0]["number"], rows[-1]["number"]))
                .order_by(wo.c.id)).all()]
    finally:
        engine.dispose()
    return ids


def main() -> None:
    from bihuan.config import get_settings

    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--url", help="database URL (default: from BIHUAN_* settings)")
    p.add_argument("--orders", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=2601)
    a = p.parse_args()
    url = a.url or get_settings().effective_database_url
    info = seed(url, a.orders, seed_value=a.seed)
    print(json.dumps(info.to_json(), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
