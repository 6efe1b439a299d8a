"""Every attachment query."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from bihuan.attachments.models import Attachment


def add(session: Session, att: Attachment) -> Attachment:
    session.add(att)
    session.flush()
    return att


def get(session: Session, attachment_id: int) -> Attachment | None:
    return session.get(Attachment, attachment_id)


def for_order(session: Session, order_id: int) -> list[Attachment]:
    return list(session.scalars(
        select(Attachment).where(Attachment.work_order_id == order_id).order_by(Attachment.id)))
