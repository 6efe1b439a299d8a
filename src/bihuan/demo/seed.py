"""Build the demo database: a precision-parts maker with half a year of real, audited history.

Everything goes through the domain services with the clock moved to each action's time, so
the hash-chained audit trail is the one the product would have written.
"""

import random
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bihuan.audit.models import AuditEvent
from bihuan.config import Settings
from bihuan.customers.models import Customer
from bihuan.customers.schemas import ContactIn, CustomerCreate
from bihuan.customers.service import create_customer
from bihuan.db import Database, session_scope
from bihuan.demo import data
from bihuan.demo.plan import TZ, Cust, Dev, Eng, Planner, Step, World
from bihuan.devices.models import Device, FaultPreset
from bihuan.devices.schemas import DeviceCreate
from bihuan.devices.service import create_device
from bihuan.engineers.models import Engineer
from bihuan.engineers.schemas import EngineerCreate
from bihuan.engineers.service import create_engineer
from bihuan.errors import DomainError
from bihuan.kit.clock import set_clock, utcnow
from bihuan.kit.context import SYSTEM, Actor, RequestContext
from bihuan.migrate import upgrade
from bihuan.sla import admin as sla_admin
from bihuan.sla import repository as sla_repository
from bihuan.sla.schemas import PolicyIn, PolicyOut
from bihuan.users.models import User
from bihuan.users.roles import ROLE_LABELS
from bihuan.users.schemas import UserCreate
from bihuan.users.service import create_user
from bihuan.workorders import service as orders
from bihuan.workorders.enums import LABELS, State
from bihuan.workorders.models import SuspectedFakeCompletion, WorkOrder
from bihuan.workorders.schemas import ConfirmationIn, TransitionIn, WorkOrderCreate, WorkOrderUpdate

HISTORY_DAYS = 182
ORDERS = 1060  # plus 21 pinned recent ones (Planner.forced): 1,081 in all
BATCH = 400  # steps per transaction
CONFIRMATION_MINUTES = {1: 1440, 2: 1440}  # the seeded strategic and key customers' policies


@dataclass
class DemoSummary:
    """What was built, for the banner and for tests."""

    database_url: str
    customers: int = 0
    devices: int = 0
    engineers: int = 0
    users: int = 0
    orders: int = 0
    orders_by_state: dict[str, int] = field(default_factory=dict)
    orders_by_type: dict[str, int] = field(default_factory=dict)
    audit_events: int = 0
    suspected_fake_completions: int = 0
    seconds: float = 0.0


class _Clock:
    """The injected clock during the build: returns whatever moment is being replayed."""

    def __init__(self, t: datetime) -> None:
        self.t = t

    def now(self) -> datetime:
        return self.t

    def tick(self, rng: random.Random, lo: float = 5, hi: float = 40) -> None:
        self.t += timedelta(seconds=rng.uniform(lo, hi))


def build_demo(settings: Settings, seed: int) -> DemoSummary:
    """Recreate the database at settings' URL and fill it with reproducible demo history."""
    started = time.perf_counter()
    url = settings.effective_database_url
    _remove_sqlite_files(url)
    upgrade(url)
    rng = random.Random(seed)
    # a minute in the past, so whatever happens after the build sorts after the history
    end = utcnow().replace(microsecond=0) - timedelta(minutes=1)
    start = end - timedelta(days=HISTORY_DAYS)
    setup = (start - timedelta(days=14)).astimezone(TZ).replace(hour=9, minute=0, second=0)
    clock = _Clock(setup.astimezone(UTC))
    db = Database(url)
    set_clock(clock.now)
    try:
        with session_scope(db) as session:
            ctxs, world = _master_data(session, rng, clock, end.astimezone(TZ).date())
        steps = Planner(seed, world, start, end, ORDERS).plan()
        _replay(db, settings, clock, ctxs, steps)
        summary = _summarise(db, url)
    finally:
        set_clock(None)
        db.dispose()
    summary.seconds = round(time.perf_counter() - started, 1)
    return summary


def _remove_sqlite_files(url: str) -> None:
    u = make_url(url)
    if u.get_backend_name() != "sqlite":
        raise ValueError("bihuan demo builds a fresh SQLite database only / 演示数据仅支持 SQLite")
    if not u.database or u.database == ":memory:":
        return
    path = Path(u.database)
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# ---------------------------------------------------------------- master data
def _ctx(user: User, engineer: bool) -> RequestContext:
    # engineers act from the mobile app on a carrier network, desk staff from the office LAN
    ip = f"223.104.{user.id % 200}.{17 + user.id}" if engineer else f"10.20.1.{20 + user.id}"
    return RequestContext(Actor(user.id, user.username, user.role), ip=ip,
                          user_agent=data.APP_UA if engineer else data.DESK_UA)


def _person(rng: random.Random) -> str:
    return rng.choice(data.SURNAMES) + rng.choice(data.GIVEN)


def _phone(rng: random.Random, area: str) -> str:
    if rng.random() < 0.7:
        return f"1{rng.choice('35789')}{rng.randint(0, 999_999_999):09d}"
    return f"{area}-{rng.randint(2, 8)}{rng.randint(0, 9_999_999):07d}"


def _confirmation_targets(session: Session, ctx: RequestContext) -> None:
    """Strategic and key customers sign off within 24 working hours of the repair (the
    seeded policies have no confirmation target)."""
    for p in sla_repository.policies(session):
        if p.id in CONFIRMATION_MINUTES:
            values = PolicyOut.model_validate(p).model_dump(exclude={"id"})
            values["confirmation_minutes"] = CONFIRMATION_MINUTES[p.id]
            sla_admin.save_policy(session, ctx, PolicyIn(**values), p.id)


def _master_data(session: Session, rng: random.Random, clock: _Clock,
                 today: date) -> tuple[dict[str, RequestContext], World]:
    ctxs: dict[str, RequestContext] = {}
    by_name: dict[str, User] = {}
    admin_ctx = RequestContext(SYSTEM)  # the first account is bootstrapped by the system
    for u in data.DEMO_USERS:
        clock.tick(rng)
        user = create_user(session, admin_ctx, UserCreate(
            username=u.username, display_name=u.display_name, role=u.role, password=data.PASSWORD,
            phone=u.phone, title=u.title, email=f"{u.username}@huarui-precision.example"))
        by_name[u.username] = user
        ctxs[u.username] = _ctx(user, engineer=False)
        admin_ctx = ctxs["admin"]
    engineers = []
    for e in data.ENGINEERS:
        clock.tick(rng)
        city = data.CITIES[e.city]
        eng = create_engineer(session, ctxs["admin"], EngineerCreate(
            username=e.username, display_name=e.name, password=data.PASSWORD, phone=e.phone,
            title=data.CERT_TITLES[e.cert_level], supervisor_id=by_name["supervisor"].id,
            skills=list(e.skills), cert_level=e.cert_level, home_base=f"{city.province}{e.city}"
            if city.province != e.city else e.city, home_lat=city.lat, home_lng=city.lng,
            region=city.region, max_load=rng.choice((5, 6, 6, 8)),
            team=f"{city.region}服务组"))  # one service team per region: 华南服务组 …
        ctxs[e.username] = _ctx(eng.user, engineer=True)
        engineers.append(Eng(eng.user_id, e.username, e.name, city, e.skills, e.cert_level))
    session.add_all(FaultPreset(family=fam, code=code, label_zh=zh, label_en=en, position=i)
                    for i, (fam, code, zh, en) in enumerate(data.fault_presets()))
    _confirmation_targets(session, ctxs["admin"])
    customers = [_customer(session, rng, clock, ctxs["admin"], i, seed, today)
                 for i, seed in enumerate(data.CUSTOMERS)]
    serials: Counter[str] = Counter({m: rng.randint(80, 400) for f in data.FAMILIES
                                     for m in f.models})
    tags: set[str] = set()
    for c in customers:
        n = {"strategic": (10, 14), "key": (6, 9), "standard": (3, 6), "basic": (2, 3)}[c.tier]
        site = (c.city.lat + rng.uniform(-0.05, 0.05), c.city.lng + rng.uniform(-0.05, 0.05))
        for k in range(rng.randint(*n)):
            c.devices.append(_device(session, rng, clock, ctxs["admin"], c, site, k, serials,
                                     tags, today))
    plant = [_device(session, rng, clock, ctxs["admin"], None, data.PLANT[1:], k, serials, tags,
                     today) for k in range(20)]
    return ctxs, World(customers, plant, engineers, by_name["supervisor"].display_name)


def _customer(session: Session, rng: random.Random, clock: _Clock, ctx: RequestContext,
              i: int, seed: data.CustomerSeed, today: date) -> Cust:
    clock.tick(rng)
    city = data.CITIES[seed.city]
    roll = rng.random()
    if seed.tier == "basic" and roll < 0.25:
        expires = None  # pay-per-visit, no service contract
    elif roll < 0.12:
        expires = today - timedelta(days=rng.randint(3, 150))  # lapsed: sales should call
    elif roll < 0.25:
        expires = today + timedelta(days=rng.randint(0, 30))  # due for renewal
    else:
        expires = today + timedelta(days=rng.randint(45, 720))
    contacts = []
    for k in range(rng.choice((1, 2, 2, 3))):
        contacts.append(ContactIn(name=_person(rng), phone=_phone(rng, city.area_code),
                                  title=rng.choice(data.CONTACT_TITLES), is_primary=k == 0))
    prefix = "" if city.province == city.city else f"{city.province}省"
    customer = create_customer(session, ctx, CustomerCreate(
        code=f"{city.code}{i + 1:03d}", name=seed.name, tier=seed.tier, province=city.province,
        city=city.city, address=f"{prefix}{city.city}市{seed.district}{rng.randint(1, 388)}号",
        contract_expires_on=expires, contacts=contacts))
    return Cust(customer.id, seed.name, city, seed.tier, [(c.name, c.phone) for c in contacts])


def _device(session: Session, rng: random.Random, clock: _Clock, ctx: RequestContext,
            c: Cust | None, site: tuple[float, float], k: int, serials: Counter[str],
            tags: set[str], today: date) -> Dev:
    clock.tick(rng, 2, 15)
    if c is None:  # our own line: machining, grinding and turning, a few moulding cells
        family = rng.choices(("HR-M", "HR-G", "HR-L", "HR-E"), weights=(8, 4, 4, 4))[0]
    else:
        family = rng.choices(list(data.FAMILY_WEIGHTS),
                             weights=list(data.FAMILY_WEIGHTS.values()))[0]
    fam = next(f for f in data.FAMILIES if f.family == family)
    model = rng.choice(fam.models)
    installed = today - timedelta(days=rng.randint(60, 5 * 365))
    built = installed - timedelta(days=rng.randint(20, 70))
    serials[model] += 1
    serial = f"{model}-{built:%y%m}-{serials[model]:05d}"
    years = 3 if c is not None and c.tier == "strategic" else (1 if c is None else 2)
    warranty = installed + timedelta(days=365 * years)
    if c is None:
        location = f"{data.PLANT[0]} {rng.choice(data.PLANT_AREAS)} {k + 1:02d}号机"
    else:
        location = f"{rng.choice(data.WORKSHOPS[family])} {rng.choice('ABCD')}线 {k + 1:02d}号机"
    tag = None
    if c is None or rng.random() < 0.45:
        while tag is None or tag in tags:
            tag = (f"RFID-E280{rng.getrandbits(40):010X}" if rng.random() < 0.6
                   else f"NFC-04{rng.getrandbits(48):012X}")
        tags.add(tag)
    lat = round(site[0] + rng.uniform(-3e-4, 3e-4), 6)
    lng = round(site[1] + rng.uniform(-3e-4, 3e-4), 6)
    device = create_device(session, ctx, DeviceCreate(
        customer_id=c.id if c else None, brand=data.BRAND, family=family, model=model,
        serial_no=serial, location=location, lat=lat, lng=lng, installed_on=installed,
        warranty_until=warranty, tag_id=tag))
    return Dev(device.id, device.customer_id, family, model, serial, location, lat, lng)


# ---------------------------------------------------------------- history replay
def _replay(db: Database, settings: Settings, clock: _Clock, ctxs: dict[str, RequestContext],
            steps: list[Step]) -> None:
    ids: dict[int, int] = {}
    for i in range(0, len(steps), BATCH):
        with session_scope(db) as session:
            # The identity map holds objects weakly: without these references nearly every
            # session.get() in the services would go back to the database.
            keep: dict[Any, Any] = {m: session.scalars(select(m)).all()
                                    for m in (User, Customer, Device)}
            keep[WorkOrder] = {}
            for step in steps[i:i + BATCH]:
                clock.t = step.at
                try:
                    _apply(session, settings, ctxs[step.actor], ids, keep[WorkOrder], step)
                except DomainError as e:
                    raise RuntimeError(f"demo step failed: {step}: {e.code} {e.en}") from e


def _apply(session: Session, settings: Settings, ctx: RequestContext, ids: dict[int, int],
           cache: dict[int, WorkOrder], step: Step) -> None:
    args = step.args
    if step.kind == "create":
        order = orders.create_order(session, ctx, settings, WorkOrderCreate(**args))
        # not cached: create_order builds the row through Core and returns a transient object
        ids[step.order] = order.id
        return
    order_id = ids[step.order]
    if order_id not in cache:
        found = session.get(WorkOrder, order_id)
        assert found is not None
        cache[order_id] = found
    order = cache[order_id]
    if step.kind == "tr":
        orders.transition(session, ctx, settings, order, TransitionIn(**args))
    elif step.kind == "note":
        photos = list(order.photo_refs)
        photos += [f"demo/photos/{order.number}-{len(photos) + n}.jpg"
                   for n in range(1, args["photos"] + 1)]
        note = f"{order.repair_note}\n{args['note']}" if order.repair_note else args["note"]
        orders.update_order(session, ctx, order,
                            WorkOrderUpdate(repair_note=note, photo_refs=photos))
    elif step.kind == "confirm":
        orders.add_confirmation(session, ctx, order, ConfirmationIn(**args))
    else:  # refs, edit
        orders.update_order(session, ctx, order, WorkOrderUpdate(**args))


# ---------------------------------------------------------------- summary and banner
def _summarise(db: Database, url: str) -> DemoSummary:
    with session_scope(db, write=False) as s:
        def count(model: Any) -> int:
            return s.scalar(select(func.count()).select_from(model)) or 0

        by_state = dict(s.execute(select(WorkOrder.state, func.count()).group_by(
            WorkOrder.state)).all())
        by_type = dict(s.execute(select(WorkOrder.type, func.count()).group_by(
            WorkOrder.type)).all())
        return DemoSummary(
            database_url=url, customers=count(Customer), devices=count(Device),
            engineers=count(Engineer), users=count(User), orders=count(WorkOrder),
            orders_by_state={st.value: by_state.get(st.value, 0) for st in State},
            orders_by_type=by_type, audit_events=count(AuditEvent),
            suspected_fake_completions=count(SuspectedFakeCompletion))


def print_banner(summary: DemoSummary, host: str, port: int) -> None:
    """Where to go and how to log in, in Chinese first and English second."""
    base = f"http://{host}:{port}"
    names = {u.username: u.display_name for u in data.DEMO_USERS}
    names["engineer"] = data.ENGINEERS[0].name
    roles = {u.username: u.role for u in data.DEMO_USERS} | {"engineer": "engineer"}
    s = summary
    states_zh = "、".join(f"{LABELS['state'][k][0]} {v}" for k, v in s.orders_by_state.items())
    states_en = ", ".join(f"{k} {v}" for k, v in s.orders_by_state.items())
    lines = [
        "",
        f"闭环 Bihuan 演示环境已就绪:{data.COMPANY_ZH}(精密零部件制造商)",
        f"  访问地址:  {base}",
        f"  接口文档:  {base}/docs",
        f"  演示账号(密码均为 {data.PASSWORD}):",
    ]
    lines += [f"    {u:<11} {_pad(ROLE_LABELS[roles[u]]['zh-CN'], 14)} {names[u]}"
              for u in data.BANNER_USERS]
    lines += [
        f"    其他工程师 eng02–eng{len(data.ENGINEERS):02d},密码相同",
        (f"  数据:客户 {s.customers} 家,设备 {s.devices} 台,工程师 {s.engineers} 名,"
         f"工单 {s.orders} 张,审计事件 {s.audit_events} 条,疑似虚假完工 "
         f"{s.suspected_fake_completions} 条"),
        f"  工单状态:{states_zh}",
        "",
        f"Bihuan demo is ready: {data.COMPANY_EN} (a precision-parts maker)",
        f"  URL:       {base}",
        f"  API docs:  {base}/docs",
        f"  Demo users (password {data.PASSWORD} for all):",
    ]
    lines += [f"    {u:<11} {_pad(ROLE_LABELS[roles[u]]['en'], 16)} {names[u]}"
              for u in data.BANNER_USERS]
    lines += [
        f"    more engineers eng02–eng{len(data.ENGINEERS):02d}, same password",
        (f"  Data: {s.customers} customers, {s.devices} devices, {s.engineers} engineers, "
         f"{s.orders} work orders, {s.audit_events} audit events, "
         f"{s.suspected_fake_completions} suspected fake completions"),
        f"  Orders by state: {states_en}",
        f"  Database: {s.database_url}  (built in {s.seconds:.1f} s)",
        "",
    ]
    print("\n".join(lines))



def _pad(text: str, width: int) -> str:
    """Left-align by terminal columns: CJK characters take two."""
    cols = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - cols)
