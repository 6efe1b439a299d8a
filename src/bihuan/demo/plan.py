"""Order histories planned as timed steps, so they can be replayed in one global time order.

The audit chain needs non-decreasing event times in seq order, and orders overlap in time, so
each order's life is planned up front as (time, action) steps; seed.py sorts all of them and
applies them through the real services with the clock set to each step's time.
"""

import itertools
import math
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bihuan.demo import data
from bihuan.demo.data import City

TZ = ZoneInfo("Asia/Shanghai")
FAST_CLOSES = 10
# consecutive closes by one person are kept this far apart so none is flagged as a bulk run
# by accident (the service flags 5 closes inside 60 s); the fast closes are the only flags
CLOSE_SPACING = timedelta(seconds=25)


@dataclass
class Step:
    at: datetime
    order: int  # index of the planned order
    kind: str  # create | tr | note | confirm | refs | edit
    actor: str  # username
    args: dict[str, Any]
    tie: int = 0  # insertion counter: keeps an order's own steps in order on equal times


@dataclass
class Dev:
    id: int
    customer_id: int | None
    family: str
    model: str
    serial: str
    location: str
    lat: float
    lng: float


@dataclass
class Cust:
    id: int
    name: str
    city: City
    tier: str
    contacts: list[tuple[str, str]]
    devices: list[Dev] = field(default_factory=list)


@dataclass
class Eng:
    user_id: int
    username: str
    name: str
    city: City
    skills: tuple[str, ...]
    cert: int


@dataclass
class World:
    customers: list[Cust]
    plant_devices: list[Dev]
    engineers: list[Eng]
    supervisor_name: str


@dataclass
class _Order:
    idx: int
    type: str
    t0: datetime
    priority: str
    cust: Cust | None
    dev: Dev | None
    family: str | None
    city: City
    text: Any  # data.Fault | data.Task | data.LineIssue
    lat: float
    lng: float
    refs: list[dict[str, Any]] = field(default_factory=list)
    eng: Eng | None = None


def _pick(rng: random.Random, weighted: dict[str, float]) -> str:
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


# final state by order age in days: old orders are closed, recent ones spread over open states
AGE_TARGETS: tuple[tuple[float, dict[str, float]], ...] = (
    (2, {"new": 15, "dispatching": 12, "assigned": 25, "in_progress": 20, "on_hold": 4,
         "awaiting_confirmation": 11, "closed": 10, "cancelled": 3}),
    (7, {"dispatching": 4, "assigned": 10, "in_progress": 16, "on_hold": 8,
         "awaiting_confirmation": 18, "closed": 40, "cancelled": 4}),
    (30, {"assigned": 2, "in_progress": 5, "on_hold": 5, "awaiting_confirmation": 7,
          "closed": 76, "cancelled": 5}),
    # a few stragglers a month or two old, so the overdue views have something to show
    (60, {"in_progress": 0.5, "on_hold": 2, "awaiting_confirmation": 1.5, "closed": 90,
          "cancelled": 6}),
    (1e9, {"closed": 94, "cancelled": 6}),
)
PRIORITIES = {
    "repair": {"urgent": 8, "high": 25, "normal": 55, "low": 12},
    "maintenance": {"high": 5, "normal": 50, "low": 45},
    "production_exception": {"urgent": 25, "high": 45, "normal": 30},
}
# minutes from assignment to the engineer starting on site
START_DELAY = {"urgent": (30, 360), "high": (120, 1440), "normal": (240, 4320),
               "low": (1440, 7200)}
HOUR_WEIGHTS = (0.1, 0.05, 0.05, 0.05, 0.05, 0.1, 0.2, 0.5, 1.0, 1.2, 1.2, 1.1, 0.6, 0.8, 1.2,
                1.2, 1.1, 1.0, 0.6, 0.4, 0.3, 0.2, 0.15, 0.1)


class Planner:
    def __init__(self, seed: int, world: World, start: datetime, end: datetime,
                 orders: int) -> None:
        self.seed, self.world, self.start, self.end, self.count = seed, world, start, end, orders
        self.rng = self.stream("times")
        self.steps: list[Step] = []
        self.n = 0
        self.counters = {"zendesk": 48150, "erp": 1, "QA": 1180, "HRSVC": 310, "batch": 100}
        self.customer_devices = [d for c in world.customers for d in c.devices]
        self.cust_by_id = {c.id: c for c in world.customers}

    def stream(self, name: str) -> random.Random:
        # One stream per order: the wall-clock time of the build shifts ages, offices hours and
        # so how many numbers an order draws, and that must not reshuffle every later order.
        return random.Random(f"{self.seed}:{name}")

    # ------------------------------------------------------------ time helpers
    def logu(self, lo: float, hi: float) -> float:
        """Minutes, log-uniform: most waits are short, a few are long."""
        return math.exp(self.rng.uniform(math.log(lo), math.log(hi)))

    def office(self, t: datetime) -> datetime:
        """Move a non-urgent action that would fall at night to the next morning."""
        local = t.astimezone(TZ)
        if 8 <= local.hour < 21:
            return t
        day = local.date() if local.hour < 8 else local.date() + timedelta(days=1)
        morning = datetime(day.year, day.month, day.day, 8, tzinfo=TZ)
        return (morning + timedelta(seconds=self.rng.uniform(0, 9000))).astimezone(UTC)

    def creation_times(self) -> list[datetime]:
        days = (self.end - self.start).days
        weights = []
        for d in range(days + 1):
            day = (self.start + timedelta(days=d)).astimezone(TZ)
            # slow growth over the half year, quieter weekends
            weights.append((1 + 0.4 * d / days) * (0.45 if day.weekday() >= 5 else 1.0))
        out = []
        base = self.start.astimezone(TZ).replace(hour=0, minute=0, second=0, microsecond=0)
        while len(out) < self.count:
            d = self.rng.choices(range(days + 1), weights=weights)[0]
            h = self.rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
            t = (base + timedelta(days=d, hours=h, seconds=self.rng.uniform(0, 3600))
                 ).astimezone(UTC)
            if self.start <= t < self.end - timedelta(minutes=5):
                out.append(t)
        return sorted(out)

    # ------------------------------------------------------------ whole plan
    def plan(self) -> list[Step]:
        times = self.creation_times()
        fast_candidates = [i for i, t in enumerate(times)
                           if timedelta(days=20) < self.end - t < timedelta(days=170)]
        fast = set(self.rng.sample(fast_candidates, FAST_CLOSES))
        for i, t0 in enumerate(times):
            self.rng = self.stream(f"order:{i}")
            age = (self.end - t0) / timedelta(days=1)
            target = _pick(self.rng, next(w for limit, w in AGE_TARGETS if age <= limit))
            kind = _pick(self.rng, {"repair": 65, "maintenance": 20,
                                    "production_exception": 15})
            if i in fast:
                target = "closed"
            self.order(kind, t0, target, fast=i in fast)
        self.forced()
        self.rng = self.stream("spacing")
        self.space_closes()
        for i, s in enumerate(self.steps):
            s.tie = i
        return sorted((s for s in self.steps if s.at <= self.end), key=lambda s: (s.at, s.tie))

    def forced(self) -> None:
        """Recent orders in fixed states, so every list and the engineer's phone are populated."""
        hours = timedelta(hours=1)
        me = next(e for e in self.world.engineers if e.username == "engineer")
        mine = [d for d in self.customer_devices if d.family in me.skills
                and self.cust_by_id[d.customer_id or 0].city.region == me.city.region]
        plans: list[tuple[str, float, dict[str, Any]]] = [
            ("assigned", 3, {"accept": False}), ("assigned", 20, {"accept": False}),
            ("assigned", 40, {"accept": False}),
            ("assigned", 6, {"accept": True}), ("assigned", 30, {"accept": True}),
            ("assigned", 52, {"accept": True}),
            ("in_progress", 10, {}), ("in_progress", 50, {}), ("in_progress", 96, {}),
            ("on_hold", 120, {"hold_at": "in_progress"}), ("on_hold", 72, {"hold_at": "assigned"}),
            ("awaiting_confirmation", 26, {}), ("awaiting_confirmation", 50, {"confirm": True}),
            ("awaiting_confirmation", 140, {}),
        ]
        for k, (target, age, opts) in enumerate(plans):
            self.rng = self.stream(f"forced:{k}")
            dev = self.rng.choice(mine)
            self.order("repair", self.daytime(self.end - age * hours), target, dev=dev, eng=me,
                       fit=True, **opts)
        for k, (target, age, opts) in enumerate((
                ("new", 0.25, {}), ("new", 0.8, {}), ("new", 2, {}), ("new", 4, {}),
                ("dispatching", 1, {}),
                ("dispatching", 5, {"decline": True}), ("dispatching", 26, {}))):
            self.rng = self.stream(f"forced:queue:{k}")
            self.order("repair", self.daytime(self.end - age * hours), target, fit=True, **opts)

    def daytime(self, t: datetime) -> datetime:
        """The same moment or an earlier one inside office hours (the demo may be built at 3am)."""
        local = t.astimezone(TZ)
        if 8 <= local.hour < 21:
            return t
        day = local.date() - timedelta(days=1 if local.hour < 8 else 0)
        evening = datetime(day.year, day.month, day.day, 17, tzinfo=TZ)
        # no random draw here: how often this runs depends on when the demo is built
        spread = timedelta(hours=local.hour % 3, minutes=local.minute, seconds=local.second)
        return (evening + spread).astimezone(UTC)

    def space_closes(self) -> None:
        by_actor: dict[str, list[Step]] = {}
        for s in self.steps:
            if s.kind == "tr" and s.args["action"] == "close":
                by_actor.setdefault(s.actor, []).append(s)
        for closes in by_actor.values():
            closes.sort(key=lambda s: s.at)
            for prev, cur in itertools.pairwise(closes):
                if cur.at < prev.at + CLOSE_SPACING:
                    cur.at = prev.at + CLOSE_SPACING + timedelta(seconds=self.rng.uniform(0, 60))

    # ------------------------------------------------------------ one order
    def new_order(self, kind: str, t0: datetime, dev: Dev | None) -> _Order:
        rng = self.rng
        cust = None
        if kind == "production_exception":
            dev = dev or rng.choice(self.world.plant_devices)
        elif kind == "maintenance" and dev is None:
            pool = self.world.plant_devices if rng.random() < 0.15 else self.customer_devices
            dev = rng.choice(pool)
        elif dev is None and rng.random() < 0.95:
            dev = rng.choice(self.customer_devices)
        if dev is not None and dev.customer_id is not None:
            cust = self.cust_by_id[dev.customer_id]
        elif kind == "repair":
            cust = rng.choice(self.world.customers)  # a call that names no machine yet
        family = dev.family if dev else rng.choice(list(data.FAULTS))
        if kind == "repair":
            text: Any = rng.choice(data.FAULTS[family])
        elif kind == "maintenance":
            text = rng.choice(data.MAINTENANCE)
        else:
            text = rng.choice(data.PRODUCTION)
        prio = dict(PRIORITIES[kind])
        if cust is not None and cust.tier == "strategic":
            prio["urgent"] = prio.get("urgent", 0) + 6
        city = cust.city if cust else data.CITIES["东莞"]
        lat, lng = (dev.lat, dev.lng) if dev else (city.lat, city.lng)
        self.n += 1
        return _Order(self.n - 1, kind, t0, _pick(rng, prio), cust, dev, family, city, text,
                      lat, lng)

    def create_args(self, o: _Order) -> dict[str, Any]:
        rng, dev, text = self.rng, o.dev, o.text
        args: dict[str, Any] = {"type": o.type, "priority": o.priority, "fault_type":
                                text.fault_type, "customer_id": o.cust.id if o.cust else None,
                                "device_id": dev.id if dev else None}
        where = f"设备 {dev.model}(序列号 {dev.serial}),位置:{dev.location}。" if dev else ""
        if o.type == "repair":
            name, phone = rng.choice(o.cust.contacts) if o.cust else ("", "")
            args.update(reporter_name=name, reporter_phone=phone,
                        title=f"{dev.model} {text.title}" if dev else text.title,
                        description=f"{name}来电:{text.description}{where or '设备编号待确认。'}")
            if rng.random() < 0.3:
                o.refs.append(self.ref("zendesk", o.t0))
        elif o.type == "maintenance":
            args.update(title=f"{dev.model} {text.title}" if dev else text.title,
                        description=text.description + where)
            if rng.random() < 0.4:
                o.refs.append(self.ref("erp", o.t0))
        else:
            self.counters["batch"] += 1
            lot = f"B{o.t0.astimezone(TZ):%y%m}-{self.counters['batch'] % 1000:03d}"
            leader = rng.choice(data.SURNAMES) + rng.choice(data.GIVEN)
            args.update(reporter_name=f"产线班长 {leader}", reporter_phone=_mobile(rng),
                        title=f"{dev.model if dev else ''} {text.title}(批次 {lot})".strip(),
                        description=f"{text.description}{where}")
        args["external_refs"] = list(o.refs)
        return args

    def ref(self, system: str, at: datetime) -> dict[str, Any]:
        key = {"zendesk": "zendesk", "erp": "erp", "jira": "QA"}.get(system, system)
        self.counters[key] += 1
        n = self.counters[key]
        if system == "zendesk":
            return {"system": "zendesk", "external_id": str(n), "last_synced_at": at,
                    "url": f"https://huarui.zendesk.com/agent/tickets/{n}"}
        if system == "erp":
            return {"system": "erp", "external_id": f"PM-{at.astimezone(TZ):%y%m}-{n:04d}",
                    "url": None, "last_synced_at": at}
        return {"system": "jira", "external_id": f"{key}-{n}", "last_synced_at": at,
                "url": f"https://jira.huarui.example/browse/{key}-{n}"}

    def pick_engineer(self, o: _Order, exclude: set[str] | None = None) -> Eng:
        weights: dict[str, float] = {}
        by_name = {e.username: e for e in self.world.engineers}
        for e in self.world.engineers:
            if exclude and e.username in exclude:
                continue
            if o.dev and o.dev.family not in e.skills and o.dev.model not in e.skills:
                continue
            w = 1.0 + (6 if e.city.region == o.city.region else 0)
            w += 8 if e.city.city == o.city.city else 0
            w *= 0.7 + e.cert / 5
            if e.username == "engineer":
                # a long history for the demo login, but his current queue comes from forced()
                w *= 1.5 if self.end - o.t0 > timedelta(days=30) else 0.3
            weights[e.username] = w
        if not weights:
            weights = {e.username: 1 for e in self.world.engineers
                       if not exclude or e.username not in exclude}
        return by_name[_pick(self.rng, weights)]

    def order(self, kind: str, t0: datetime, target: str, *, dev: Dev | None = None,
              eng: Eng | None = None, fit: bool = False, fast: bool = False,
              accept: bool | None = None, hold_at: str | None = None,
              confirm: bool | None = None, decline: bool | None = None) -> None:
        o = self.new_order(kind, t0, dev)
        o.eng = eng
        p = _Path(self, o)
        p.add(0, "create", self.creator(o), office=False, **self.create_args(o))
        _Life(self, o, p, target, fast=fast, accept=accept, hold_at=hold_at, confirm=confirm,
              decline=decline).run()
        if fit:
            p.fit(self.end)
        self.steps.extend(p.steps)

    def creator(self, o: _Order) -> str:
        if o.type == "repair":
            return _pick(self.rng, {"agent": 65, "agent02": 30, "admin": 5})
        if o.type == "maintenance":
            return "dispatcher"
        return _pick(self.rng, {"supervisor": 60, "dispatcher": 40})


class _Path:
    """Consecutive steps of one order; each waits some minutes after the previous one."""

    def __init__(self, planner: Planner, o: _Order) -> None:
        self.planner, self.o, self.t = planner, o, o.t0
        self.steps: list[Step] = []

    def add(self, minutes: float, kind: str, actor: str, /, office: bool = True,
            **args: Any) -> None:
        t = self.t + timedelta(minutes=minutes)
        if office and self.o.priority != "urgent":
            t = max(self.t, self.planner.office(t))
        self.t = t
        self.steps.append(Step(t, self.o.idx, kind, actor, args))

    def tr(self, minutes: float, actor: str, action: str, **args: Any) -> None:
        self.add(minutes, "tr", actor, action=action, **args)

    def fit(self, end: datetime) -> None:
        """Squeeze the whole history in before `end` (forced recent orders must stay whole)."""
        last = self.steps[-1].at
        if last <= end:
            return
        span = (end - timedelta(minutes=1) - self.o.t0) / (last - self.o.t0)
        for s in self.steps:
            s.at = self.o.t0 + (s.at - self.o.t0) * span


class _Life:
    """Walks one order from creation to its target state, adding realistic detours."""

    def __init__(self, planner: Planner, o: _Order, p: _Path, target: str, *, fast: bool,
                 accept: bool | None, hold_at: str | None, confirm: bool | None,
                 decline: bool | None) -> None:
        self.pl, self.o, self.p, self.target, self.fast = planner, o, p, target, fast
        self.rng = planner.rng
        self.accept, self.hold_at, self.confirm, self.decline = accept, hold_at, confirm, decline

    def chance(self, forced: bool | None, p: float) -> bool:
        return forced if forced is not None else self.rng.random() < p

    def gps(self) -> dict[str, float]:
        r = self.rng
        return {"lat": round(self.o.lat + r.uniform(-4e-4, 4e-4), 6),
                "lng": round(self.o.lng + r.uniform(-4e-4, 4e-4), 6),
                "accuracy": round(r.uniform(5, 35), 1)}

    def run(self) -> None:
        o, p, rng, target = self.o, self.p, self.rng, self.target
        if o.priority != "urgent" and o.type == "repair" and rng.random() < 0.05:
            p.add(self.pl.logu(5, 90), "edit", p.steps[0].actor, priority="urgent")
        if o.type == "production_exception" and rng.random() < 0.5:
            o.refs.append(self.pl.ref("jira", p.t))
            p.add(self.pl.logu(10, 90), "refs", "supervisor", external_refs=list(o.refs))
        if target == "new":
            return
        if o.type == "repair" and (rng.random() < 0.85 or target == "dispatching"):
            p.tr(self.pl.logu(2, 40), p.steps[0].actor, "dispatch")
        elif target == "dispatching":
            p.tr(self.pl.logu(5, 60), "dispatcher", "dispatch")
        if target == "dispatching":
            if self.chance(self.decline, 0.3):
                self.assign()
                self.do_decline()
            return
        if target == "cancelled" and rng.random() < 0.5:
            p.tr(self.pl.logu(10, 900), _pick(rng, {"agent": 1, "dispatcher": 1}), "cancel",
                 reason=rng.choice(data.CANCEL_REASONS))
            return
        pinned = o.eng is not None
        self.assign()
        if not pinned and rng.random() < 0.07:
            self.do_decline()
            self.assign(exclude={self.eng_name})
        if target == "on_hold" and self.hold_at is None:
            self.hold_at = "assigned" if rng.random() < 0.3 else "in_progress"
        odds = {"assigned": 0.5, "cancelled": 0.4}.get(target, 0.95)
        if self.chance(self.accept, odds):
            p.tr(self.pl.logu(5, 180), self.eng_name, "accept")
        if target == "assigned":
            return
        if target == "cancelled":
            if rng.random() < 0.5:
                self.hold(resume=False)
            p.tr(self.pl.logu(30, 2880), _pick(rng, {"agent": 1, "dispatcher": 1}), "cancel",
                 reason=rng.choice(data.CANCEL_REASONS))
            return
        if self.hold_at == "assigned" or (target != "on_hold" and rng.random() < 0.04):
            self.hold(resume=target != "on_hold")
            if target == "on_hold":
                return
        lo_hi = START_DELAY[o.priority]
        if o.type == "maintenance":
            lo_hi = (600, 10080)
        elif o.type == "production_exception":
            lo_hi = (3, 90)
        p.tr(self.pl.logu(*lo_hi), self.eng_name, "start", gps=self.gps())
        if target == "on_hold" or (target != "in_progress" and rng.random() < 0.08):
            p.add(self.pl.logu(20, 240), "note", self.eng_name, note="初步检查:" +
                  o.text.description, photos=1)
            self.hold(resume=target != "on_hold")
            if target == "on_hold":
                return
        if o.type == "repair" and rng.random() < 0.03 and target != "in_progress":
            o.refs.append(self.pl.ref("HRSVC", p.t))
            p.add(self.pl.logu(30, 600), "refs", "supervisor", external_refs=list(o.refs))
        if target == "in_progress":
            if rng.random() < 0.3:
                p.add(self.pl.logu(30, 240), "note", self.eng_name, note=o.text.repair_note,
                      photos=1)
            return
        self.resolve(o.text.repair_note)
        if o.type != "maintenance" and target == "closed" and not self.fast and (
                rng.random() < (0.05 if o.type == "repair" else 0.02)):
            p.tr(self.pl.logu(60, 1440), _pick(rng, {"agent": 2, "supervisor": 1}), "reopen",
                 reason=rng.choice(data.REOPEN_REASONS))
            self.resolve("复修:" + rng.choice(
                ("重新紧固并更换备件后试机 4 小时正常。", "调整参数后复测合格。",
                 "更换同批次配件并做跟踪观察,运行稳定。")), delay=(60, 1800))
        if target == "awaiting_confirmation":
            if self.chance(self.confirm, 0.3):
                self.confirmation((1, 30), "engineer_on_site")
            return
        self.close()

    @property
    def eng_name(self) -> str:
        assert self.o.eng is not None
        return self.o.eng.username

    def assign(self, exclude: set[str] | None = None) -> None:
        o = self.o
        if o.eng is None or exclude:
            o.eng = self.pl.pick_engineer(o, exclude)
        actor = "supervisor" if o.type == "production_exception" and self.rng.random() < 0.4 \
            else "dispatcher"
        lo, hi = (2, 30) if o.priority == "urgent" else (5, 180)
        self.p.tr(self.pl.logu(lo, hi), actor, "assign", assignee_id=o.eng.user_id)

    def do_decline(self) -> None:
        self.p.tr(self.pl.logu(10, 90), self.eng_name, "decline",
                  reason=self.rng.choice(data.DECLINE_REASONS))

    def hold(self, resume: bool) -> None:
        rng, p = self.rng, self.p
        actor = self.eng_name if rng.random() < 0.7 else "dispatcher"
        p.tr(self.pl.logu(20, 600), actor, "hold", reason=rng.choice(data.HOLD_REASONS))
        if resume:
            p.tr(self.pl.logu(240, 8640), actor, "resume")

    def resolve(self, note: str, delay: tuple[float, float] = (45, 480)) -> None:
        o, p = self.o, self.p
        if o.type == "production_exception":
            delay = (20, 240)
        p.add(self.pl.logu(*delay), "note", self.eng_name, note=note,
              photos=self.rng.randint(1, 3))
        p.tr(self.pl.logu(1, 20), self.eng_name, "resolve", gps=self.gps())

    def confirmation(self, wait: tuple[float, float], who: str, office: bool = True) -> None:
        o, rng = self.o, self.rng
        if o.type == "production_exception" or (o.type == "maintenance" and o.cust is None):
            actor, kind, signer = "supervisor", "qa", self.pl.world.supervisor_name
            note = rng.choice(data.QA_CONFIRM_NOTES)
        else:
            kind = "customer"
            actor = self.eng_name if who == "engineer_on_site" else who
            assert o.cust is not None
            signer = rng.choice(o.cust.contacts)[0]
            note = rng.choice(data.CUSTOMER_CONFIRM_NOTES)
        minutes = self.pl.logu(*wait) if wait[0] >= 1 else rng.uniform(*wait)
        self.p.add(minutes, "confirm", actor, office=office, kind=kind, signed_by=signer,
                   note=note)

    def close(self) -> None:
        o, rng = self.o, self.rng
        closer = _pick(rng, dict(data.CLOSERS[o.type]))
        if self.fast:
            # the pattern the supervisor must see: confirmed and closed seconds after resolve
            self.confirmation((3 / 60, 5 / 60), closer, office=False)
            self.p.tr(rng.uniform(3, 6) / 60, closer, "close", office=False)
            return
        if o.type == "repair" and rng.random() < 0.45:
            self.confirmation((30, 1800), closer)  # the agent's call-back
            self.p.tr(self.pl.logu(1, 60), closer, "close")
        else:
            self.confirmation((1, 30) if o.type != "production_exception" else (20, 480),
                              "engineer_on_site")
            self.p.tr(self.pl.logu(20, 1800), closer, "close")
        if rng.random() < 0.012 and o.type == "repair" and o.dev is not None:
            others = [f for f in data.FAULTS[o.dev.family] if f.fault_type != o.text.fault_type]
            self.p.add(self.pl.logu(1440, 7200), "edit", "supervisor",
                       fault_type=rng.choice(others).fault_type, reason="复盘后修正故障分类")


def _mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}"
