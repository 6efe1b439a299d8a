"""SLA tables: policies (targets), the matrix that picks one, business calendars and where
they apply, and the to-dos escalation creates. The clocks themselves live on the order."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bihuan.db import Base


class SlaPolicy(Base):
    """Targets in working minutes on the policy's calendar (or the order's own calendar)."""

    __tablename__ = "sla_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    response_minutes: Mapped[int]
    resolution_minutes: Mapped[int]
    confirmation_minutes: Mapped[int | None]
    # a fixed calendar (e.g. 24×7 for urgent contracts); else the customer's/region's/default
    calendar_id: Mapped[int | None] = mapped_column(ForeignKey("business_calendars.id"))
    is_default: Mapped[bool] = mapped_column(default=False)


class SlaRule(Base):
    """One cell of the matrix tier × fault type × priority → policy; empty means "any".
    The most specific matching rule wins; ties go to the lowest position."""

    __tablename__ = "sla_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    tier: Mapped[str | None] = mapped_column(String(16))
    fault_type: Mapped[str | None] = mapped_column(String(64))
    priority: Mapped[str | None] = mapped_column(String(16))
    policy_id: Mapped[int] = mapped_column(ForeignKey("sla_policies.id"))
    position: Mapped[int] = mapped_column(default=0)


class BusinessCalendarRow(Base):
    __tablename__ = "business_calendars"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    # {"0": [["08:30", "12:00"], ["13:30", "18:00"]], …}: weekday (0 = Monday) → intervals
    hours: Mapped[dict[str, Any]]
    # hours on a make-up working day (调休) that falls on a weekend; default Monday's
    workday_hours: Mapped[list[Any] | None]
    public_holidays: Mapped[bool] = mapped_column(default=True)
    always_open: Mapped[bool] = mapped_column(default=False)
    is_default: Mapped[bool] = mapped_column(default=False)


class CalendarOverride(Base):
    __tablename__ = "calendar_overrides"
    __table_args__ = (UniqueConstraint("calendar_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    calendar_id: Mapped[int] = mapped_column(
        ForeignKey("business_calendars.id", ondelete="CASCADE"), index=True)
    day: Mapped[date]
    working: Mapped[bool]
    note: Mapped[str | None] = mapped_column(String(128))


class CalendarAssignment(Base):
    """Where a calendar applies: a customer (by id), a region or a team (by name)."""

    __tablename__ = "calendar_assignments"
    __table_args__ = (UniqueConstraint("scope", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    calendar_id: Mapped[int] = mapped_column(
        ForeignKey("business_calendars.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(16))  # customer | region | team
    key: Mapped[str] = mapped_column(String(64))


class Todo(Base):
    """Something a person must act on, e.g. a supervisor after the 2nd escalation."""

    __tablename__ = "todos"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
