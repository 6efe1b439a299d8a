"""Transitions as data, and named guards. Pure: no I/O; the service gathers the facts."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bihuan.users.roles import CUSTOMER, Role
from bihuan.workorders.enums import LABELS, OrderType, State

PREVIOUS = "@previous"  # target of `resume`: the state the order was held from


@dataclass(frozen=True)
class GuardFailure:
    code: str
    zh: str
    en: str


@dataclass
class GuardContext:
    """What a guard may look at. Filled by the service before `check_transition`."""

    order: Any
    actor_role: str
    actor_id: int | None
    payload: dict[str, Any]
    now: datetime
    confirmation_kinds: frozenset[str] = frozenset()


Guard = Callable[[GuardContext], GuardFailure | None]
GUARDS: dict[str, Guard] = {}


def guard(name: str) -> Callable[[Guard], Guard]:
    """Register a named guard; later capabilities add theirs here without touching the engine."""

    def deco(fn: Guard) -> Guard:
        GUARDS[name] = fn
        return fn

    return deco


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    guards: tuple[str, ...] = ()
    needs_reason: bool = False
    label: tuple[str, str] = ("", "")


@dataclass
class Workflow:
    order_type: str
    transitions: list[Transition] = field(default_factory=list)

    def __post_init__(self) -> None:
        for t in self.transitions:
            # a rule, not a default: no workflow may ever let an engineer close
            if t.target == State.closed and Role.engineer in t.roles:
                raise ValueError(f"{self.order_type}.{t.action}: engineers can never close")
            unknown = [g for g in t.guards if g not in GUARDS]
            if unknown:
                raise ValueError(f"{self.order_type}.{t.action}: unknown guards {unknown}")

    def find(self, action: str, state: str) -> Transition | None:
        return next(
            (t for t in self.transitions if t.action == action and state in t.sources), None
        )

    def actions(self) -> set[str]:
        return {t.action for t in self.transitions}


# ---------------------------------------------------------------- guards
@guard("has_assignee")
def has_assignee(ctx: GuardContext) -> GuardFailure | None:
    if ctx.payload.get("assignee_id") is None:
        return GuardFailure("assignee_required", "派单需指定工程师(assignee_id)",
                            "Assigning needs an engineer (assignee_id)")
    return None


@guard("actor_is_assignee")
def actor_is_assignee(ctx: GuardContext) -> GuardFailure | None:
    if ctx.actor_role == Role.engineer and ctx.order.assignee_id != ctx.actor_id:
        return GuardFailure("not_assignee", "只有被派单的工程师可以执行此操作",
                            "Only the assigned engineer can do this")
    return None


@guard("has_repair_note")
def has_repair_note(ctx: GuardContext) -> GuardFailure | None:
    if not (ctx.order.repair_note or "").strip():
        return GuardFailure("repair_note_required", "完工前需填写维修说明(repair_note)",
                            "Write a repair note (repair_note) before resolving")
    return None


@guard("has_photo")
def has_photo(ctx: GuardContext) -> GuardFailure | None:
    if not ctx.order.photo_refs:
        return GuardFailure("photo_required", "完工前需至少上传一张维修照片(photo_refs)",
                            "Add at least one repair photo (photo_refs) before resolving")
    return None


@guard("has_customer_confirmation")
def has_customer_confirmation(ctx: GuardContext) -> GuardFailure | None:
    if "customer" not in ctx.confirmation_kinds:
        return GuardFailure("customer_confirmation_required",
                            "关单需客户确认记录(签字或扫码确认)",
                            "Closing needs the customer's confirmation (signature or QR confirm)")
    return None


@guard("has_qa_verification")
def has_qa_verification(ctx: GuardContext) -> GuardFailure | None:
    if "qa" not in ctx.confirmation_kinds:
        return GuardFailure("qa_verification_required", "产线异常关单需质检验证记录",
                            "Closing a production-line exception needs a QA verification record")
    return None


@guard("has_any_confirmation")
def has_any_confirmation(ctx: GuardContext) -> GuardFailure | None:
    if not ctx.confirmation_kinds:
        return GuardFailure("confirmation_required", "关单需客户确认或质检验证记录",
                            "Closing needs a customer confirmation or a QA verification record")
    return None


# ---------------------------------------------------------------- tables
A, AG, D, E, S, DIR = (Role.admin, Role.agent, Role.dispatcher, Role.engineer, Role.supervisor,
                       Role.director)


def _t(action: str, sources: set[str], target: str, roles: set[str], *guards: str,
       reason: bool = False, label: tuple[str, str] = ("", "")) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles), guards, reason, label)


def _common(close_guard: str, close_roles: set[str]) -> list[Transition]:
    s = State
    return [
        _t("dispatch", {s.new}, s.dispatching, {A, AG, D, S}, label=("转派单", "Send to dispatch")),
        _t("assign", {s.new, s.dispatching, s.assigned}, s.assigned, {A, D, S}, "has_assignee",
           label=("派单", "Assign")),
        _t("accept", {s.assigned}, s.assigned, {E, A}, "actor_is_assignee",
           label=("接单", "Accept")),
        _t("decline", {s.assigned}, s.dispatching, {E, A, D}, "actor_is_assignee", reason=True,
           label=("拒单", "Decline")),
        _t("start", {s.assigned}, s.in_progress, {E, A}, "actor_is_assignee",
           label=("开始处理", "Start work")),
        _t("hold", {s.dispatching, s.assigned, s.in_progress}, s.on_hold, {E, A, AG, D, S},
           "actor_is_assignee", reason=True, label=("挂起", "Put on hold")),
        _t("resume", {s.on_hold}, PREVIOUS, {E, A, AG, D, S}, "actor_is_assignee",
           label=("恢复", "Resume")),
        _t("resolve", {s.in_progress}, s.awaiting_confirmation, {E, A}, "actor_is_assignee",
           "has_repair_note", "has_photo", label=("完工提交", "Resolve")),
        _t("reopen", {s.awaiting_confirmation}, s.in_progress, {A, AG, D, S, CUSTOMER}, reason=True,
           label=("退回重修", "Reopen")),
        _t("close", {s.awaiting_confirmation}, s.closed, close_roles, close_guard,
           label=("关单", "Close")),
        _t("cancel", {s.new, s.dispatching, s.assigned, s.on_hold}, s.cancelled, {A, AG, D, S},
           reason=True, label=("取消", "Cancel")),
    ]


WORKFLOWS: dict[str, Workflow] = {
    OrderType.repair: Workflow(
        OrderType.repair, _common("has_customer_confirmation", {A, AG, S, CUSTOMER})),
    OrderType.maintenance: Workflow(
        OrderType.maintenance, _common("has_any_confirmation", {A, AG, D, S, CUSTOMER})),
    OrderType.production_exception: Workflow(
        OrderType.production_exception, _common("has_qa_verification", {A, S})),
}

ALL_ACTIONS = sorted({t.action for w in WORKFLOWS.values() for t in w.transitions})
_ = DIR  # directors watch; they never move orders


@dataclass(frozen=True)
class Decision:
    transition: Transition | None
    target: str | None
    failures: tuple[GuardFailure, ...]
    error: GuardFailure | None = None


def check_transition(workflow: Workflow, action: str, ctx: GuardContext) -> Decision:
    """Decide whether `action` may run now; every failing guard gives its reason."""
    state = ctx.order.state
    t = workflow.find(action, state)
    if t is None:
        known = action in workflow.actions()
        err = GuardFailure(
            "invalid_transition" if known else "unknown_action",
            f"当前状态「{LABELS['state'].get(state, (state,))[0]}」({state})不允许执行「{action}」"
            if known
            else f"未知操作「{action}」",
            f"Action '{action}' is not allowed in state '{state}'" if known
            else f"Unknown action '{action}'",
        )
        return Decision(None, None, (), err)
    if ctx.actor_role not in t.roles:
        err = GuardFailure("role_not_allowed", f"当前角色无权执行「{action}」",
                           f"Your role may not perform '{action}'")
        return Decision(t, None, (), err)
    if t.needs_reason and not (ctx.payload.get("reason") or "").strip():
        err = GuardFailure("reason_required", f"执行「{action}」需填写原因(reason)",
                           f"'{action}' needs a reason")
        return Decision(t, None, (), err)
    failures = tuple(f for g in t.guards if (f := GUARDS[g](ctx)) is not None)
    target = ctx.order.hold_from_state if t.target == PREVIOUS else t.target
    return Decision(t, target, failures)
