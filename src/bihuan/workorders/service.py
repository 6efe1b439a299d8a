"""Work-order use cases: access_ (load + authorise), check_ (validate), do_ (mutate + audit)."""

import hashlib
import json
import secrets
from dataclasses import replace
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bihuan.audit import service as audit
from bihuan.config import Settings
from bihuan.customers import service as customers
from bihuan.devices import service as devices
from bihuan.errors import BadInput, Conflict, DomainError, Forbidden, not_found
from bihuan.kit.clock import utcnow
from bihuan.kit.context import RequestContext
from bihuan.sla import service as sla
from bihuan.users import service as users
from bihuan.users.roles import Role
from bihuan.workorders import repository, timers
from bihuan.workorders.enums import OPEN_STATES, OrderType, State
from bihuan.workorders.models import Confirmation, SavedView, SuspectedFakeCompletion, WorkOrder
from bihuan.workorders.repository import OrderFilter
from bihuan.workorders.schemas import (
    ActionOut,
    ConfirmationIn,
    SavedViewIn,
    TransitionIn,
    WorkOrderCreate,
    WorkOrderDetail,
    WorkOrderUpdate,
)
from bihuan.workorders.workflow import WORKFLOWS, GuardContext, check_transition

ENTITY = "work_order"
# what an engineer may edit on an order assigned to them
ENGINEER_FIELDS = frozenset({"repair_note", "photo_refs"})
LOCKED_STATES = frozenset({State.closed, State.cancelled})
# what a saved view may hold: the list endpoint's query parameters
VIEW_FILTERS = frozenset({"state", "type", "customer_id", "assignee_id", "device_id",
                          "created_from", "created_to", "q", "overdue"})


def _json(v: Any) -> Any:
    if isinstance(v, datetime | date):
        return v.isoformat()
    return v


# ---------------------------------------------------------------- access_
def access_order(session: Session, ctx: RequestContext, order_id: int) -> WorkOrder:
    """Load an order the actor may see; 404 (not 403) for orders they may not know of."""
    order = repository.get(session, order_id)
    if order is None or not _may_see(ctx, order):
        raise not_found("工单", "Work order")
    return order


def _may_see(ctx: RequestContext, order: WorkOrder) -> bool:
    if ctx.actor.role == Role.engineer:
        return order.assignee_id == ctx.actor.user_id
    return True


def list_orders(
    session: Session, ctx: RequestContext, settings: Settings, f: OrderFilter, limit: int,
    offset: int,
) -> tuple[list[Any], int, bool]:
    """List orders visible to the actor (engineers only ever see their own); the flag says
    whether the total is exact."""
    if ctx.actor.role == Role.engineer:
        if f.assignee_id not in (None, ctx.actor.user_id):
            return [], 0, True
        f.assignee_id = ctx.actor.user_id
    items, total, exact = repository.list_orders(session, f, limit, offset,
                                                 settings.list_count_cap)
    now = utcnow()
    teams = sla.teams_of(session, {item["assignee_id"] for item in items})
    for item in items:
        item["fault_label"] = _fault_label(item.pop("fault_label_json"), item["fault_type"])
        item["sla"] = sla.describe(SimpleNamespace(**item), session, now,
                                   item.get("customer_region"), teams.get(item["assignee_id"]))
    return items, total, exact


# ---------------------------------------------------------------- create
def _check_links(session: Session, customer_id: int | None, device_id: int | None) -> int | None:
    """Validate customer/device links; returns the effective customer id."""
    if customer_id is not None and customers.get_customer(session, customer_id) is None:
        raise BadInput(f"客户 {customer_id} 不存在", f"Customer {customer_id} does not exist",
                       code="customer_not_found")
    if device_id is not None:
        device = devices.get_device(session, device_id)
        if device is None:
            raise BadInput(f"设备 {device_id} 不存在", f"Device {device_id} does not exist",
                           code="device_not_found")
        if customer_id is None:
            return device.customer_id
        if device.customer_id not in (None, customer_id):
            raise BadInput("设备不属于所选客户", "The device does not belong to this customer",
                           code="device_customer_mismatch")
    return customer_id


def _facts(session: Session, customer_id: int | None, fault_type: str | None,
           priority: str, assignee_id: int | None = None) -> sla.OrderFacts:
    """What the SLA matrix and calendars look at: the customer's tier and region, the fault
    type, the priority and the assignee's team."""
    customer = customers.get_customer(session, customer_id) if customer_id else None
    return sla.OrderFacts(tier=customer.tier if customer else None,
                          region=customer.province if customer else None,
                          customer_id=customer_id, fault_type=fault_type, priority=priority,
                          team=sla.team_of(session, assignee_id))


def _check_refs(session: Session, refs: list[dict[str, Any]], order_id: int | None) -> None:
    seen = set()
    for r in refs:
        key = (r["system"], r["external_id"])
        owner = repository.external_ref_owner(session, *key)
        if key in seen or owner not in (None, order_id):
            raise Conflict(f"外部单号 {key[0]}:{key[1]} 已关联其他工单",
                           f"External reference {key[0]}:{key[1]} is already linked",
                           code="external_ref_taken")
        seen.add(key)


def number_key(settings: Settings, now: datetime) -> str:
    """Numbers count per month of the plant's calendar: WO-2601-000123."""
    return now.astimezone(ZoneInfo(settings.timezone)).strftime("%y%m")


# no 0/O, 1/I/L: the code is read aloud on the phone and typed in by hand
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_tracking_code() -> str:
    """10 random characters (49 bits): unguessable at any rate the portal allows."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))


# not part of an event's changes: the time of the change is the event's own, and the
# sweeper's next check is its bookkeeping (sla_timers), not a fact about the order
_UNAUDITED = ("updated_at", "sla_next_at")


def create_order(
    session: Session, ctx: RequestContext, settings: Settings, data: WorkOrderCreate
) -> WorkOrder:
    """Create an order in state `new`, with its number and its audit event."""
    customer_id = _check_links(session, data.customer_id, data.device_id)
    if data.type == OrderType.repair and customer_id is None:
        raise BadInput("售后维修工单需指定客户或客户设备", "A repair order needs a customer or "
                       "one of the customer's devices", code="customer_required")
    refs = [r.model_dump() for r in data.external_refs]
    _check_refs(session, refs, None)
    now = utcnow()
    values = data.model_dump(exclude={"external_refs"})
    values.update(customer_id=customer_id, state=State.new, reporter_id=ctx.actor.user_id,
                  photo_refs=[], created_at=now, updated_at=now, version=1)
    values.update(sla.start_values(session, _facts(session, customer_id, data.fault_type,
                                                   data.priority), now))
    values["tracking_code"] = new_tracking_code()
    snapshot = {k: [None, _json(v)] for k, v in values.items()
                if v not in (None, [], "") and k not in ("created_at", "version", *_UNAUDITED)}
    # in a group transaction the number comes at the end of the batch, before the audit
    # events are chained (see repository.insert_order)
    snapshot["number"] = number = [None, None]
    if refs:
        snapshot["external_refs"] = [None, [{k: _json(v) for k, v in r.items()} for r in refs]]
    order = repository.insert_order(session, values, number_key(settings, now), refs=refs,
                                    on_number=lambda n: number.__setitem__(1, n))
    audit.record(session, ctx, "create", ENTITY, order.id, snapshot)
    return order


# ---------------------------------------------------------------- update
def check_update(ctx: RequestContext, order: WorkOrder, data: WorkOrderUpdate) -> dict[str, Any]:
    fields = data.model_dump(exclude_unset=True, exclude={"reason", "expected_version"})
    if ctx.actor.role == Role.engineer:
        extra = set(fields) - ENGINEER_FIELDS
        if extra:
            raise Forbidden(f"工程师不能修改字段:{', '.join(sorted(extra))}",
                            f"Engineers may not change: {', '.join(sorted(extra))}",
                            code="field_not_allowed")
    if order.state in LOCKED_STATES and not data.reason:
        raise BadInput("修改已关闭或已取消的工单需填写原因(reason)",
                       "Editing a closed or cancelled order needs a reason",
                       code="reason_required")
    if data.expected_version is not None and data.expected_version != order.version:
        raise _state_conflict(order)
    return fields


def update_order(
    session: Session, ctx: RequestContext, order: WorkOrder, data: WorkOrderUpdate
) -> WorkOrder:
    """Change fields; writes one audit event with before/after values, or nothing if unchanged."""
    fields = check_update(ctx, order, data)
    refs = fields.pop("external_refs", None)
    if "customer_id" in fields or "device_id" in fields:
        cust = fields.get("customer_id", order.customer_id)
        fields["customer_id"] = _check_links(session, cust, fields.get("device_id",
                                                                        order.device_id))
    changes = {k: [_json(getattr(order, k)), _json(v)] for k, v in fields.items()
               if getattr(order, k) != v}
    if refs is not None:
        old = [{"system": r.system, "external_id": r.external_id, "url": r.url,
                "last_synced_at": _json(r.last_synced_at)}
               for r in repository.external_refs(session, order.id)]
        new = [{k: _json(v) for k, v in r.items()} for r in refs]
        if old != new:
            _check_refs(session, refs, order.id)
            changes["external_refs"] = [old, new]
    if not changes:
        return order
    values = {k: v for k, v in fields.items() if k in changes}
    values["updated_at"] = utcnow()
    if {"priority", "fault_type", "customer_id"} & set(values):
        facts = _facts(session, values.get("customer_id", order.customer_id),
                       values.get("fault_type", order.fault_type),
                       values.get("priority", order.priority), order.assignee_id)
        # another customer may bring another calendar: the clock moves from the old one
        before = (_facts(session, order.customer_id, order.fault_type, order.priority,
                         order.assignee_id) if "customer_id" in values else None)
        retarget = sla.retarget_values(session, _with(order, values), facts, values["updated_at"],
                                       before)
        if "sla_policy_id" in retarget:
            changes["sla_policy_id"] = [order.sla_policy_id, retarget["sla_policy_id"]]
        values.update(retarget)
    if not repository.compare_and_set(session, order, values):
        raise _lost_race(session, order)
    if "external_refs" in changes:
        repository.replace_external_refs(session, order.id, refs or [])
    audit.record(session, ctx, "update", ENTITY, order.id, changes, data.reason)
    return order


def check_evidence_allowed(ctx: RequestContext, order: WorkOrder) -> None:
    """Files can be added while the order is open; closed and cancelled orders are final."""
    if order.state in LOCKED_STATES:
        raise Conflict("已关闭或已取消的工单不能再添加附件",
                       "Files cannot be added to a closed or cancelled order",
                       code="order_locked")


def add_photo_ref(session: Session, ctx: RequestContext, order: WorkOrder, ref: str) -> None:
    """Count an uploaded photo as repair evidence (what `has_photo` looks at)."""
    old = list(order.photo_refs)
    if not repository.compare_and_set(session, order, {"photo_refs": [*old, ref],
                                                       "updated_at": utcnow()}):
        raise _lost_race(session, order)
    audit.record(session, ctx, "update", ENTITY, order.id, {"photo_refs": [old, [*old, ref]]})


def _with(order: WorkOrder, values: dict[str, Any]) -> Any:
    """A read-only view of the order with `values` applied (for rules that look ahead)."""
    view = {c.key: getattr(order, c.key) for c in WorkOrder.__table__.columns}
    return SimpleNamespace(**{**view, **values})


# ---------------------------------------------------------------- transitions
def _state_conflict(order: WorkOrder) -> Conflict:
    return Conflict("工单已被他人修改,请刷新后重试",
                    "The order was changed by someone else; reload and try again",
                    code="state_conflict",
                    details={"state": order.state, "version": order.version})


def _lost_race(session: Session, order: WorkOrder) -> Conflict:
    """The compare-and-set met a newer version: report the order as it is now, not as read."""
    return _state_conflict(repository.refresh(session, order))


def _guard_context(session: Session, ctx: RequestContext, order: WorkOrder,
                   payload: dict[str, Any]) -> GuardContext:
    # only closing looks at confirmations, and only orders awaiting confirmation can close
    kinds = (repository.confirmation_kinds(session, order.id, order.resolved_at)
             if order.state == State.awaiting_confirmation else frozenset())
    return GuardContext(order=order, actor_role=ctx.actor.role, actor_id=ctx.actor.user_id,
                        payload=payload, now=utcnow(), confirmation_kinds=kinds)


def available_actions(session: Session, ctx: RequestContext, order: WorkOrder) -> list[ActionOut]:
    """Actions from this state that the actor's role may take, with any blocking reasons."""
    wf = WORKFLOWS[order.type]
    out = []
    # placeholders so that only the order's own guards speak, not the missing payload
    gctx = _guard_context(session, ctx, order, {"assignee_id": -1, "reason": "x"})
    for t in wf.transitions:
        if order.state not in t.sources or ctx.actor.role not in t.roles:
            continue
        decision = check_transition(wf, t.action, gctx)
        reasons = [{"code": f.code, "zh-CN": f.zh, "en": f.en} for f in decision.failures]
        out.append(ActionOut(action=t.action, label={"zh-CN": t.label[0], "en": t.label[1]},
                             allowed=not reasons, needs_reason=t.needs_reason, reasons=reasons))
    return out


def check_transition_request(
    session: Session, ctx: RequestContext, order: WorkOrder, data: TransitionIn
) -> tuple[str, dict[str, Any]]:
    """Validate a transition; returns the target state and the extra column values."""
    if data.expected_version is not None and data.expected_version != order.version:
        raise _state_conflict(order)
    payload = data.model_dump(exclude={"gps"})
    decision = check_transition(WORKFLOWS[order.type], data.action, _guard_context(
        session, ctx, order, payload))
    if decision.error:
        e = decision.error
        status = 403 if e.code == "role_not_allowed" else (
            400 if e.code in ("reason_required", "unknown_action") else 409)
        raise DomainError(e.zh, e.en, code=e.code, status_code=status)
    if decision.failures:
        first = decision.failures[0]
        raise Conflict(first.zh, first.en, code=first.code,
                       details=[{"code": f.code, "zh-CN": f.zh, "en": f.en}
                                for f in decision.failures])
    assert decision.target is not None
    extra: dict[str, Any] = {}
    if data.action == "assign":
        _check_assignee(session, data.assignee_id)
        extra.update(assignee_id=data.assignee_id, accepted_at=None)
    return decision.target, extra


def _check_assignee(session: Session, user_id: int | None) -> None:
    user = users.get_user(session, user_id) if user_id is not None else None
    if user is None or user.role != Role.engineer or not user.is_active:
        raise BadInput("只能派给在职的工程师", "Orders can only be assigned to an active engineer",
                       code="assignee_not_engineer")


def transition(
    session: Session, ctx: RequestContext, settings: Settings, order: WorkOrder,
    data: TransitionIn,
) -> WorkOrder:
    """Apply one workflow action with compare-and-set; the loser of a race gets 409."""
    ctx = ctx.with_gps(data.gps)
    target, values = check_transition_request(session, ctx, order, data)
    now = utcnow()
    before = {"state": order.state}
    if data.action == "accept":
        values["accepted_at"] = now
    elif data.action == "start":
        values["started_at"] = now
    elif data.action == "resolve":
        values["resolved_at"] = now
    elif data.action == "reopen":  # sent back: not resolved any more; the clock runs again
        values["resolved_at"] = None
    elif data.action == "close":
        values.update(closed_at=now, closed_by_id=ctx.actor.user_id)
    elif data.action == "hold":
        values["hold_from_state"] = order.state
    elif data.action == "resume":
        values["hold_from_state"] = None
    elif data.action == "decline":
        values.update(assignee_id=None, accepted_at=None)
    values.update(state=target, updated_at=now)
    if data.action == "close":
        values["customer_seconds"] = (now - order.created_at).total_seconds()
    after = _with(order, values)
    facts = _facts(session, order.customer_id, order.fault_type, order.priority,
                   after.assignee_id)
    # a new assignee (assigned, reassigned, declined) may count on their team's calendar
    was = (None if after.assignee_id == order.assignee_id else
           replace(facts, team=sla.team_of(session, order.assignee_id)))
    values.update(sla.transition_values(session, after, facts, data.action, now, was))
    for k in values:
        if k not in before and k not in _UNAUDITED:
            before[k] = getattr(order, k)
    if not repository.compare_and_set(session, order, values):
        raise _lost_race(session, order)
    changes = {k: [_json(before[k]), _json(v)] for k, v in values.items()
               if k not in _UNAUDITED and before.get(k) != v}
    changes["action"] = [None, data.action]
    audit.record(session, ctx, f"transition:{data.action}", ENTITY, order.id, changes,
                 data.reason)
    if data.action == "close":
        _flag_fake_completion(session, ctx, settings, order)
    return order


def _flag_fake_completion(session: Session, ctx: RequestContext, settings: Settings,
                          order: WorkOrder) -> None:
    """Record a close that came too soon after the resolve, or as part of a bulk run."""
    now = order.closed_at or utcnow()
    seconds = (now - order.resolved_at).total_seconds() if order.resolved_at else None
    reasons: list[tuple[str, dict[str, Any]]] = []
    if seconds is not None and seconds < settings.fake_completion_seconds:
        reasons.append(("fast_close", {"threshold_seconds": settings.fake_completion_seconds}))
    if ctx.bulk:
        reasons.append(("bulk", {"source": "bulk_transitions"}))
    elif ctx.actor.user_id is not None:
        since = now - timedelta(seconds=settings.bulk_close_window_seconds)
        n = repository.recent_closes_by(session, ctx.actor.user_id, since)
        if n >= settings.bulk_close_count:
            reasons.append(("bulk", {"closes_in_window": n,
                                     "window_seconds": settings.bulk_close_window_seconds}))
    for reason, detail in reasons:
        repository.add(session, SuspectedFakeCompletion(
            work_order_id=order.id, actor_id=ctx.actor.user_id, reason=reason,
            seconds_after_resolve=seconds, detail=detail, created_at=now))
        audit.record(session, ctx, "flag:suspected_fake_completion", ENTITY, order.id,
                     {"suspected_fake_completion": [None, {"reason": reason, **detail}]})


# ---------------------------------------------------------------- confirmations
def add_confirmation(
    session: Session, ctx: RequestContext, order: WorkOrder, data: ConfirmationIn
) -> Confirmation:
    """Record a customer confirmation or QA verification for an order awaiting confirmation."""
    if order.state != State.awaiting_confirmation:
        raise Conflict("只有待确认的工单可以登记确认", "Only orders awaiting confirmation can be "
                       "confirmed", code="not_awaiting_confirmation")
    if data.kind == "qa" and ctx.actor.role not in (Role.supervisor, Role.admin):
        raise Forbidden("质检验证只能由主管/质检登记", "Only a supervisor/QA can record a QA "
                        "verification", code="role_not_allowed")
    conf = Confirmation(work_order_id=order.id, recorded_by_id=ctx.actor.user_id,
                        created_at=utcnow(), **data.model_dump())
    repository.add(session, conf)
    audit.record(session, ctx, f"confirmation:{data.kind}", ENTITY, order.id, {
        "confirmation": [None, {"id": conf.id, **data.model_dump()}],
        **_confirmed(session, order, conf.created_at)})
    return conf


def _confirmed(session: Session, order: WorkOrder, at: datetime) -> dict[str, Any]:
    """Mark the order confirmed (the first confirmation since the resolve meets the
    confirmation target); the audit change, when it was the first."""
    if not repository.mark_confirmed(session, order, at):
        return {}
    return {"confirmed_at": [None, _json(at)]}


# ---------------------------------------------------------------- reads
def read_detail(session: Session, ctx: RequestContext, order_id: int) -> WorkOrderDetail:
    """One order as its detail view shows it, read in one statement; 404 as access_order."""
    values = repository.detail_row(session, order_id)
    order = SimpleNamespace(**values) if values is not None else None
    if values is None or not _may_see(ctx, order):
        raise not_found("工单", "Work order")
    return _detail(session, ctx, order, values)


def detail(session: Session, ctx: RequestContext, order: WorkOrder) -> WorkOrderDetail:
    """The detail view of an order already loaded (after a change)."""
    values = {c.key: getattr(order, c.key) for c in WorkOrder.__table__.columns}
    return _detail(session, ctx, order, {**values, **repository.detail_extras(session, order.id)})


def _detail(session: Session, ctx: RequestContext, order: Any,
            values: dict[str, Any]) -> WorkOrderDetail:
    values["fault_label"] = _fault_label(values.pop("fault_label_json"), values["fault_type"])
    values["sla"] = sla.describe(order, session, utcnow(), values["customer_region"],
                                 sla.team_of(session, order.assignee_id))
    values["actions"] = available_actions(session, ctx, order)
    return WorkOrderDetail.model_validate(values)


def _fault_label(pair: list[str] | None, code: str | None) -> dict[str, str] | None:
    """The preset's label (zh-CN, en) found with the order's row; an unknown code as itself."""
    if pair:
        return {"zh-CN": pair[0], "en": pair[1]}
    return {"zh-CN": code, "en": code} if code else None


def list_suspected(session: Session, limit: int, offset: int
                   ) -> tuple[list[tuple[SuspectedFakeCompletion, str, str | None]], int]:
    return repository.list_suspected(session, limit, offset)


def has_orders(session: Session, *, customer_id: int | None = None,
               device_id: int | None = None) -> bool:
    """Whether any order refers to this customer or device (they cannot be deleted then)."""
    return repository.exists_for(session, customer_id=customer_id, device_id=device_id)


# ---------------------------------------------------------------- saved views
def saved_views(session: Session, ctx: RequestContext) -> list[SavedView]:
    """The actor's own views and those shared with their role."""
    assert ctx.actor.user_id is not None
    return repository.saved_views_for(session, ctx.actor.user_id, ctx.actor.role)


def create_saved_view(session: Session, ctx: RequestContext, data: SavedViewIn) -> SavedView:
    assert ctx.actor.user_id is not None
    unknown = set(data.filters) - VIEW_FILTERS
    if unknown:
        raise BadInput(f"不支持的筛选条件:{', '.join(sorted(unknown))}",
                       f"Unknown filters: {', '.join(sorted(unknown))}",
                       code="view_filter_unknown", details={"allowed": sorted(VIEW_FILTERS)})
    view = SavedView(name=data.name, filters=data.filters, owner_id=ctx.actor.user_id,
                     role=ctx.actor.role if data.shared_with_role else None,
                     created_at=utcnow())
    repository.add(session, view)
    return view


def delete_saved_view(session: Session, ctx: RequestContext, view_id: int) -> None:
    """Only the owner (or an admin) deletes a view; others get 404."""
    view = repository.get_saved_view(session, view_id)
    if view is None or (view.owner_id != ctx.actor.user_id and ctx.actor.role != Role.admin):
        raise not_found("视图", "Saved view")
    repository.delete(session, view)


# ---------------------------------------------------------------- for the customer's pages
def by_tracking_code(session: Session, code: str) -> WorkOrder | None:
    return repository.by_tracking_code(session, code)


def open_for_device(session: Session, device_id: int) -> list[WorkOrder]:
    """The device's orders still in the loop (newest first, at most 5)."""
    return repository.open_for_device(session, device_id, OPEN_STATES)


def latest_customer_confirmation(session: Session, order_id: int) -> Confirmation | None:
    return repository.latest_confirmation(session, order_id, "customer")


def add_customer_signature(session: Session, ctx: RequestContext, order: WorkOrder,
                           signed_by: str, signature: Any, strokes: list[Any]) -> Confirmation:
    """Record the customer's handwritten confirmation. The audit event carries the PNG's
    SHA-256 and a digest of the strokes, so the chain vouches for both."""
    if order.state != State.awaiting_confirmation:
        raise Conflict("只有待确认的工单可以登记确认", "Only orders awaiting confirmation can be "
                       "confirmed", code="not_awaiting_confirmation")
    conf = Confirmation(work_order_id=order.id, kind="customer", signed_by=signed_by,
                        recorded_by_id=ctx.actor.user_id, created_at=utcnow(),
                        signature_attachment_id=signature.id, signature_strokes=strokes)
    repository.add(session, conf)
    strokes_digest = hashlib.sha256(json.dumps(strokes, sort_keys=True, separators=(",", ":"))
                                    .encode()).hexdigest()
    audit.record(session, ctx, "confirmation:customer", ENTITY, order.id, {"confirmation": [
        None, {"id": conf.id, "kind": "customer", "signed_by": signed_by,
               "signature_sha256": signature.sha256, "strokes_sha256": strokes_digest}],
        **_confirmed(session, order, conf.created_at)})
    return conf


# ---------------------------------------------------------------- for the SLA sweeper
def claim_sla_due(session: Session, now: datetime, limit: int) -> list[Any]:
    return timers.claim_sla_due(session, now, limit)


def set_sla_marks(session: Session, rows: list[dict[str, Any]]) -> None:
    timers.set_sla_marks(session, rows)


def board(session: Session, limit: int = 200) -> list[Any]:
    return repository.board(session, limit)


def count_overdue(session: Session, now: datetime) -> int:
    """Open orders past a deadline (counted up to 10,000)."""
    return repository.count_overdue(session, now)
