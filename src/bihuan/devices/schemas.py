"""Device API shapes."""

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from bihuan.kit.validators import DbId, NotNull

Str64 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Family = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]


class DeviceCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    customer_id: DbId | None = Field(default=None, description="empty for our own line equipment")
    brand: Str64
    family: Family = Field(description="model family, e.g. HR-E")
    model: Str64 = Field(description="e.g. HR-E3200")
    serial_no: Str64
    location: Annotated[str, StringConstraints(max_length=255)] | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lng: float | None = Field(default=None, ge=-180, le=180)
    installed_on: date | None = None
    warranty_until: date | None = None
    tag_id: Str64 | None = Field(default=None, description="RFID/NFC tag id")


class DeviceUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    customer_id: DbId | None = None
    brand: Annotated[Str64 | None, NotNull] = None
    family: Annotated[Family | None, NotNull] = None
    model: Annotated[Str64 | None, NotNull] = None
    location: Annotated[str, StringConstraints(max_length=255)] | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lng: float | None = Field(default=None, ge=-180, le=180)
    installed_on: date | None = None
    warranty_until: date | None = None
    tag_id: Str64 | None = None


class DeviceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    customer_id: int | None
    brand: str
    family: str
    model: str
    serial_no: str
    location: str | None
    lat: float | None
    lng: float | None
    installed_on: date | None
    warranty_until: date | None
    under_warranty: bool
    tag_id: str | None
    qr_token: str
    created_at: datetime
    updated_at: datetime
