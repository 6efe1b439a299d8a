"""Attachment API shapes."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, computed_field


class AttachmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    work_order_id: int | None
    kind: str
    source: str
    content_type: str
    size: int
    sha256: str
    original_name: str | None
    duration_seconds: float | None
    created_at: datetime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def url(self) -> str:
        return f"/api/v1/attachments/{self.id}/content"
