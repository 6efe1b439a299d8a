"""The customer's public routes: no login; the device token or tracking code is the key."""

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import FileResponse

from bihuan.attachments import service as attachments
from bihuan.deps import SessionDep, SettingsDep, anonymous_context
from bihuan.kit.context import RequestContext
from bihuan.kit.schemas import error_responses
from bihuan.kit.validators import DbId, Phone
from bihuan.portal import service
from bihuan.portal.ratelimit import MemoryLimiter
from bihuan.portal.schemas import (
    PortalConfirmIn,
    PortalDevice,
    PortalRejectIn,
    PortalReport,
    PortalTrack,
)

router = APIRouter(prefix="/portal", tags=["portal"])
Anon = Annotated[RequestContext, Depends(anonymous_context)]


async def read_limit(request: Request, ctx: Anon) -> RequestContext:
    """Per-IP limit on the public reads (per process; see ratelimit)."""
    state = request.app.state
    if not hasattr(state, "portal_reads"):
        state.portal_reads = MemoryLimiter(state.settings.portal_reads_per_ip_minute, 60.0)
    state.portal_reads.hit(f"read:{ctx.ip}")
    return ctx


Reader = Annotated[RequestContext, Depends(read_limit)]


@router.get("/devices/{token}", response_model=PortalDevice,
            responses=error_responses(404, 429))
async def device_page(session: SessionDep, _: Reader, token: str) -> PortalDevice:
    """The device behind a QR code, its fault presets and any report still open."""
    return service.device_page(session, token)


@router.post("/devices/{token}/reports", status_code=201, response_model=PortalReport,
             responses=error_responses(400, 404, 413, 429))
async def report_fault(
    session: SessionDep, ctx: Reader, settings: SettingsDep, token: str,
    fault_type: Annotated[str, Form(max_length=32, description="a preset code")],
    phone: Annotated[Phone, Form(description="mobile, or landline with area code")],
    name: Annotated[str | None, Form(max_length=64)] = None,
    description: Annotated[str | None, Form(max_length=2000)] = None,
    files: Annotated[list[UploadFile] | None, File(description="photos/videos, ≤50 MB, "
                                                   "video ≤30 s")] = None,
) -> PortalReport:
    """Report a fault from the device's QR code; answers the tracking code at once."""
    return service.report(session, ctx, settings, token, fault_type=fault_type, phone=phone,
                          name=(name or "").strip() or None,
                          description=(description or "").strip() or None,
                          files=[(f.file, f.filename) for f in files or []])


@router.get("/track/{code}", response_model=PortalTrack, responses=error_responses(404, 429))
async def track(session: SessionDep, _: Reader, code: str) -> PortalTrack:
    """Progress in plain words, the steps so far and, when done, the work to confirm."""
    return service.track(session, code)


@router.get("/track/{code}/files/{file_id}", response_class=FileResponse,
            responses=error_responses(404, 429))
async def track_file(session: SessionDep, _: Reader, settings: SettingsDep, code: str,
                     file_id: DbId) -> FileResponse:
    """A repair photo of this order."""
    att = service.file_for(session, code, file_id)
    return FileResponse(attachments.file_path(settings.data_dir, att),
                        media_type=att.content_type,
                        headers={"Cache-Control": "private, max-age=86400"})


@router.post("/track/{code}/confirm", response_model=PortalTrack,
             responses=error_responses(400, 404, 409, 429))
async def confirm(session: SessionDep, ctx: Reader, settings: SettingsDep, code: str,
                  body: PortalConfirmIn) -> PortalTrack:
    """Confirm the repair with a handwritten signature; the order closes."""
    return service.confirm(session, ctx, settings, code, body)


@router.post("/track/{code}/reject", response_model=PortalTrack,
             responses=error_responses(400, 404, 409, 429))
async def reject(session: SessionDep, ctx: Reader, settings: SettingsDep, code: str,
                 body: PortalRejectIn) -> PortalTrack:
    """Not fixed: send the order back to the engineer with the reason."""
    return service.reject(session, ctx, settings, code, body)
