"""Service teams: an engineer belongs to at most one team (by name), indexed for the team
filter and for the business calendars attached to teams

Revision ID: b57ba6472a80
Revises: 5b2d7c9e41a3
Create Date: 2026-11-22 05:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b57ba6472a80"
down_revision: str | None = "5b2d7c9e41a3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("engineers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("team", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_engineers_team"), ["team"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("engineers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_engineers_team"))
        batch_op.drop_column("team")
