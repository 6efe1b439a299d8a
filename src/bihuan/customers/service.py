"""Customer use cases; every write is audited."""

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from bihuan.audit import service as audit
from bihuan.customers import repository
from bihuan.customers.enums import DEFAULT_SERVICE_LEVEL
from bihuan.customers.models import Contact, Customer
from bihuan.customers.schemas import CustomerCreate, CustomerUpdate
from bihuan.errors import Conflict, not_found
from bihuan.kit.context import RequestContext

ENTITY = "customer"


def _plain(v: Any) -> Any:
    return v.isoformat() if isinstance(v, date) else v


def get_customer(session: Session, customer_id: int) -> Customer | None:
    return repository.get(session, customer_id)


def access_customer(session: Session, customer_id: int) -> Customer:
    customer = repository.get(session, customer_id)
    if customer is None:
        raise not_found("客户", "Customer")
    return customer


def list_customers(session: Session, **filters: Any) -> tuple[list[Customer], int]:
    return repository.search(session, **filters)


def _contacts_snapshot(contacts: list[Contact]) -> list[dict[str, Any]]:
    return [{"name": c.name, "phone": c.phone, "title": c.title, "is_primary": c.is_primary}
            for c in contacts]


def create_customer(session: Session, ctx: RequestContext, data: CustomerCreate) -> Customer:
    """Create a customer with contacts; the service level defaults from the tier."""
    if repository.code_taken(session, data.code):
        raise Conflict(f"客户编码 {data.code} 已存在", f"Customer code {data.code} already exists",
                       code="customer_code_taken")
    values = data.model_dump(exclude={"contacts"})
    values["service_level"] = data.service_level or DEFAULT_SERVICE_LEVEL[data.tier]
    customer = Customer(**values, contacts=[Contact(**c.model_dump()) for c in data.contacts])
    repository.add(session, customer)
    changes = {k: [None, _plain(v)] for k, v in values.items() if v is not None}
    changes["contacts"] = [None, _contacts_snapshot(customer.contacts)]
    audit.record(session, ctx, "create", ENTITY, customer.id, changes)
    return customer


def update_customer(session: Session, ctx: RequestContext, customer: Customer,
                    data: CustomerUpdate) -> Customer:
    """Change fields (contacts are replaced as a list); audited with before/after values."""
    fields = data.model_dump(exclude_unset=True)
    contacts = fields.pop("contacts", None)
    changes = {k: [_plain(getattr(customer, k)), _plain(v)] for k, v in fields.items()
               if getattr(customer, k) != v}
    for k in changes:
        setattr(customer, k, fields[k])
    if contacts is not None:
        old = _contacts_snapshot(customer.contacts)
        new = [{"name": c["name"], "phone": c["phone"], "title": c.get("title"),
                "is_primary": c.get("is_primary", False)} for c in contacts]
        if old != new:
            customer.contacts = [Contact(**c) for c in new]
            changes["contacts"] = [old, new]
    if not changes:
        return customer
    session.flush()
    audit.record(session, ctx, "update", ENTITY, customer.id, changes)
    return customer


def delete_customer(session: Session, ctx: RequestContext, customer: Customer,
                    in_use: bool) -> None:
    """Delete a customer nothing refers to; one with devices or orders is kept (409)."""
    if in_use:
        raise Conflict("该客户已有设备或工单,不能删除", "This customer has devices or orders and "
                       "cannot be deleted", code="customer_in_use")
    snapshot = {"code": [customer.code, None], "name": [customer.name, None]}
    cid = customer.id
    repository.delete(session, customer)
    audit.record(session, ctx, "delete", ENTITY, cid, snapshot)
