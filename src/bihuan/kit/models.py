"""Column mixins shared by tables."""

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from bihuan.kit.clock import utcnow


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
