"""Customers and their contacts."""

from datetime import date

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bihuan.db import Base
from bihuan.kit.models import Timestamps


class Customer(Timestamps, Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(128), index=True)
    tier: Mapped[str] = mapped_column(String(16), index=True)
    service_level: Mapped[str] = mapped_column(String(64))
    province: Mapped[str] = mapped_column(String(32), index=True)
    city: Mapped[str] = mapped_column(String(32))
    address: Mapped[str | None] = mapped_column(Text)
    contract_expires_on: Mapped[date | None]
    contacts: Mapped[list["Contact"]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="Contact.id",
        lazy="selectin",
    )


class Contact(Base):
    __tablename__ = "customer_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str] = mapped_column(String(32), index=True)
    title: Mapped[str | None] = mapped_column(String(64))
    is_primary: Mapped[bool] = mapped_column(default=False)
    customer: Mapped[Customer] = relationship(back_populates="contacts")
