"""Attachment use cases: store the checked bytes, write the row and its audit event."""

from pathlib import Path
from typing import BinaryIO

from sqlalchemy.orm import Session

from bihuan.attachments import repository, storage
from bihuan.attachments.models import Attachment
from bihuan.audit import service as audit
from bihuan.errors import not_found
from bihuan.kit.clock import utcnow
from bihuan.kit.context import RequestContext

ENTITY = "work_order"


def _record(session: Session, ctx: RequestContext, att: Attachment) -> Attachment:
    repository.add(session, att)
    audit.record(session, ctx, "attachment:add", ENTITY, att.work_order_id, {"attachment": [
        None, {"id": att.id, "kind": att.kind, "source": att.source, "sha256": att.sha256,
               "size": att.size, "content_type": att.content_type}]})
    return att


def store(data_dir: Path, src: BinaryIO) -> storage.Stored:
    """Check an upload (type by content, size, video length) and keep its bytes."""
    return storage.save_upload(data_dir, src)


def add_upload(session: Session, ctx: RequestContext, data_dir: Path, order_id: int,
               src: BinaryIO, original_name: str | None, source: str) -> Attachment:
    """Check and store an uploaded file for an order (the caller has checked access)."""
    return add_stored(session, ctx, order_id, store(data_dir, src), original_name, source)


def add_stored(session: Session, ctx: RequestContext, order_id: int, stored: storage.Stored,
               original_name: str | None, source: str) -> Attachment:
    """Record a file already checked and kept by `store`."""
    return _record(session, ctx, Attachment(
        work_order_id=order_id, kind=stored.kind, source=source,
        content_type=stored.content_type, size=stored.size, sha256=stored.sha256,
        original_name=(original_name or None) and original_name[:255],
        duration_seconds=stored.duration_seconds, uploaded_by_id=ctx.actor.user_id,
        created_at=utcnow()))


def add_signature(session: Session, ctx: RequestContext, data_dir: Path, order_id: int,
                  png: bytes) -> Attachment:
    """Store a signature image drawn by the customer."""
    sha = storage.save_bytes(data_dir, png)
    return _record(session, ctx, Attachment(
        work_order_id=order_id, kind="signature", source="customer", content_type="image/png",
        size=len(png), sha256=sha, original_name="signature.png", duration_seconds=None,
        uploaded_by_id=ctx.actor.user_id, created_at=utcnow()))


def get(session: Session, attachment_id: int) -> Attachment:
    att = repository.get(session, attachment_id)
    if att is None:
        raise not_found("附件", "Attachment")
    return att


def for_order(session: Session, order_id: int) -> list[Attachment]:
    return repository.for_order(session, order_id)


def file_path(data_dir: Path, att: Attachment) -> Path:
    path = storage.path_for(data_dir, att.sha256)
    if not path.is_file():
        raise not_found("附件文件", "Attachment file")
    return path
