"""The confirmation target's deadline on the order and when the confirmation came; the
earliest open deadline (`sla_due_at`), indexed, for the overdue filter and the board's count

Revision ID: d4f2a1b3c5e6
Revises: c3e1f0a9d210
Create Date: 2026-11-22 07:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bihuan.db

revision: str = "d4f2a1b3c5e6"
down_revision: str | None = "c3e1f0a9d210"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# the earliest of two nullable times, in SQL both databases run the same way
_EARLIEST = "CASE WHEN {a} IS NULL THEN {b} WHEN {b} IS NULL OR {a} < {b} THEN {a} ELSE {b} END"
_RESPONSE = "CASE WHEN accepted_at IS NULL AND started_at IS NULL THEN response_due_at END"
_RESOLUTION = "CASE WHEN resolved_at IS NULL THEN resolution_due_at END"
# open orders with a clock: running, both open deadlines; on hold, those missed before it
BACKFILL = f"""
UPDATE work_orders SET sla_due_at = CASE
  WHEN sla_running_since IS NOT NULL THEN {_EARLIEST.format(a=_RESPONSE, b=_RESOLUTION)}
  WHEN sla_paused_at IS NOT NULL THEN {_EARLIEST.format(
      a=f"CASE WHEN {_RESPONSE} <= sla_paused_at THEN response_due_at END",
      b=f"CASE WHEN {_RESOLUTION} <= sla_paused_at THEN resolution_due_at END")}
  END
WHERE state IN ('new', 'dispatching', 'assigned', 'in_progress', 'on_hold')
"""


def upgrade() -> None:
    with op.batch_alter_table("work_orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("confirmation_due_at",
                                      bihuan.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("confirmed_at", bihuan.db.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column("sla_due_at", bihuan.db.UTCDateTime(timezone=True),
                                      nullable=True))
    op.execute(BACKFILL)
    where = sa.text("sla_due_at IS NOT NULL")
    op.create_index("ix_work_orders_sla_due", "work_orders", ["sla_due_at"],
                    postgresql_where=where, sqlite_where=where)


def downgrade() -> None:
    op.drop_index("ix_work_orders_sla_due", table_name="work_orders")
    with op.batch_alter_table("work_orders", schema=None) as batch_op:
        batch_op.drop_column("sla_due_at")
        batch_op.drop_column("confirmed_at")
        batch_op.drop_column("confirmation_due_at")
