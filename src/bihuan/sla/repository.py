"""Every SLA query."""

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bihuan.kit import bulk
from bihuan.sla.models import (
    BusinessCalendarRow,
    CalendarAssignment,
    CalendarOverride,
    SlaPolicy,
    SlaRule,
    Todo,
)


def policies(session: Session) -> list[SlaPolicy]:
    return list(session.scalars(select(SlaPolicy).order_by(SlaPolicy.id)))


def rules(session: Session) -> list[SlaRule]:
    return list(session.scalars(select(SlaRule).order_by(SlaRule.position, SlaRule.id)))


def calendars(session: Session) -> list[BusinessCalendarRow]:
    return list(session.scalars(select(BusinessCalendarRow).order_by(BusinessCalendarRow.id)))


def overrides(session: Session) -> list[CalendarOverride]:
    return list(session.scalars(select(CalendarOverride)))


def assignments(session: Session) -> list[CalendarAssignment]:
    return list(session.scalars(select(CalendarAssignment)))


def get(session: Session, model: Any, obj_id: int) -> Any:
    return session.get(model, obj_id)


def add(session: Session, obj: Any) -> Any:
    session.add(obj)
    session.flush()
    return obj


def add_todos(session: Session, rows: list[dict[str, Any]]) -> None:
    """Many to-dos in one statement (no ids read back)."""
    bulk.insert_rows(session.connection(), Todo.__table__, rows)


def delete(session: Session, obj: Any) -> None:
    session.delete(obj)
    session.flush()


def todos_for(session: Session, user_id: int, open_only: bool) -> list[Todo]:
    stmt = select(Todo).where(Todo.user_id == user_id)
    if open_only:
        stmt = stmt.where(Todo.done_at.is_(None))
    return list(session.scalars(stmt.order_by(Todo.created_at.desc(), Todo.id.desc())))


def clear_default(session: Session, model: Any, keep_id: int | None) -> None:
    """Only one default row: unset it everywhere else."""
    session.execute(update(model).where(model.is_default.is_(True), model.id != keep_id)
                    .values(is_default=False))


def name_taken(session: Session, model: Any, name: str, own_id: int | None) -> bool:
    stmt = select(model.id).where(model.name == name)
    if own_id is not None:
        stmt = stmt.where(model.id != own_id)
    return session.scalar(stmt.limit(1)) is not None


def todo(session: Session, todo_id: int) -> Todo | None:
    return session.get(Todo, todo_id)
