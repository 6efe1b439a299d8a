"""Every customer query."""

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bihuan.customers.models import Contact, Customer


def get(session: Session, customer_id: int) -> Customer | None:
    return session.get(Customer, customer_id)


def code_taken(session: Session, code: str) -> bool:
    return session.scalar(select(Customer.id).where(Customer.code == code)) is not None


def search(session: Session, *, q: str | None, tier: str | None, province: str | None,
           limit: int, offset: int) -> tuple[list[Customer], int]:
    conds = []
    if tier:
        conds.append(Customer.tier == tier)
    if province:
        conds.append(Customer.province == province)
    if q:
        phone_match = select(Contact.customer_id).where(Contact.phone == q)
        # icontains: LIKE is case-insensitive on SQLite but not on PostgreSQL
        conds.append(or_(Customer.name.icontains(q, autoescape=True),
                         Customer.code == q, Customer.id.in_(phone_match)))
    total = session.scalar(select(func.count(Customer.id)).where(*conds)) or 0
    rows = session.scalars(select(Customer).where(*conds).order_by(Customer.id)
                           .limit(limit).offset(offset)).all()
    return list(rows), total


def add(session: Session, customer: Customer) -> None:
    session.add(customer)
    session.flush()


def delete(session: Session, customer: Customer) -> None:
    session.delete(customer)
    session.flush()
