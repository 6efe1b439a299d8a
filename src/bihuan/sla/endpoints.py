"""SLA routes: the director's board, to-dos, and the admin's policies, matrix and calendars."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path

from bihuan.deps import SessionDep, require
from bihuan.errors import not_found
from bihuan.kit.clock import utcnow
from bihuan.kit.schemas import error_responses
from bihuan.kit.validators import DbId
from bihuan.sla import admin, repository, service
from bihuan.sla.models import BusinessCalendarRow, Todo
from bihuan.sla.schemas import (
    AssignmentIn,
    AssignmentOut,
    BoardItem,
    BoardOut,
    CalendarIn,
    CalendarOut,
    CalendarsOut,
    OverrideIn,
    OverrideOut,
    PolicyIn,
    PolicyOut,
    RuleIn,
    RuleOut,
    TodoOut,
)
from bihuan.users.roles import STAFF, Role
from bihuan.workorders import service as orders

router = APIRouter(prefix="/sla", tags=["sla"])
todos_router = APIRouter(prefix="/todos", tags=["todos"])
Admin = require(Role.admin)
Watcher = require(Role.admin, Role.supervisor, Role.director, Role.dispatcher)
Staff = require(*STAFF)
Day = Annotated[date, Path(description="YYYY-MM-DD")]


@router.get("/board", response_model=BoardOut, responses=error_responses(401, 403))
async def board(session: SessionDep, _: Watcher) -> BoardOut:
    """The operations board: orders escalated to level 3 or not dispatched in time."""
    now = utcnow()
    rows = orders.board(session)
    overdue = orders.count_overdue(session, now)
    return BoardOut(items=[BoardItem.model_validate(dict(r._mapping)) for r in rows],
                    overdue=overdue, generated_at=now)


@router.get("/policies", response_model=list[PolicyOut], responses=error_responses(401, 403))
async def list_policies(session: SessionDep, _: Watcher) -> list[PolicyOut]:
    """SLA policies: response and resolution targets in working minutes."""
    return [PolicyOut.model_validate(p) for p in repository.policies(session)]


@router.post("/policies", status_code=201, response_model=PolicyOut,
             responses=error_responses(400, 401, 403))
async def create_policy(session: SessionDep, ctx: Admin, body: PolicyIn) -> PolicyOut:
    """Add a policy."""
    return PolicyOut.model_validate(admin.save_policy(session, ctx, body))


@router.put("/policies/{policy_id}", response_model=PolicyOut,
            responses=error_responses(400, 401, 403, 404))
async def update_policy(session: SessionDep, ctx: Admin, policy_id: DbId,
                        body: PolicyIn) -> PolicyOut:
    """Change a policy; orders pick up new targets at their next change."""
    return PolicyOut.model_validate(admin.save_policy(session, ctx, body, policy_id))


@router.get("/rules", response_model=list[RuleOut], responses=error_responses(401, 403))
async def list_rules(session: SessionDep, _: Watcher) -> list[RuleOut]:
    """The matrix tier × fault type × priority → policy, in tie-break order."""
    return [RuleOut.model_validate(r) for r in repository.rules(session)]


@router.put("/rules", response_model=list[RuleOut], responses=error_responses(400, 401, 403))
async def replace_rules(session: SessionDep, ctx: Admin, body: list[RuleIn]) -> list[RuleOut]:
    """Replace the whole matrix (the most specific match wins; ties by list order)."""
    return [RuleOut.model_validate(r) for r in admin.replace_rules(session, ctx, body)]


@router.get("/calendars", response_model=CalendarsOut, responses=error_responses(401, 403))
async def list_calendars(session: SessionDep, _: Watcher) -> CalendarsOut:
    """Business calendars, with a warning when next year's holidays are not known yet."""
    return CalendarsOut(items=[CalendarOut.model_validate(c)
                               for c in repository.calendars(session)],
                        holiday_warning=service.holiday_warning(utcnow()))


@router.post("/calendars", status_code=201, response_model=CalendarOut,
             responses=error_responses(400, 401, 403))
async def create_calendar(session: SessionDep, ctx: Admin, body: CalendarIn) -> CalendarOut:
    """Add a calendar (working hours with breaks, time zone, holidays, or 24×7)."""
    return CalendarOut.model_validate(admin.save_calendar(session, ctx, body))


@router.put("/calendars/{calendar_id}", response_model=CalendarOut,
            responses=error_responses(400, 401, 403, 404))
async def update_calendar(session: SessionDep, ctx: Admin, calendar_id: DbId,
                          body: CalendarIn) -> CalendarOut:
    """Change a calendar."""
    return CalendarOut.model_validate(admin.save_calendar(session, ctx, body, calendar_id))


@router.get("/calendars/{calendar_id}/overrides", response_model=list[OverrideOut],
            responses=error_responses(401, 403, 404))
async def list_overrides(session: SessionDep, _: Watcher, calendar_id: DbId
                         ) -> list[OverrideOut]:
    """Dates set by hand as working days or days off."""
    if repository.get(session, BusinessCalendarRow, calendar_id) is None:
        raise not_found("日历", "Calendar")
    return [OverrideOut.model_validate(o) for o in repository.overrides(session)
            if o.calendar_id == calendar_id]


@router.put("/calendars/{calendar_id}/overrides/{day}", response_model=OverrideOut,
            responses=error_responses(400, 401, 403))
async def set_override(session: SessionDep, ctx: Admin, calendar_id: DbId, day: Day,
                       body: OverrideIn) -> OverrideOut:
    """Make one date a working day or a day off in this calendar."""
    return OverrideOut.model_validate(admin.set_override(session, ctx, calendar_id, day, body))


@router.delete("/calendars/{calendar_id}/overrides/{day}", status_code=204,
               responses=error_responses(400, 401, 403))
async def delete_override(session: SessionDep, ctx: Admin, calendar_id: DbId, day: Day) -> None:
    """Back to the public calendar for that date."""
    admin.set_override(session, ctx, calendar_id, day, None)


@router.get("/calendar-assignments", response_model=list[AssignmentOut],
            responses=error_responses(401, 403))
async def list_assignments(session: SessionDep, _: Watcher) -> list[AssignmentOut]:
    """Which calendar applies to which customer, region or service team."""
    return [AssignmentOut.model_validate(a) for a in repository.assignments(session)]


@router.put("/calendar-assignments", response_model=AssignmentOut,
            responses=error_responses(400, 401, 403))
async def put_assignment(session: SessionDep, ctx: Admin, body: AssignmentIn) -> AssignmentOut:
    """Attach a calendar to a customer (key = its id), a region (key = province) or a service
    team (key = its name; 400 team_not_found for a name no engineer has)."""
    return AssignmentOut.model_validate(admin.assign(session, ctx, body))


@router.delete("/calendar-assignments/{assignment_id}", status_code=204,
               responses=error_responses(401, 403, 404))
async def delete_assignment(session: SessionDep, ctx: Admin, assignment_id: DbId) -> None:
    """Detach: the default calendar applies again."""
    admin.unassign(session, ctx, assignment_id)


@todos_router.get("", response_model=list[TodoOut], responses=error_responses(401, 403))
async def my_todos(session: SessionDep, ctx: Staff, open_only: bool = True) -> list[TodoOut]:
    """Your to-dos (from escalations), newest first."""
    assert ctx.actor.user_id is not None
    return [TodoOut.model_validate(t)
            for t in repository.todos_for(session, ctx.actor.user_id, open_only)]


@todos_router.post("/{todo_id}/done", response_model=TodoOut,
                   responses=error_responses(401, 403, 404))
async def finish_todo(session: SessionDep, ctx: Staff, todo_id: DbId) -> TodoOut:
    """Mark one of your to-dos done."""
    todo: Todo | None = repository.todo(session, todo_id)
    if todo is None or todo.user_id != ctx.actor.user_id:
        raise not_found("待办", "To-do")
    if todo.done_at is None:
        todo.done_at = utcnow()
        session.flush()
    return TodoOut.model_validate(todo)
