"""Every work-order query."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    Integer,
    Row,
    Select,
    bindparam,
    func,
    insert,
    literal_column,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from bihuan import groupcommit
from bihuan.attachments.models import Attachment
from bihuan.customers.models import Customer
from bihuan.db import json_agg, json_array
from bihuan.devices.models import Device, FaultPreset
from bihuan.kit import bulk
from bihuan.users.models import User
from bihuan.workorders import timers
from bihuan.workorders.enums import OPEN_STATES, State
from bihuan.workorders.models import (
    Confirmation,
    ExternalRef,
    NumberSequence,
    SavedView,
    SuspectedFakeCompletion,
    WorkOrder,
)


@dataclass
class OrderFilter:
    state: list[str] | None = None
    type: str | None = None
    customer_id: int | None = None
    assignee_id: int | None = None
    device_id: int | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    q: str | None = None
    overdue_at: datetime | None = None  # only orders with a deadline missed by then


def get(session: Session, order_id: int) -> WorkOrder | None:
    return session.get(WorkOrder, order_id)


def _like(text_: str) -> str:
    return text_.replace("/", "//").replace("%", "/%").replace("_", "/_")


def _shape(f: OrderFilter) -> tuple[Any, ...]:
    """Which filters are set (and how q searches): the key of a statement built once."""
    q = f.q.strip() if f.q else ""
    return (bool(f.state), bool(f.type), f.customer_id is not None, f.assignee_id is not None,
            f.device_id is not None, f.created_from is not None, f.created_to is not None,
            ("number" if q.upper().startswith("WO-") else "text") if q else None,
            f.overdue_at is not None)


def _values(f: OrderFilter) -> dict[str, Any]:
    q = f.q.strip() if f.q else ""
    return {"states": f.state or [], "type": f.type, "customer_id": f.customer_id,
            "assignee_id": f.assignee_id, "device_id": f.device_id,
            "created_from": f.created_from, "created_to": f.created_to,
            "overdue_at": f.overdue_at, "q": q, "q_code": q.upper(),
            "q_number": _like(q.upper()) + "%", "q_part": "%" + _like(q.lower()) + "%",
            "q_prefix": _like(q.lower()) + "%"}


def _where(shape: tuple[Any, ...]) -> list[Any]:
    """The WHERE clauses of a filter shape, with bind parameters for the values."""
    state, type_, customer, assignee, device, since, until, q, overdue = shape
    out: list[Any] = []
    if state:
        out.append(WorkOrder.state.in_(bindparam("states", expanding=True)))
    if type_:
        out.append(WorkOrder.type == bindparam("type"))
    if customer:
        out.append(WorkOrder.customer_id == bindparam("customer_id"))
    if assignee:
        out.append(WorkOrder.assignee_id == bindparam("assignee_id"))
    if device:
        out.append(WorkOrder.device_id == bindparam("device_id"))
    if since:
        out.append(WorkOrder.created_at >= bindparam("created_from"))
    if until:
        out.append(WorkOrder.created_at < bindparam("created_to"))
    if q == "number":
        out.append(WorkOrder.number.like(bindparam("q_number"), escape="/"))
    elif q == "text":
        out.append(_search())
    if overdue:  # the earliest open deadline has passed (kept by the SLA clock, indexed)
        out += [WorkOrder.sla_due_at < bindparam("overdue_at"),
                WorkOrder.state.in_(OPEN_STATES)]
    return out


def _search() -> Any:
    """Title (part), reporter phone, tracking code, customer name (part), device serial
    (prefix); a number (WO-…) is searched by prefix on its own."""
    return or_(
        func.lower(WorkOrder.title).like(bindparam("q_part"), escape="/"),
        WorkOrder.reporter_phone == bindparam("q"),
        WorkOrder.tracking_code == bindparam("q_code"),
        WorkOrder.customer_id.in_(select(Customer.id).where(
            func.lower(Customer.name).like(bindparam("q_part"), escape="/"))),
        WorkOrder.device_id.in_(select(Device.id).where(
            func.lower(Device.serial_no).like(bindparam("q_prefix"), escape="/"))),
    )


# what a list row shows besides the order's own columns: names, not ids
_LIST_COLUMNS = (
    *WorkOrder.__table__.c,
    Customer.name.label("customer_name"),
    User.display_name.label("assignee_name"),
    Device.model.label("device_model"),
    Device.serial_no.label("device_serial"),
    Device.family.label("device_family"),
    Customer.province.label("customer_region"),
)


def _with_names(stmt: Select[Any]) -> Select[Any]:
    return (stmt.outerjoin(Customer, Customer.id == WorkOrder.customer_id)
            .outerjoin(User, User.id == WorkOrder.assignee_id)
            .outerjoin(Device, Device.id == WorkOrder.device_id))


def _literal(value: int | str) -> Any:
    """A LIMIT or OFFSET written into the SQL text at execution, not sent as a parameter.
    PostgreSQL plans a prepared statement (psycopg prepares one after 5 executions) once
    for all executions when its plan does not hinge on the parameters; with the page size
    unknown it planned a page again on every execution, 1.3 ms of server CPU here."""
    if isinstance(value, int):
        return literal_column(str(value), Integer)
    return bindparam(value, type_=Integer, literal_execute=True)


def _fault_label(code: Any, model: Any, family: Any) -> Any:
    """[label_zh, label_en] of the most specific preset for the fault type: the device
    model's, else its family's, else the generic one (devices.service.fault_labels' rule, in
    SQL so that the label comes in the order's own row)."""
    p = FaultPreset
    return (select(json_array(p.label_zh, p.label_en))
            .where(p.code == code, or_(p.model == model, p.model.is_(None) & or_(
                p.family == family, p.family.is_(None))))
            .order_by(p.model.is_(None), p.family.is_(None), p.id).limit(_literal(1))
            .scalar_subquery())


_REF_FIELDS = ("id", "system", "external_id", "url", "last_synced_at")
_FILE_FIELDS = ("id", "work_order_id", "kind", "source", "content_type", "size", "sha256",
                "original_name", "duration_seconds", "created_at")


def _rows_json(model: Any, fields: tuple[str, ...]) -> Any:
    """The order's rows of `model` as one JSON array of value arrays."""
    table = model.__table__
    return (select(json_agg(json_array(*(table.c[k] for k in fields))))
            .where(table.c.work_order_id == WorkOrder.id).scalar_subquery())


# what a detail view shows besides the order's row, looked up in the same statement
_DETAIL_EXTRAS = (
    *_LIST_COLUMNS[-6:],
    _fault_label(WorkOrder.fault_type, Device.model, Device.family).label("fault_label_json"),
    _rows_json(ExternalRef, _REF_FIELDS).label("refs_json"),
    _rows_json(Attachment, _FILE_FIELDS).label("files_json"),
)
_DETAIL = (_with_names(select(*WorkOrder.__table__.c, *_DETAIL_EXTRAS))
           .where(WorkOrder.id == bindparam("oid")))
_EXTRAS = (_with_names(select(*_DETAIL_EXTRAS).select_from(WorkOrder))
           .where(WorkOrder.id == bindparam("oid")))


def detail_row(session: Session, order_id: int) -> dict[str, Any] | None:
    """The order, the names of its links, its fault label, external references and
    attachments, in one statement (there were five)."""
    row = session.connection().execute(_DETAIL, {"oid": order_id}).one_or_none()
    return None if row is None else _unpacked(row)


def detail_extras(session: Session, order_id: int) -> dict[str, Any]:
    """What detail_row adds to the order, for an order already loaded."""
    return _unpacked(session.connection().execute(_EXTRAS, {"oid": order_id}).one())


def _unpacked(row: Row[Any]) -> dict[str, Any]:
    out = dict(row._mapping)
    out["external_refs"] = _records(out.pop("refs_json"), _REF_FIELDS, "last_synced_at")
    out["attachments"] = _records(out.pop("files_json"), _FILE_FIELDS, "created_at")
    return out


def _records(rows: list[list[Any]] | None, fields: tuple[str, ...], when: str) -> list[Any]:
    """JSON value arrays as dicts in id order; the time field as an aware UTC datetime (JSON
    carries it as text: naive UTC from SQLite, with the session's offset from PostgreSQL)."""
    out = [dict(zip(fields, r, strict=True)) for r in sorted(rows or (), key=itemgetter(0))]
    for r in out:
        if r[when] is not None:
            t = datetime.fromisoformat(r[when])
            r[when] = t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)
    return out


# a page and a capped count per filter shape, built on first use: building and hashing a
# statement with this many columns costs more than running it
_LIST_STATEMENTS: dict[tuple[Any, ...], tuple[Select[Any], Select[Any]]] = {}


def _list_statements(shape: tuple[Any, ...]) -> tuple[Select[Any], Select[Any]]:
    """The page with its rows' fault labels and the capped count in one statement (one
    round trip), and the capped count alone."""
    built = _LIST_STATEMENTS.get(shape)
    if built is None:
        where = _where(shape)
        capped = select(WorkOrder.id).where(*where).limit(_literal("cap")).subquery()
        count = select(func.count()).select_from(capped)
        # the page's rows first, then names and labels for those rows only (PostgreSQL also
        # plans a one-table page in 2/3 of the time); the count is not correlated, so both
        # databases run it once per statement
        inner = (select(*WorkOrder.__table__.c).where(*where)
                 .order_by(WorkOrder.created_at.desc(), WorkOrder.id.desc())
                 .limit(_literal("limit")).offset(_literal("offset")).subquery("page"))
        page = (select(inner, *_LIST_COLUMNS[-6:],
                       _fault_label(inner.c.fault_type, Device.model, Device.family)
                       .label("fault_label_json"), count.scalar_subquery().label("capped_total"))
                .select_from(inner)
                .outerjoin(Customer, Customer.id == inner.c.customer_id)
                .outerjoin(User, User.id == inner.c.assignee_id)
                .outerjoin(Device, Device.id == inner.c.device_id)
                .order_by(inner.c.created_at.desc(), inner.c.id.desc()))
        built = _LIST_STATEMENTS[shape] = (page, count)
    return built


def list_orders(
    session: Session, f: OrderFilter, limit: int, offset: int, count_cap: int
) -> tuple[list[dict[str, Any]], int, bool]:
    """A page of orders, newest first (each with `fault_label_json`), and the total: exact
    up to `count_cap` matches.

    Counting a million matching rows costs tens of milliseconds on every page; past the cap
    the total is reported as a lower bound (total_exact = false) instead.
    """
    page, count = _list_statements(_shape(f))
    values = {**_values(f), "limit": limit, "offset": offset, "cap": count_cap + 1}
    conn = session.connection()
    # plain rows, not ORM objects: a list is read-only, and building 20 tracked objects costs
    # more than the query (and a Row's mapping lists its keys again for every row)
    result = conn.execute(page, values)
    keys = list(result.keys())
    rows = [dict(zip(keys, r, strict=True)) for r in result.all()]
    n = rows[0]["capped_total"] if rows else None
    for r in rows:
        del r["capped_total"]
    if len(rows) < limit and (rows or offset == 0):
        return rows, offset + len(rows), True  # the last page: the count is known
    if n is None:  # past the last page
        n = conn.execute(count, values).scalar() or 0
    if n <= count_cap:
        return rows, n, True
    return rows, max(count_cap, offset + len(rows)), False


def _bump_statement(insert_fn: Any) -> Any:
    return insert_fn(NumberSequence).values(key=bindparam("key"), value=bindparam("n")
                                            ).on_conflict_do_update(
        index_elements=[NumberSequence.key],
        set_={"value": NumberSequence.value + bindparam("n")},
    ).returning(NumberSequence.value)


# built once per dialect: statement construction dominates the cost of running it
_BUMP = {"postgresql": _bump_statement(pg_insert), "sqlite": _bump_statement(sqlite_insert)}


def format_number(key: str, n: int) -> str:
    """The order number shared by every type: WO-<yymm>-<n>, e.g. WO-2601-000123."""
    return f"WO-{key}-{n:06d}"


def _take_numbers(session: Session, key: str, n: int) -> int:
    """Atomically move the counter for `key` on by `n` (one statement, safe under
    concurrency: the row stays locked until the COMMIT); returns the first number taken."""
    conn = session.connection()
    return int(conn.execute(_BUMP[conn.dialect.name], {"key": key, "n": n}).scalar_one()) - n + 1


_INSERT_ORDER = insert(WorkOrder).returning(WorkOrder.id)
# every column, at its default: a new order's row and its in-memory object set them all, so
# reading one later does not send a SELECT for "expired" ones
_BLANK = {c.key: c.default.arg if c.default is not None and c.default.is_scalar else None
          for c in WorkOrder.__table__.columns if c.key != "id"}


@dataclass
class _NewOrder:
    order: WorkOrder
    values: dict[str, Any]
    key: str
    refs: list[dict[str, Any]]
    on_number: Callable[[str], None] | None


@dataclass
class _NewOrders:
    """A group transaction's new orders: ids reserved, rows and numbers at the end."""
    items: list[_NewOrder] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)

    def reserve_id(self, session: Session) -> int:
        if not self.ids:
            conn = session.connection()
            n = groupcommit.batch_size(session)
            if conn.dialect.name == "postgresql":  # a sequence never waits for a lock
                self.ids = list(conn.scalars(_RESERVE_IDS, {"n": n}))
            else:  # the batch holds SQLite's only write lock: nobody else inserts meanwhile
                top = self.items[-1].order.id if self.items else conn.scalar(_MAX_ID) or 0
                self.ids = list(range(top + 1, top + 1 + n))
        return self.ids.pop(0)


_RESERVE_IDS = text("SELECT nextval(pg_get_serial_sequence('work_orders', 'id')) "
                    "FROM generate_series(1, :n)")
_MAX_ID = select(func.max(WorkOrder.id))


def insert_order(session: Session, values: dict[str, Any], number_key: str, *,
                 refs: list[dict[str, Any]] | None = None,
                 on_number: Callable[[str], None] | None = None) -> WorkOrder:
    """Insert a new order numbered from the counter `number_key` (and its external `refs`),
    then hand the session the row as a persistent object, without another SELECT.
    `on_number(number)` runs once the number is known. The SLA's next check (`sla_next_at`
    in `values`) goes to the sweeper's table.

    Alone, it all happens at once. In a group transaction the order gets its id now, from a
    block reserved for the batch, and its number and row at the end of the batch
    (`_store_orders`): the month's counter is locked only from there to the COMMIT, and the
    batch's orders go in with one INSERT."""
    values = {**_BLANK, **values}
    next_at = values.pop("sla_next_at", None)
    batch = groupcommit.pending(session, "orders", _NewOrders)
    if batch is None:
        values["number"] = format_number(number_key, _take_numbers(session, number_key, 1))
        order_id = int(session.connection().execute(_INSERT_ORDER, values).scalar_one())
    else:
        order_id = batch.reserve_id(session)
    order = WorkOrder(id=order_id, **values)
    make_transient_to_detached(order)
    session.add(order)
    if batch is None:
        if refs:
            replace_external_refs(session, order_id, refs)
        if on_number is not None:
            on_number(order.number)
    else:
        batch.items.append(_NewOrder(order, {"id": order_id, **values}, number_key,
                                     refs or [], on_number))
        groupcommit.before_commit(session, _store_orders, first=True)
    if next_at is not None:
        timers.set_next_check(session, order_id, next_at)
    return order


def _store_orders(session: Session) -> None:
    """Number the batch's new orders in arrival order (one counter move per month) and
    insert them, then their external references."""
    batch: _NewOrders = groupcommit.pending(session, "orders", _NewOrders)
    for key in dict.fromkeys(item.key for item in batch.items):
        mine = [item for item in batch.items if item.key == key]
        first = _take_numbers(session, key, len(mine))
        for i, item in enumerate(mine):
            number = item.values["number"] = format_number(key, first + i)
            set_committed_value(item.order, "number", number)
            if item.on_number is not None:
                item.on_number(number)
    conn = session.connection()
    bulk.insert_rows(conn, WorkOrder.__table__, [item.values for item in batch.items])
    refs = [{**_BLANK_REF, "work_order_id": item.order.id, **r}
            for item in batch.items for r in item.refs]
    bulk.insert_rows(conn, ExternalRef.__table__, refs)


_BLANK_REF = {"url": None, "last_synced_at": None}


def compare_and_set(session: Session, order: WorkOrder, values: dict[str, Any]) -> bool:
    """UPDATE … WHERE id = :id AND version = :expected; False when someone got there first.

    On success the in-memory order takes the new values without another SELECT. A new SLA
    next check (`sla_next_at` in `values`) goes to the sweeper's table.
    """
    values = {**values, "version": order.version + 1}
    moved, next_at = "sla_next_at" in values, values.pop("sla_next_at", None)
    result = session.connection().execute(
        update(WorkOrder).where(WorkOrder.id == order.id, WorkOrder.version == order.version)
        .values(**values)
    )
    if result.rowcount != 1:
        return False
    if moved:
        timers.set_next_check(session, order.id, next_at)
    for key, value in values.items():
        set_committed_value(order, key, value)
    return True


def refresh(session: Session, order: WorkOrder) -> WorkOrder:
    session.refresh(order)
    return order


_REFS = (select(ExternalRef).where(ExternalRef.work_order_id == bindparam("oid"))
         .order_by(ExternalRef.id))


def external_refs(session: Session, order_id: int) -> list[ExternalRef]:
    return list(session.scalars(_REFS, {"oid": order_id}))


def external_ref_owner(session: Session, system: str, external_id: str) -> int | None:
    return session.scalar(select(ExternalRef.work_order_id).where(
        ExternalRef.system == system, ExternalRef.external_id == external_id))


def replace_external_refs(session: Session, order_id: int, refs: list[dict[str, Any]]) -> None:
    for old in external_refs(session, order_id):
        session.delete(old)
    session.flush()
    session.add_all(ExternalRef(work_order_id=order_id, **r) for r in refs)
    session.flush()


def confirmation_kinds(session: Session, order_id: int, since: datetime | None) -> frozenset[str]:
    stmt = select(Confirmation.kind).where(Confirmation.work_order_id == order_id)
    if since is not None:
        stmt = stmt.where(Confirmation.created_at >= since)
    return frozenset(session.scalars(stmt))


def add(session: Session, obj: Any) -> None:
    session.add(obj)
    session.flush()


def recent_closes_by(session: Session, actor_id: int, since: datetime) -> int:
    """How many orders this person closed since `since` (for bulk-close detection)."""
    return session.scalar(
        select(func.count(WorkOrder.id)).where(
            WorkOrder.closed_by_id == actor_id, WorkOrder.closed_at >= since)
    ) or 0


def list_suspected(
    session: Session, limit: int, offset: int
) -> tuple[list[tuple[SuspectedFakeCompletion, str, str | None]], int]:
    """Flags newest first, with the order number and the name of who closed it."""
    total = session.scalar(select(func.count(SuspectedFakeCompletion.id))) or 0
    rows = session.execute(
        select(SuspectedFakeCompletion, WorkOrder.number, User.display_name)
        .join(WorkOrder, WorkOrder.id == SuspectedFakeCompletion.work_order_id)
        .outerjoin(User, User.id == SuspectedFakeCompletion.actor_id)
        .order_by(SuspectedFakeCompletion.created_at.desc(), SuspectedFakeCompletion.id.desc())
        .limit(limit).offset(offset)
    ).all()
    return [(r[0], r[1], r[2]) for r in rows], total


def exists_for(session: Session, *, customer_id: int | None = None,
               device_id: int | None = None) -> bool:
    stmt = select(WorkOrder.id)
    if customer_id is not None:
        stmt = stmt.where(WorkOrder.customer_id == customer_id)
    if device_id is not None:
        stmt = stmt.where(WorkOrder.device_id == device_id)
    return session.scalar(stmt.limit(1)) is not None


def saved_views_for(session: Session, user_id: int, role: str) -> list[SavedView]:
    return list(session.scalars(select(SavedView).where(
        or_(SavedView.owner_id == user_id, SavedView.role == role)).order_by(SavedView.name)))


def get_saved_view(session: Session, view_id: int) -> SavedView | None:
    return session.get(SavedView, view_id)


def delete(session: Session, obj: Any) -> None:
    session.delete(obj)
    session.flush()


def by_tracking_code(session: Session, code: str) -> WorkOrder | None:
    return session.scalar(select(WorkOrder).where(WorkOrder.tracking_code == code))


def open_for_device(session: Session, device_id: int, states: frozenset[str]) -> list[WorkOrder]:
    return list(session.scalars(select(WorkOrder).where(
        WorkOrder.device_id == device_id, WorkOrder.state.in_(states))
        .order_by(WorkOrder.created_at.desc()).limit(5)))


def latest_confirmation(session: Session, order_id: int, kind: str) -> Confirmation | None:
    return session.scalar(select(Confirmation).where(
        Confirmation.work_order_id == order_id, Confirmation.kind == kind)
        .order_by(Confirmation.id.desc()).limit(1))


def mark_confirmed(session: Session, order: WorkOrder, at: datetime) -> bool:
    """The first confirmation since the resolve: it meets the confirmation target, so the
    sweeper has nothing left to watch. An SLA mark like the sweeper's: the version stays."""
    values = {"confirmed_at": at, "sla_due_at": None}
    done = session.connection().execute(
        update(WorkOrder).where(WorkOrder.id == order.id, WorkOrder.confirmed_at.is_(None),
                                WorkOrder.state == State.awaiting_confirmation)
        .values(**values)).rowcount == 1
    if done:
        timers.set_next_check(session, order.id, None)
        for key, value in values.items():
            set_committed_value(order, key, value)
    return done


def board(session: Session, limit: int) -> list[Row[Any]]:
    """Open orders on the director's board, longest there first."""
    cols = (*WorkOrder.__table__.c, Customer.name.label("customer_name"),
            User.display_name.label("assignee_name"))
    return list(session.execute(
        select(*cols).outerjoin(Customer, Customer.id == WorkOrder.customer_id)
        .outerjoin(User, User.id == WorkOrder.assignee_id)
        .where(WorkOrder.board_since.is_not(None), WorkOrder.state.in_(OPEN_STATES))
        .order_by(WorkOrder.board_since, WorkOrder.id).limit(limit)))


def count_overdue(session: Session, now: datetime) -> int:
    """Open orders past a deadline (counted up to 10,000)."""
    f = OrderFilter(overdue_at=now)
    _, count = _list_statements(_shape(f))
    return session.connection().execute(count, {**_values(f), "cap": 10_000}).scalar() or 0
