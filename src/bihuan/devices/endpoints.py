"""Device routes."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from bihuan.deps import SessionDep, SettingsDep, require
from bihuan.devices import service
from bihuan.devices.labels import labels_pdf
from bihuan.devices.schemas import DeviceCreate, DeviceOut, DeviceUpdate
from bihuan.errors import BadInput
from bihuan.kit.pagination import Page, PageParams, page_params
from bihuan.kit.schemas import error_responses
from bihuan.kit.validators import DbId
from bihuan.users.roles import DESK, Role
from bihuan.workorders import service as orders

router = APIRouter(prefix="/devices", tags=["devices"])
Reader = require(*DESK)
Writer = require(Role.admin, Role.agent, Role.supervisor)
Deleter = require(Role.admin, Role.supervisor)


@router.get("", response_model=Page[DeviceOut], responses=error_responses(401, 403))
async def list_devices(
    session: SessionDep, _: Reader, page: Annotated[PageParams, Depends(page_params)],
    q: Annotated[str | None, Query(max_length=64, description="serial, tag id or model")] = None,
    customer_id: DbId | None = None,
    family: Annotated[str | None, Query(max_length=32)] = None,
    model: Annotated[str | None, Query(max_length=64)] = None,
) -> Page[DeviceOut]:
    """List devices, filtered by customer, family and model, searched by serial or tag."""
    rows, total = service.list_devices(session, q=q, customer_id=customer_id, family=family,
                                       model=model, limit=page.limit, offset=page.offset)
    return Page(items=[service.to_out(r) for r in rows], total=total, limit=page.limit,
                offset=page.offset)


@router.get("/labels.pdf", response_class=Response, responses={
    **error_responses(400, 401, 403), 200: {"content": {"application/pdf": {}}}})
async def device_labels(
    request: Request, session: SessionDep, _: Reader, settings: SettingsDep,
    ids: Annotated[str, Query(max_length=2000, pattern=r"^\d+(,\d+)*$",
                              description="comma-separated device ids, at most 240")],
) -> Response:
    """A4 sheet of QR labels (model, serial, QR to the device's report page) as PDF."""
    wanted = list(dict.fromkeys(int(i) for i in ids.split(",")))
    if len(wanted) > 240:
        raise BadInput("一次最多打印 240 个标签(10 页)", "At most 240 labels (10 sheets) at once",
                       code="too_many_labels")
    # ids past the 32-bit column cannot exist; do not send them to the driver
    found = service.by_ids(session, [i for i in wanted if 1 <= i <= 2**31 - 1])
    if len(found) != len(wanted):
        missing = sorted(set(wanted) - {d.id for d in found})
        raise BadInput(f"设备不存在:{missing}", f"Devices not found: {missing}",
                       code="device_not_found", details={"missing": missing})
    base = settings.public_base_url or str(request.base_url)
    pdf = await run_in_threadpool(labels_pdf, base, found)
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": 'inline; filename="device-labels.pdf"'})


@router.post("", status_code=201, response_model=DeviceOut,
             responses=error_responses(400, 401, 403, 409))
async def create_device(session: SessionDep, ctx: Writer, body: DeviceCreate) -> DeviceOut:
    """Register a device; the response carries its QR token."""
    return service.to_out(service.create_device(session, ctx, body))


@router.get("/{device_id}", response_model=DeviceOut, responses=error_responses(401, 403, 404))
async def get_device(session: SessionDep, _: Reader, device_id: DbId) -> DeviceOut:
    """Read one device."""
    return service.to_out(service.access_device(session, device_id))


@router.patch("/{device_id}", response_model=DeviceOut,
              responses=error_responses(400, 401, 403, 404, 409))
async def update_device(session: SessionDep, ctx: Writer, device_id: DbId,
                  body: DeviceUpdate) -> DeviceOut:
    """Change a device (the serial number and QR token are fixed)."""
    device = service.access_device(session, device_id)
    return service.to_out(service.update_device(session, ctx, device, body))


@router.delete("/{device_id}", status_code=204, responses=error_responses(401, 403, 404, 409))
async def delete_device(session: SessionDep, ctx: Deleter, device_id: DbId) -> None:
    """Delete a device that no order refers to."""
    device = service.access_device(session, device_id)
    service.delete_device(session, ctx, device, orders.has_orders(session, device_id=device.id))
