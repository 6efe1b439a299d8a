"""The sweeper's next check moves from `work_orders.sla_next_at` to its own narrow table,
`sla_timers`; `work_orders` keeps room on its pages (fillfactor 85) for in-place updates

Revision ID: e7a3c2d9b1f4
Revises: d4f2a1b3c5e6
Create Date: 2026-11-22 10:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bihuan.db

revision: str = "e7a3c2d9b1f4"
down_revision: str | None = "d4f2a1b3c5e6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sla_timers",
        sa.Column("work_order_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("next_at", bihuan.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["work_order_id"], ["work_orders.id"], ondelete="CASCADE",
                                name=op.f("fk_sla_timers_work_order_id_work_orders")),
        sa.PrimaryKeyConstraint("work_order_id", name=op.f("pk_sla_timers")),
    )
    op.create_index(op.f("ix_sla_timers_next_at"), "sla_timers", ["next_at"])
    op.execute("INSERT INTO sla_timers (work_order_id, next_at) "
               "SELECT id, sla_next_at FROM work_orders WHERE sla_next_at IS NOT NULL")
    op.drop_index("ix_work_orders_sla_next", table_name="work_orders")
    with op.batch_alter_table("work_orders", schema=None) as batch_op:
        batch_op.drop_column("sla_next_at")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE work_orders SET (fillfactor = 85)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE work_orders RESET (fillfactor)")
    with op.batch_alter_table("work_orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sla_next_at", bihuan.db.UTCDateTime(timezone=True),
                                      nullable=True))
    op.execute("UPDATE work_orders SET sla_next_at = (SELECT next_at FROM sla_timers "
               "WHERE sla_timers.work_order_id = work_orders.id)")
    where = sa.text("sla_next_at IS NOT NULL")
    op.create_index("ix_work_orders_sla_next", "work_orders", ["sla_next_at"],
                    postgresql_where=where, sqlite_where=where)
    op.drop_index(op.f("ix_sla_timers_next_at"), table_name="sla_timers")
    op.drop_table("sla_timers")
