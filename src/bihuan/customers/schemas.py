"""Customer API shapes."""

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from bihuan.customers.enums import Tier
from bihuan.kit.validators import NotNull, Phone

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]


class ContactIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    phone: Phone = Field(description="mobile 13812345678 or landline with area code "
                                     "0755-88889999")
    title: Annotated[str, StringConstraints(max_length=64)] | None = None
    is_primary: bool = False


class ContactOut(ContactIn):
    model_config = ConfigDict(from_attributes=True)
    id: int


class CustomerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: Short
    name: Name
    tier: Tier = Tier.standard
    service_level: Annotated[str, StringConstraints(max_length=64)] | None = Field(
        default=None, description="defaults from the tier")
    province: Short
    city: Short
    address: Annotated[str, StringConstraints(max_length=500)] | None = None
    contract_expires_on: date | None = None
    contacts: list[ContactIn] = Field(default_factory=list, max_length=50)


class CustomerUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Annotated[Name | None, NotNull] = None
    tier: Annotated[Tier | None, NotNull] = None
    service_level: Annotated[Annotated[str, StringConstraints(max_length=64)] | None,
                             NotNull] = None
    province: Annotated[Short | None, NotNull] = None
    city: Annotated[Short | None, NotNull] = None
    address: Annotated[str, StringConstraints(max_length=500)] | None = None
    contract_expires_on: date | None = None
    contacts: list[ContactIn] | None = Field(default=None, max_length=50)


class CustomerOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    code: str
    name: str
    tier: Tier
    service_level: str
    province: str
    city: str
    address: str | None
    contract_expires_on: date | None
    contacts: list[ContactOut]
    created_at: datetime
    updated_at: datetime
