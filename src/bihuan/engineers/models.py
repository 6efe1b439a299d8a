"""Field engineers: a staff user plus skills, certification, home base and service team."""

from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bihuan.db import Base
from bihuan.kit.models import Timestamps
from bihuan.users.models import User


class Engineer(Timestamps, Base):
    __tablename__ = "engineers"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    # device models ("HR-E3200") or families ("HR-E")
    skills: Mapped[list[Any]]
    cert_level: Mapped[int]
    home_base: Mapped[str] = mapped_column(String(64))
    home_lat: Mapped[float | None]
    home_lng: Mapped[float | None]
    region: Mapped[str] = mapped_column(String(32), index=True)
    max_load: Mapped[int] = mapped_column(default=6)
    # the service team ("华南服务组"), at most one; business calendars can attach to it
    team: Mapped[str | None] = mapped_column(String(64), index=True)
    user: Mapped[User] = relationship(lazy="joined")
