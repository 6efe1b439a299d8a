"""Engineer API shapes."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from bihuan.kit.validators import DbId, NotNull, Phone
from bihuan.users.schemas import Password, Username

Skill = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Team = Annotated[Short | None, Field(description="service team, e.g. 华南服务组; null: none")]


class EngineerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: Username
    display_name: Short
    password: Password
    phone: Phone | None = None
    title: Annotated[str, StringConstraints(max_length=32)] | None = "工程师"
    supervisor_id: DbId | None = None
    skills: list[Skill] = Field(min_length=1, max_length=100,
                                description="device models (HR-E3200) or families (HR-E)")
    cert_level: int = Field(ge=1, le=5)
    home_base: Short
    home_lat: float | None = Field(default=None, ge=-90, le=90)
    home_lng: float | None = Field(default=None, ge=-180, le=180)
    region: Short
    max_load: int = Field(default=6, ge=1, le=50)
    team: Team = None


class EngineerUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    skills: Annotated[list[Skill] | None, NotNull] = Field(default=None, min_length=1,
                                                          max_length=100)
    cert_level: Annotated[int | None, NotNull] = Field(default=None, ge=1, le=5)
    home_base: Annotated[Short | None, NotNull] = None
    home_lat: float | None = Field(default=None, ge=-90, le=90)
    home_lng: float | None = Field(default=None, ge=-180, le=180)
    region: Annotated[Short | None, NotNull] = None
    max_load: Annotated[int | None, NotNull] = Field(default=None, ge=1, le=50)
    team: Team = None


class EngineerOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    user_id: int
    username: str
    display_name: str
    phone: str | None
    title: str | None
    is_active: bool
    skills: list[str]
    cert_level: int
    home_base: str
    home_lat: float | None
    home_lng: float | None
    region: str
    max_load: int
    team: str | None
    created_at: datetime


class TeamOut(BaseModel):
    name: str
    engineers: int = Field(description="engineers in the team (active or not)")
