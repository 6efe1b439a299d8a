"""Admin changes to SLA policies, the matrix, calendars, overrides and assignments. Each
is audited and clears the SLA cache; new deadlines follow from the next order change."""

from datetime import date
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from bihuan.audit import service as audit
from bihuan.engineers import service as engineers
from bihuan.errors import BadInput, Conflict, not_found
from bihuan.kit.context import RequestContext
from bihuan.sla import repository, service
from bihuan.sla.models import (
    BusinessCalendarRow,
    CalendarAssignment,
    CalendarOverride,
    SlaPolicy,
    SlaRule,
)
from bihuan.sla.schemas import AssignmentIn, CalendarIn, OverrideIn, PolicyIn, RuleIn


def _plain(data: BaseModel) -> dict[str, Any]:
    return data.model_dump(mode="json")


def _check_calendar(session: Session, calendar_id: int | None) -> None:
    if calendar_id is not None and repository.get(session, BusinessCalendarRow,
                                                  calendar_id) is None:
        raise BadInput(f"日历 {calendar_id} 不存在", f"Calendar {calendar_id} does not exist",
                       code="calendar_not_found")


def _check_name(session: Session, model: Any, name: str, own_id: int | None) -> None:
    if repository.name_taken(session, model, name, own_id):
        raise Conflict(f"名称「{name}」已被使用", f"The name {name!r} is already taken",
                       code="name_taken")


def _only_default(session: Session, model: Any, keep: Any) -> None:
    repository.clear_default(session, model, keep.id)


def _save(session: Session, ctx: RequestContext, entity: str, obj: Any, before: dict[str, Any],
          after: dict[str, Any]) -> Any:
    repository.add(session, obj)
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if changes:
        audit.record(session, ctx, "create" if not before else "update", entity, obj.id, changes)
    service.invalidate(session)
    return obj


def save_policy(session: Session, ctx: RequestContext, data: PolicyIn,
                policy_id: int | None = None) -> SlaPolicy:
    _check_calendar(session, data.calendar_id)
    p = repository.get(session, SlaPolicy, policy_id) if policy_id else SlaPolicy()
    if p is None:
        raise not_found("SLA 策略", "SLA policy")
    _check_name(session, SlaPolicy, data.name, policy_id)
    before = {k: getattr(p, k) for k in PolicyIn.model_fields} if policy_id else {}
    for k, v in data.model_dump().items():
        setattr(p, k, v)
    if p.is_default:
        _only_default(session, SlaPolicy, p)
    return _save(session, ctx, "sla_policy", p, before, _plain(data))


def replace_rules(session: Session, ctx: RequestContext, rules: list[RuleIn]) -> list[SlaRule]:
    """The matrix is edited as a whole: the order of the list is the tie-break order."""
    for r in rules:
        if repository.get(session, SlaPolicy, r.policy_id) is None:
            raise BadInput(f"SLA 策略 {r.policy_id} 不存在", f"SLA policy {r.policy_id} does not "
                           "exist", code="policy_not_found")
    old = repository.rules(session)
    before = [{"tier": r.tier, "fault_type": r.fault_type, "priority": r.priority,
               "policy_id": r.policy_id} for r in old]
    for r in old:
        repository.delete(session, r)
    new = [repository.add(session, SlaRule(position=i, **r.model_dump()))
           for i, r in enumerate(rules)]
    audit.record(session, ctx, "update", "sla_matrix", None,
                 {"rules": [before, [r.model_dump() for r in rules]]})
    service.invalidate(session)
    return new


def save_calendar(session: Session, ctx: RequestContext, data: CalendarIn,
                  calendar_id: int | None = None) -> BusinessCalendarRow:
    row = (repository.get(session, BusinessCalendarRow, calendar_id) if calendar_id
           else BusinessCalendarRow())
    if row is None:
        raise not_found("日历", "Calendar")
    before = {k: getattr(row, k) for k in CalendarIn.model_fields} if calendar_id else {}
    values = _plain(data)
    _check_name(session, BusinessCalendarRow, data.name, calendar_id)
    try:  # the calendar must make sense before it is stored
        cal = service.to_calendar(BusinessCalendarRow(**values), {})
        if not cal.always_open and not cal.hours and not cal.workday_hours:
            raise ValueError("no working hours on any day")
    except ValueError as e:
        raise BadInput(f"工作时间设置有误:{e}", f"Working hours are not valid: {e}",
                       code="calendar_invalid") from None
    for k, v in values.items():
        setattr(row, k, v)
    if row.is_default:
        _only_default(session, BusinessCalendarRow, row)
    return _save(session, ctx, "calendar", row, before, values)


def set_override(session: Session, ctx: RequestContext, calendar_id: int, day: date,
                 data: OverrideIn | None) -> CalendarOverride | None:
    """Mark one date as a working day or a day off (None removes the override)."""
    _check_calendar(session, calendar_id)
    row = next((o for o in repository.overrides(session)
                if o.calendar_id == calendar_id and o.day == day), None)
    before = {"working": row.working} if row else None
    if data is None:
        if row is not None:
            repository.delete(session, row)
    else:
        row = row or CalendarOverride(calendar_id=calendar_id, day=day)
        row.working, row.note = data.working, data.note
        repository.add(session, row)
    audit.record(session, ctx, "update", "calendar", calendar_id, {
        f"override:{day.isoformat()}": [before, data.model_dump() if data else None]})
    service.invalidate(session)
    return row if data is not None else None


def _check_team(session: Session, scope: str, key: str) -> None:
    if scope == "team" and not engineers.team_exists(session, key):
        raise BadInput(f"服务组「{key}」不存在:先在工程师资料中设置服务组",
                       f"There is no service team {key!r}: set it on an engineer first",
                       code="team_not_found")


def assign(session: Session, ctx: RequestContext, data: AssignmentIn) -> CalendarAssignment:
    """Attach a calendar to a customer, a province or a service team (moving it if that key
    had one)."""
    _check_calendar(session, data.calendar_id)
    _check_team(session, data.scope, data.key)
    row = next((a for a in repository.assignments(session)
                if a.scope == data.scope and a.key == data.key), None)
    before = {"calendar_id": row.calendar_id} if row else {}
    row = row or CalendarAssignment(scope=data.scope, key=data.key)
    row.calendar_id = data.calendar_id
    return _save(session, ctx, "calendar_assignment", row, before, _plain(data))


def unassign(session: Session, ctx: RequestContext, assignment_id: int) -> None:
    row = repository.get(session, CalendarAssignment, assignment_id)
    if row is None:
        raise not_found("日历分配", "Calendar assignment")
    audit.record(session, ctx, "delete", "calendar_assignment", row.id,
                 {"calendar_id": [row.calendar_id, None]})
    repository.delete(session, row)
    service.invalidate(session)
