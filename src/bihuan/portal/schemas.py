"""Shapes of the customer's public pages: only what a customer may see."""

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Label = dict[str, str]


class PortalPreset(BaseModel):
    code: str
    label: Label


class PortalOpenOrder(BaseModel):
    number: str
    state: str
    state_label: Label
    created_at: datetime


class PortalDevice(BaseModel):
    brand: str
    model: str
    family: str
    serial: str
    warranty_until: date | None
    in_warranty: bool
    fault_presets: list[PortalPreset]
    open_orders: list[PortalOpenOrder]


class PortalReport(BaseModel):
    tracking_code: str
    number: str
    progress_url: str


class PortalEngineer(BaseModel):
    display: str = Field(description="surname + 工, e.g. 王工; never the full name or phone")
    title: Label


class PortalStep(BaseModel):
    at: datetime
    label: Label


class PortalWorkDone(BaseModel):
    repair_note: str | None
    photos: list[str]


class PortalConfirmation(BaseModel):
    signed_by: str
    at: datetime


class PortalTrack(BaseModel):
    number: str
    state: str
    state_label: Label
    status_text: Label
    device: dict[str, str] | None
    fault_label: Label | None
    created_at: datetime
    engineer: PortalEngineer | None
    expected_by: datetime | None = Field(description="by the SLA, when one applies")
    timeline: list[PortalStep]
    work_done: PortalWorkDone | None
    can_confirm: bool
    confirmation: PortalConfirmation | None


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class PortalConfirmIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    signed_by: Name
    strokes: list[Any] = Field(min_length=1, max_length=500,
                               description="signature_pad toData(): strokes with timed points")
    png: Annotated[str, StringConstraints(max_length=2_000_000)] = Field(
        description="data:image/png;base64,…")


class PortalRejectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
