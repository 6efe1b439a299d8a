"""Work-order API shapes."""

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from bihuan.attachments.schemas import AttachmentOut
from bihuan.kit.schemas import GPS
from bihuan.kit.validators import DbId, NotNull, Phone
from bihuan.workorders.enums import OrderType, Priority, State

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
PhotoRef = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class ExternalRefIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    system: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    external_id: Annotated[str, StringConstraints(min_length=1, max_length=128)]
    url: Annotated[str, StringConstraints(max_length=500)] | None = None
    last_synced_at: datetime | None = None


class ExternalRefOut(ExternalRefIn):
    model_config = ConfigDict(from_attributes=True)
    id: int


class WorkOrderCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: OrderType
    title: Title
    description: Annotated[str, StringConstraints(max_length=20000)] | None = None
    fault_type: Annotated[str, StringConstraints(max_length=64)] | None = None
    priority: Priority = Priority.normal
    customer_id: DbId | None = None
    device_id: DbId | None = None
    reporter_name: Annotated[str, StringConstraints(max_length=64)] | None = None
    reporter_phone: Phone | None = None
    external_refs: list[ExternalRefIn] = Field(default_factory=list, max_length=20)


class WorkOrderUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Annotated[Title | None, NotNull] = None
    description: Annotated[str, StringConstraints(max_length=20000)] | None = None
    fault_type: Annotated[str, StringConstraints(max_length=64)] | None = None
    priority: Annotated[Priority | None, NotNull] = None
    customer_id: DbId | None = None
    device_id: DbId | None = None
    reporter_name: Annotated[str, StringConstraints(max_length=64)] | None = None
    reporter_phone: Phone | None = None
    repair_note: Annotated[str, StringConstraints(max_length=20000)] | None = None
    photo_refs: Annotated[list[PhotoRef] | None, NotNull] = Field(default=None, max_length=50)
    external_refs: Annotated[list[ExternalRefIn] | None, NotNull] = Field(default=None,
                                                                           max_length=20)
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = Field(
        default=None, description="required when the order is closed or cancelled")
    expected_version: DbId | None = Field(
        default=None, description="fail with 409 state_conflict if the order has moved on")


class ActionOut(BaseModel):
    action: str
    label: dict[str, str]
    allowed: bool
    needs_reason: bool
    reasons: list[dict[str, str]] = Field(description="why it is blocked: code, zh-CN, en")


class SlaOut(BaseModel):
    """The order's SLA: deadlines (response, resolution and, when the policy sets one, the
    customer's confirmation) with a status each (on_track, at_risk, breached, paused, met,
    none), time on hold, escalation level."""

    policy: dict[str, Any] | None
    response_due_at: datetime | None = None
    resolution_due_at: datetime | None = None
    response_status: str = "none"
    resolution_status: str = "none"
    response_left_seconds: float | None = Field(
        default=None, description="working time left on the calendar (negative: overdue)")
    resolution_left_seconds: float | None = None
    confirmation_due_at: datetime | None = Field(
        default=None, description="set at resolve when the policy has a confirmation target")
    confirmation_status: str = "none"
    confirmation_left_seconds: float | None = None
    confirmed_at: datetime | None = Field(
        default=None, description="when the confirmation (or QA verification) was recorded")
    paused: bool = False
    paused_seconds: float = 0.0
    escalation_level: int = 0
    on_board: bool = False
    customer_seconds: float | None = Field(
        default=None, description="customer-perceived time: report to signed confirmation")


class WorkOrderOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    number: str
    tracking_code: str | None = Field(default=None, description="the customer's /t/<code>")
    type: OrderType
    state: State
    priority: Priority
    title: str
    description: str | None
    fault_type: str | None
    customer_id: int | None
    device_id: int | None
    reporter_id: int | None
    reporter_name: str | None
    reporter_phone: str | None
    assignee_id: int | None
    repair_note: str | None
    photo_refs: list[str]
    hold_from_state: State | None
    accepted_at: datetime | None
    started_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int
    customer_name: str | None = None
    assignee_name: str | None = None
    device_model: str | None = None
    device_serial: str | None = None
    fault_label: dict[str, str] | None = Field(
        default=None, description="the fault type's preset label (zh-CN, en)")
    sla: SlaOut | None = None


class WorkOrderDetail(WorkOrderOut):
    external_refs: list[ExternalRefOut]
    attachments: list[AttachmentOut] = Field(
        description="photos, videos and signatures; repair photos also appear in photo_refs")
    actions: list[ActionOut] = Field(description="actions in this state for the current user")


class TransitionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None
    assignee_id: DbId | None = Field(default=None, description="for assign")
    expected_version: DbId | None = None
    gps: GPS | None = None


class BulkTransitionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ids: list[DbId] = Field(min_length=1, max_length=200)
    action: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None
    assignee_id: DbId | None = None


class BulkItemOut(BaseModel):
    id: int
    ok: bool
    state: State | None = None
    error: dict[str, Any] | None = None


class ConfirmationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Annotated[str, StringConstraints(pattern="^(customer|qa)$")] = Field(
        description="customer: customer's confirmation; qa: QA verification")
    signed_by: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                max_length=64)]
    note: Annotated[str, StringConstraints(max_length=2000)] | None = None


class ConfirmationOut(ConfirmationIn):
    model_config = ConfigDict(from_attributes=True)
    id: int
    work_order_id: int
    recorded_by_id: int | None
    signature_attachment_id: int | None = None
    created_at: datetime


class EventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    seq: int
    occurred_at: datetime
    actor_id: int | None
    actor_name: str
    actor_display_name: str | None = Field(default=None, description="the staff member's name")
    actor_role: str
    action: str
    changes: dict[str, Any]
    reason: str | None
    ip: str | None
    user_agent: str | None
    gps: dict[str, Any] | None
    hash: str


class SuspectedFakeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    work_order_id: int
    number: str
    actor_id: int | None
    actor_name: str | None = Field(default=None, description="who closed it (display name)")
    reason: str
    seconds_after_resolve: float | None
    detail: dict[str, Any]
    created_at: datetime


class SavedViewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    filters: dict[str, Any] = Field(description="list query parameters, e.g. {state: [...]}")
    shared_with_role: bool = Field(default=False,
                                   description="show it to everyone with your role")


class SavedViewOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    filters: dict[str, Any]
    owner_id: int
    role: str | None
    created_at: datetime
