"""Attachment routes: staff upload repair evidence and read an order's files."""

from fastapi import APIRouter, UploadFile
from fastapi.responses import FileResponse

from bihuan.attachments import service
from bihuan.attachments.schemas import AttachmentOut
from bihuan.deps import SessionDep, SettingsDep, require
from bihuan.kit.schemas import error_responses
from bihuan.kit.validators import DbId
from bihuan.users.roles import STAFF, Role
from bihuan.workorders import service as workorders

router = APIRouter(tags=["attachments"])
Reader = require(*STAFF)
Uploader = require(Role.admin, Role.agent, Role.dispatcher, Role.supervisor, Role.engineer)
# content-addressed: the bytes behind an id never change
_IMMUTABLE = {"Cache-Control": "private, max-age=31536000, immutable"}


@router.post("/work-orders/{order_id}/attachments", status_code=201,
             response_model=AttachmentOut, responses=error_responses(400, 401, 403, 404, 409, 413))
async def upload_attachment(session: SessionDep, ctx: Uploader, settings: SettingsDep,
                            order_id: DbId, file: UploadFile) -> AttachmentOut:
    """Upload a repair photo (or video); photos count as evidence for `resolve`."""
    order = workorders.access_order(session, ctx, order_id)
    workorders.check_evidence_allowed(ctx, order)
    att = service.add_upload(session, ctx, settings.data_dir, order.id, file.file,
                             file.filename, source="staff")
    if att.kind == "photo":
        workorders.add_photo_ref(session, ctx, order, f"attachment:{att.id}")
    return AttachmentOut.model_validate(att)


@router.get("/attachments/{attachment_id}/content", response_class=FileResponse,
            responses=error_responses(401, 403, 404))
async def attachment_content(session: SessionDep, ctx: Reader, settings: SettingsDep,
                             attachment_id: DbId) -> FileResponse:
    """The file itself, for staff who may see its order."""
    att = service.get(session, attachment_id)
    if att.work_order_id is not None:
        workorders.access_order(session, ctx, att.work_order_id)
    return FileResponse(service.file_path(settings.data_dir, att), media_type=att.content_type,
                        headers=_IMMUTABLE)
