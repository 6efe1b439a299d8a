"""Every device query."""

from typing import Any

from sqlalchemy import Row, bindparam, func, or_, select
from sqlalchemy.orm import Session

from bihuan.devices.models import Device, FaultPreset


def get(session: Session, device_id: int) -> Device | None:
    return session.get(Device, device_id)


def taken(session: Session, column: str, value: str, exclude_id: int | None = None) -> bool:
    col = getattr(Device, column)
    stmt = select(Device.id).where(col == value)
    if exclude_id is not None:
        stmt = stmt.where(Device.id != exclude_id)
    return session.scalar(stmt) is not None


def search(session: Session, *, q: str | None, customer_id: int | None, family: str | None,
           model: str | None, limit: int, offset: int) -> tuple[list[Device], int]:
    conds = []
    if customer_id is not None:
        conds.append(Device.customer_id == customer_id)
    if family:
        conds.append(Device.family == family)
    if model:
        conds.append(Device.model == model)
    if q:
        # i…: LIKE is case-insensitive on SQLite but not on PostgreSQL
        conds.append(or_(Device.serial_no == q, Device.tag_id == q,
                         Device.serial_no.istartswith(q, autoescape=True),
                         Device.model.icontains(q, autoescape=True)))
    total = session.scalar(select(func.count(Device.id)).where(*conds)) or 0
    rows = session.scalars(select(Device).where(*conds).order_by(Device.id)
                           .limit(limit).offset(offset)).all()
    return list(rows), total


def add(session: Session, device: Device) -> None:
    session.add(device)
    session.flush()


def delete(session: Session, device: Device) -> None:
    session.delete(device)
    session.flush()


def count_for_customer(session: Session, customer_id: int) -> int:
    return session.scalar(select(func.count(Device.id)).where(
        Device.customer_id == customer_id)) or 0


def fault_presets(session: Session, family: str, model: str) -> list[FaultPreset]:
    """The most specific preset set for a device: its model's, else its family's, else the
    generic one."""
    rows = list(session.scalars(select(FaultPreset).where(or_(
        FaultPreset.model == model,
        (FaultPreset.family == family) & FaultPreset.model.is_(None),
        FaultPreset.family.is_(None) & FaultPreset.model.is_(None),
    )).order_by(FaultPreset.position, FaultPreset.id)))
    for scope in ((lambda p: p.model == model), (lambda p: p.model is None and
                                                   p.family == family)):
        picked = [p for p in rows if scope(p)]
        if picked:
            return picked
    return [p for p in rows if p.family is None and p.model is None]


def by_qr_token(session: Session, token: str) -> Device | None:
    return session.scalar(select(Device).where(Device.qr_token == token))


def by_ids(session: Session, ids: list[int]) -> list[Device]:
    return list(session.scalars(select(Device).where(Device.id.in_(ids)).order_by(Device.id)))


# built once: order lists ask on every page, and building the statement costs more than running it
_PRESETS_WITH_CODES = select(
    FaultPreset.code, FaultPreset.model, FaultPreset.family, FaultPreset.label_zh,
    FaultPreset.label_en,
).where(FaultPreset.code.in_(bindparam("codes", expanding=True)))


def presets_with_codes(session: Session, codes: set[str]) -> list[Row[Any]]:
    """(code, model, family, label_zh, label_en) of every preset with one of these codes."""
    return list(session.connection().execute(_PRESETS_WITH_CODES, {"codes": sorted(codes)}))
