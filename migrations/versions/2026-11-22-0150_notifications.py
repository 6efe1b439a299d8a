"""Notifications: outbox, in-app notifications, channels, templates, preferences

Revision ID: b1h0notify01
Revises: ff080f3a12c2
Create Date: 2026-11-22 01:50:00
"""
from collections.abc import Sequence

revision: str = "b1h0notify01"
down_revision: str | None = "ff080f3a12c2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
