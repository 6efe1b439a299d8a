"""Devices (assets) installed at customers or on our own lines."""

from datetime import date

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from bihuan.db import Base
from bihuan.kit.models import Timestamps


class Device(Timestamps, Base):
    __tablename__ = "devices"
    __table_args__ = (Index("ix_devices_model", "family", "model"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    brand: Mapped[str] = mapped_column(String(64))
    family: Mapped[str] = mapped_column(String(32))
    model: Mapped[str] = mapped_column(String(64))
    serial_no: Mapped[str] = mapped_column(String(64), unique=True)
    location: Mapped[str | None] = mapped_column(String(255))
    lat: Mapped[float | None]
    lng: Mapped[float | None]
    installed_on: Mapped[date | None]
    warranty_until: Mapped[date | None]
    tag_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    # printed on the QR label; random, so it reveals nothing about other devices
    qr_token: Mapped[str] = mapped_column(String(32), unique=True)


class FaultPreset(Base):
    """A fault type the customer can pick when scanning a device's QR code.

    A preset applies to one model, to a whole family, or (both empty) to every device; the
    most specific set wins."""

    __tablename__ = "fault_presets"
    __table_args__ = (Index("ix_fault_presets_scope", "family", "model"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    family: Mapped[str | None] = mapped_column(String(32))
    model: Mapped[str | None] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(32))
    label_zh: Mapped[str] = mapped_column(String(64))
    label_en: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(default=0)
