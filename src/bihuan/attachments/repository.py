"""Every attachment query."""

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from bihuan.attachments.models import Attachment


def add(session: Session, att: Attachment) -> Attachment:
    session.add(att)
    session.flush()
    return att


def get(session: Session, attachment_id: int) -> Attachment | None:
    return session.get(Attachment, attachment_id)


_FOR_ORDER = (select(Attachment).where(Attachment.work_order_id == bindparam("oid"))
              .order_by(Attachment.id))


def for_order(session: Session, order_id: int) -> list[Attachment]:
    return list(session.scalars(_FOR_ORDER, {"oid": order_id}))
