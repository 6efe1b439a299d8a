"""Indexes the SLA sweeper's writes no longer maintain: the work orders' response and
resolution due-at indexes go (no query can use them: the overdue filter ORs them with
unindexable terms), and the indexes whose NULL keys serve no query become partial, so an
order without an assignee, a device, a closer or a running SLA clock has no entry in them,
nor an outbox row without a throttle key (in-app and fan-out rows) in the throttle's index

Revision ID: 5b2d7c9e41a3
Revises: e804ddbb8054
Create Date: 2026-11-22 04:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5b2d7c9e41a3"
down_revision: str | None = "e804ddbb8054"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# name: (table, columns, the column whose NULLs are left out)
PARTIAL = {
    "ix_work_orders_sla_next": ("work_orders", ["sla_next_at"], "sla_next_at"),
    "ix_work_orders_assignee_state": ("work_orders", ["assignee_id", "state", "created_at",
                                                      "id"], "assignee_id"),
    "ix_work_orders_device_id": ("work_orders", ["device_id"], "device_id"),
    "ix_work_orders_closed_by": ("work_orders", ["closed_by_id", "closed_at"], "closed_by_id"),
    "ix_outbox_throttle": ("outbox", ["throttle_key", "sent_at"], "throttle_key"),
}
DROPPED = {"ix_work_orders_response_due": ["response_due_at"],
           "ix_work_orders_resolution_due": ["resolution_due_at"]}


def upgrade() -> None:
    for name in DROPPED:
        op.drop_index(name, table_name="work_orders")
    for name, (table, columns, key) in PARTIAL.items():
        op.drop_index(name, table_name=table)
        where = sa.text(f"{key} IS NOT NULL")
        op.create_index(name, table, columns, postgresql_where=where, sqlite_where=where)


def downgrade() -> None:
    for name, (table, columns, _) in PARTIAL.items():
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns)
    for name, columns in DROPPED.items():
        op.create_index(name, "work_orders", columns)
