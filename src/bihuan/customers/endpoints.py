"""Customer routes."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from bihuan.customers import service
from bihuan.customers.enums import Tier
from bihuan.customers.schemas import CustomerCreate, CustomerOut, CustomerUpdate
from bihuan.deps import SessionDep, require
from bihuan.devices import service as devices
from bihuan.kit.pagination import Page, PageParams, page_params
from bihuan.kit.schemas import error_responses
from bihuan.kit.validators import DbId
from bihuan.users.roles import DESK, Role
from bihuan.workorders import service as orders

router = APIRouter(prefix="/customers", tags=["customers"])
Reader = require(*DESK)
Writer = require(Role.admin, Role.agent, Role.supervisor)
Deleter = require(Role.admin, Role.supervisor)


@router.get("", response_model=Page[CustomerOut], responses=error_responses(401, 403))
async def list_customers(
    session: SessionDep, _: Reader, page: Annotated[PageParams, Depends(page_params)],
    q: Annotated[str | None, Query(max_length=64, description="name, code or phone")] = None,
    tier: Tier | None = None,
    province: Annotated[str | None, Query(max_length=32)] = None,
) -> Page[CustomerOut]:
    """List customers, filtered by tier and province, searched by name, code or phone."""
    rows, total = service.list_customers(session, q=q, tier=tier, province=province,
                                         limit=page.limit, offset=page.offset)
    return Page(items=[CustomerOut.model_validate(r) for r in rows], total=total,
                limit=page.limit, offset=page.offset)


@router.post("", status_code=201, response_model=CustomerOut,
             responses=error_responses(400, 401, 403, 409))
async def create_customer(session: SessionDep, ctx: Writer, body: CustomerCreate) -> CustomerOut:
    """Create a customer with its contacts."""
    return CustomerOut.model_validate(service.create_customer(session, ctx, body))


@router.get("/{customer_id}", response_model=CustomerOut,
            responses=error_responses(401, 403, 404))
async def get_customer(session: SessionDep, _: Reader, customer_id: DbId) -> CustomerOut:
    """Read one customer."""
    return CustomerOut.model_validate(service.access_customer(session, customer_id))


@router.patch("/{customer_id}", response_model=CustomerOut,
              responses=error_responses(400, 401, 403, 404))
async def update_customer(session: SessionDep, ctx: Writer, customer_id: DbId,
                    body: CustomerUpdate) -> CustomerOut:
    """Change a customer; `contacts`, when given, replaces the list."""
    customer = service.access_customer(session, customer_id)
    return CustomerOut.model_validate(service.update_customer(session, ctx, customer, body))


@router.delete("/{customer_id}", status_code=204, responses=error_responses(401, 403, 404, 409))
async def delete_customer(session: SessionDep, ctx: Deleter, customer_id: DbId) -> None:
    """Delete a customer that has no devices and no orders."""
    customer = service.access_customer(session, customer_id)
    in_use = devices.count_for_customer(session, customer.id) > 0 or orders.has_orders(
        session, customer_id=customer.id)
    service.delete_customer(session, ctx, customer, in_use)
