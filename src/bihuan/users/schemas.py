"""User and login API shapes."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from bihuan.kit.validators import DbId, NotNull, Phone
from bihuan.users.roles import Role

Username = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=64,
                                            pattern=r"^[A-Za-z0-9_.\-]+$")]
Password = Annotated[str, StringConstraints(min_length=8, max_length=128)]


class LoginIn(BaseModel):
    username: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=128)]


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    username: str
    display_name: str
    role: Role
    phone: str | None
    email: str | None
    title: str | None
    supervisor_id: int | None
    is_active: bool
    created_at: datetime


class LoginOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int
    user: UserOut


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: Username
    display_name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                   max_length=64)]
    role: Role
    password: Password
    phone: Phone | None = None
    email: Annotated[str, StringConstraints(max_length=255, pattern=r"^[^@\s]+@[^@\s]+$")] | None = (
        None)
    title: Annotated[str, StringConstraints(max_length=32)] | None = None
    supervisor_id: DbId | None = None


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    display_name: Annotated[Annotated[str, StringConstraints(
        strip_whitespace=True, min_length=1, max_length=64)] | None, NotNull] = None
    role: Annotated[Role | None, NotNull] = None
    password: Password | None = None
    phone: Phone | None = None
    title: Annotated[str, StringConstraints(max_length=32)] | None = None
    supervisor_id: DbId | None = None
    is_active: Annotated[bool | None, NotNull] = None
