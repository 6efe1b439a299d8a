"""Work-order routes: thin; the service does the work."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy.orm import Session

from bihuan.audit import service as audit
from bihuan.deps import GroupDep, SessionDep, SettingsDep, require
from bihuan.errors import DomainError
from bihuan.kit import rowjson
from bihuan.kit.clock import utcnow
from bihuan.kit.pagination import Page, PageParams, page_params
from bihuan.kit.schemas import error_responses, json_response
from bihuan.kit.validators import DbId
from bihuan.users import service as users
from bihuan.users.roles import STAFF, Role
from bihuan.workorders import service
from bihuan.workorders.enums import OrderType, State
from bihuan.workorders.repository import OrderFilter
from bihuan.workorders.schemas import (
    BulkItemOut,
    BulkTransitionIn,
    ConfirmationIn,
    ConfirmationOut,
    EventOut,
    SavedViewIn,
    SavedViewOut,
    SuspectedFakeOut,
    TransitionIn,
    WorkOrderCreate,
    WorkOrderDetail,
    WorkOrderOut,
    WorkOrderUpdate,
)

router = APIRouter(prefix="/work-orders", tags=["work-orders"])
views_router = APIRouter(prefix="/saved-views", tags=["saved-views"])
Reader = require(*STAFF)
Creator = require(Role.admin, Role.agent, Role.dispatcher, Role.supervisor, grouped=True)
Editor = require(Role.admin, Role.agent, Role.dispatcher, Role.supervisor, Role.engineer)
Mover = require(Role.admin, Role.agent, Role.dispatcher, Role.supervisor, Role.engineer)
GroupMover = require(Role.admin, Role.agent, Role.dispatcher, Role.supervisor, Role.engineer,
                     grouped=True)
BulkMover = require(Role.admin, Role.agent, Role.dispatcher, Role.supervisor)
Watcher = require(Role.admin, Role.supervisor, Role.director)


# the list's answer, written from the plain row dicts (kit.rowjson)
ListPage = Page[WorkOrderOut]


@router.get("", response_model=ListPage, responses=error_responses(401, 403))
async def list_work_orders(
    session: SessionDep, ctx: Reader, settings: SettingsDep, page: Annotated[PageParams, Depends(page_params)],
    state: Annotated[list[State] | None, Query(description="repeat for several")] = None,
    type: OrderType | None = None,
    customer_id: DbId | None = None,
    assignee_id: DbId | None = None,
    device_id: DbId | None = None,
    created_from: Annotated[datetime | None, Query(description="inclusive, ISO 8601")] = None,
    created_to: Annotated[datetime | None, Query(description="exclusive, ISO 8601")] = None,
    q: Annotated[str | None, Query(max_length=64, description="number, tracking code, title, phone, customer name or device serial")] = None,
    overdue: Annotated[bool, Query(description="only open orders past an SLA deadline")] = False,
) -> Response:
    """List work orders, newest first; engineers see only orders assigned to them."""
    f = OrderFilter(state=[str(s) for s in state] if state else None, type=type,
                    customer_id=customer_id, assignee_id=assignee_id, device_id=device_id,
                    created_from=created_from, created_to=created_to, q=q,
                    overdue_at=utcnow() if overdue else None)
    rows, total, exact = service.list_orders(session, ctx, settings, f, page.limit, page.offset)
    return rowjson.response(ListPage, {"items": rows, "total": total, "limit": page.limit,
                                       "offset": page.offset, "total_exact": exact})


@router.post("", status_code=201, response_model=WorkOrderOut,
             responses=error_responses(400, 401, 403, 409))
async def create_work_order(group: GroupDep, ctx: Creator, settings: SettingsDep,
                            body: WorkOrderCreate) -> Response:
    """Create a work order (state `new`) with its number, e.g. WO-2601-000123."""
    # the number is given at the end of the batch: the answer is made once it has run
    order = await group.run(lambda session: service.create_order(session, ctx, settings, body))
    return json_response(WorkOrderOut.model_validate(order), 201)


@router.get("/suspected-fake-completions", response_model=Page[SuspectedFakeOut],
            responses=error_responses(401, 403))
async def list_suspected_fake_completions(
    session: SessionDep, _: Watcher, page: Annotated[PageParams, Depends(page_params)],
) -> Page[SuspectedFakeOut]:
    """Closes that came too fast after resolve, or in a bulk run: for supervisors to review."""
    rows, total = service.list_suspected(session, page.limit, page.offset)
    items = [SuspectedFakeOut.model_validate({**{c: getattr(r, c) for c in (
        "id", "work_order_id", "actor_id", "reason", "seconds_after_resolve", "detail",
        "created_at")}, "number": number, "actor_name": name}) for r, number, name in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post("/bulk-transitions", response_model=list[BulkItemOut],
             responses=error_responses(400, 401, 403))
async def bulk_transition(session: SessionDep, ctx: BulkMover, settings: SettingsDep,
                    body: BulkTransitionIn) -> list[BulkItemOut]:
    """Apply one action to many orders; each succeeds or fails alone. Closes here are flagged."""
    ctx.bulk = True
    out = []
    for order_id in dict.fromkeys(body.ids):
        try:
            with session.begin_nested():
                order = service.access_order(session, ctx, order_id)
                data = TransitionIn(action=body.action, reason=body.reason,
                                    assignee_id=body.assignee_id)
                order = service.transition(session, ctx, settings, order, data)
            out.append(BulkItemOut(id=order_id, ok=True, state=order.state))
        except DomainError as e:
            out.append(BulkItemOut(id=order_id, ok=False, error=e.body()))
    return out


@router.get("/{order_id}", response_model=WorkOrderDetail,
            responses=error_responses(401, 403, 404))
async def get_work_order(session: SessionDep, ctx: Reader, order_id: DbId) -> Response:
    """Read one order with its external references and the actions open to you."""
    return json_response(service.read_detail(session, ctx, order_id))


@router.patch("/{order_id}", response_model=WorkOrderDetail,
              responses=error_responses(400, 401, 403, 404, 409))
async def update_work_order(session: SessionDep, ctx: Editor, order_id: DbId,
                      body: WorkOrderUpdate) -> WorkOrderDetail:
    """Change fields; a closed or cancelled order needs a `reason`. State moves via transitions."""
    order = service.access_order(session, ctx, order_id)
    return service.detail(session, ctx, service.update_order(session, ctx, order, body))


@router.post("/{order_id}/transitions", response_model=WorkOrderDetail,
             responses=error_responses(400, 401, 403, 404, 409))
async def transition_work_order(group: GroupDep, ctx: GroupMover, settings: SettingsDep,
                                order_id: DbId, body: TransitionIn) -> Response:
    """Move the order through its workflow: {"action": "start"}; guards answer 409 with a code."""

    def job(session: Session) -> WorkOrderDetail:
        order = service.access_order(session, ctx, order_id)
        return service.detail(session, ctx,
                              service.transition(session, ctx, settings, order, body))

    return json_response(await group.run(job))


@router.post("/{order_id}/confirmations", status_code=201, response_model=ConfirmationOut,
             responses=error_responses(400, 401, 403, 404, 409))
async def add_confirmation(session: SessionDep, ctx: Mover, order_id: DbId,
                     body: ConfirmationIn) -> ConfirmationOut:
    """Record the customer's confirmation or a QA verification (needed to close)."""
    order = service.access_order(session, ctx, order_id)
    return ConfirmationOut.model_validate(service.add_confirmation(session, ctx, order, body))


@router.get("/{order_id}/events", response_model=Page[EventOut],
            responses=error_responses(401, 403, 404))
async def list_events(session: SessionDep, ctx: Reader, order_id: DbId,
                page: Annotated[PageParams, Depends(page_params)]) -> Page[EventOut]:
    """The order's audit trail, oldest first: who, when, from where, what changed."""
    order = service.access_order(session, ctx, order_id)
    rows, total = audit.events_for(session, service.ENTITY, order.id, page.limit, page.offset)
    names = users.display_names(session, {e.actor_id for e in rows if e.actor_id is not None})
    items = [EventOut.model_validate(e).model_copy(update={
        "actor_display_name": names.get(e.actor_id) if e.actor_id else None}) for e in rows]
    return Page(items=items, total=total,
                limit=page.limit, offset=page.offset)


@views_router.get("", response_model=list[SavedViewOut], responses=error_responses(401, 403))
async def list_saved_views(session: SessionDep, ctx: Reader) -> list[SavedViewOut]:
    """Your saved list filters and those shared with your role."""
    return [SavedViewOut.model_validate(v) for v in service.saved_views(session, ctx)]


@views_router.post("", status_code=201, response_model=SavedViewOut,
                   responses=error_responses(400, 401, 403))
async def create_saved_view(session: SessionDep, ctx: Reader, body: SavedViewIn) -> SavedViewOut:
    """Save the current list filters under a name (optionally for everyone with your role)."""
    return SavedViewOut.model_validate(service.create_saved_view(session, ctx, body))


@views_router.delete("/{view_id}", status_code=204, responses=error_responses(401, 403, 404))
async def delete_saved_view(session: SessionDep, ctx: Reader, view_id: DbId) -> None:
    """Delete one of your saved views."""
    service.delete_saved_view(session, ctx, view_id)
