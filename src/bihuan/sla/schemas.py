"""SLA API shapes."""

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from bihuan.customers.enums import Tier
from bihuan.workorders.enums import Priority

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Minutes = Annotated[int, Field(ge=1, le=60 * 24 * 90)]
HHMM = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]


class PolicyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Name
    response_minutes: Minutes
    resolution_minutes: Minutes
    confirmation_minutes: Minutes | None = None
    calendar_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    is_default: bool = False


class PolicyOut(PolicyIn):
    model_config = ConfigDict(from_attributes=True)
    id: int


class RuleIn(BaseModel):
    """Empty cells match anything; tier and priority must be known values (a typo would
    silently never match)."""

    model_config = ConfigDict(extra="forbid")
    tier: Tier | None = None
    fault_type: Annotated[str, StringConstraints(max_length=64)] | None = None
    priority: Priority | None = None
    policy_id: int = Field(ge=1, le=2**31 - 1)


class RuleOut(RuleIn):
    model_config = ConfigDict(from_attributes=True)
    id: int
    position: int


class CalendarIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Name
    timezone: Annotated[str, StringConstraints(max_length=64)] = "Asia/Shanghai"
    hours: dict[str, list[tuple[HHMM, HHMM]]] = Field(
        description='weekday (0 = Monday) → [["08:30","12:00"], ["13:30","18:00"]]')
    workday_hours: list[tuple[HHMM, HHMM]] | None = None
    public_holidays: bool = True
    always_open: bool = False
    is_default: bool = False

    @field_validator("hours")
    @classmethod
    def _weekdays(cls, v: dict[str, Any]) -> dict[str, Any]:
        bad = [k for k in v if k not in {str(d) for d in range(7)}]
        if bad:
            raise ValueError(f"weekday keys are 0 (Monday) … 6 (Sunday), not {bad}")
        return v


class CalendarOut(CalendarIn):
    model_config = ConfigDict(from_attributes=True)
    id: int


class OverrideIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    working: bool = Field(description="true: a working day; false: a day off")
    note: Annotated[str, StringConstraints(max_length=128)] | None = None


class OverrideOut(OverrideIn):
    model_config = ConfigDict(from_attributes=True)
    day: date


class AssignmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    calendar_id: int = Field(ge=1, le=2**31 - 1)
    scope: Annotated[str, StringConstraints(pattern="^(customer|region|team)$")] = Field(
        description="customer (key = customer id), region (key = province) or team (key = "
                    "an engineers' service team)")
    key: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class AssignmentOut(AssignmentIn):
    model_config = ConfigDict(from_attributes=True)
    id: int


class CalendarsOut(BaseModel):
    items: list[CalendarOut]
    holiday_warning: dict[str, str] | None = Field(
        description="set when this or next year's public holidays are not loaded yet")


class BoardItem(BaseModel):
    id: int
    number: str
    title: str
    state: str
    priority: str
    customer_name: str | None
    assignee_name: str | None
    escalation_level: int
    board_since: datetime
    board_reason: str | None
    response_due_at: datetime | None
    resolution_due_at: datetime | None


class BoardOut(BaseModel):
    items: list[BoardItem]
    overdue: int = Field(description="open orders past a deadline")
    generated_at: datetime


class TodoOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    work_order_id: int | None
    title: str
    created_at: datetime
    done_at: datetime | None
