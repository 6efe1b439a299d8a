"""Work orders and what hangs off them."""

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from bihuan.db import Base
from bihuan.kit.models import Timestamps


def _non_null(column: str) -> dict[str, Any]:
    """A partial index without the rows whose `column` is NULL: no query looks for those
    through it, and an UPDATE of such a row (PostgreSQL writes an entry in every index the
    row is in) has one index less to maintain."""
    where = text(f"{column} IS NOT NULL")
    return {"postgresql_where": where, "sqlite_where": where}


class WorkOrder(Timestamps, Base):
    __tablename__ = "work_orders"
    __table_args__ = (
        # each list filter has an index ending in the list order (created_at, id), so a page
        # is read in index order and stops after `limit` rows
        Index("ix_work_orders_state_created", "state", "created_at", "id"),
        Index("ix_work_orders_type_created", "type", "created_at", "id"),
        Index("ix_work_orders_customer_created", "customer_id", "created_at", "id"),
        Index("ix_work_orders_assignee_state", "assignee_id", "state", "created_at", "id",
              **_non_null("assignee_id")),
        Index("ix_work_orders_created", "created_at", "id"),
        Index("ix_work_orders_closed_by", "closed_by_id", "closed_at", **_non_null("closed_by_id")),
        Index("ix_work_orders_device_id", "device_id", **_non_null("device_id")),
        # "overdue": the earliest open deadline passed (the list filter, the board's count)
        Index("ix_work_orders_sla_due", "sla_due_at", **_non_null("sla_due_at")),
        # room on each page for the in-place (HOT) updates of the columns no index holds:
        # the sweeper's escalation level and board flag, version and updated_at
        {"postgresql_with": {"fillfactor": 85}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    # the customer's key to the progress page /t/<code>: random, reveals nothing
    tracking_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    type: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(32))
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    fault_type: Mapped[str | None] = mapped_column(String(64))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reporter_name: Mapped[str | None] = mapped_column(String(64))
    reporter_phone: Mapped[str | None] = mapped_column(String(32))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    repair_note: Mapped[str | None] = mapped_column(Text)
    photo_refs: Mapped[list[Any]] = mapped_column(default=list)
    hold_from_state: Mapped[str | None] = mapped_column(String(32))
    accepted_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # bumped on every change; clients may send it back as expected_version
    version: Mapped[int] = mapped_column(default=1)
    # SLA clock (see bihuan.sla.clock): deadlines, pause, escalation, and the sweeper's due
    sla_policy_id: Mapped[int | None] = mapped_column(ForeignKey("sla_policies.id"))
    response_due_at: Mapped[datetime | None]
    resolution_due_at: Mapped[datetime | None]
    # the optional confirmation target: set at resolve, met when the customer's confirmation
    # (or the QA verification) is recorded, cleared when the order is sent back to work
    confirmation_due_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    # the earliest deadline still open (response, resolution, confirmation); while on hold
    # only one missed before the hold; NULL when none: "overdue" is sla_due_at < now
    sla_due_at: Mapped[datetime | None]
    sla_running_since: Mapped[datetime | None]
    sla_elapsed_seconds: Mapped[float] = mapped_column(default=0.0)
    sla_paused_at: Mapped[datetime | None]
    sla_paused_seconds: Mapped[float] = mapped_column(default=0.0)
    escalation_level: Mapped[int] = mapped_column(default=0)
    # on the director's board since (3rd escalation, or not dispatched in time)
    board_since: Mapped[datetime | None]
    board_reason: Mapped[str | None] = mapped_column(String(32))
    # from the customer's report to the signed confirmation, wall-clock
    customer_seconds: Mapped[float | None]


class SlaTimer(Base):
    """When the SLA sweeper must next look at an order (a deadline turning at risk or falling
    due, the next escalation level, the dispatch limit); no row: nothing to watch.

    Its own narrow table, not a column of `work_orders`: the sweeper moves it on every order
    it looks at, and a changed indexed column makes PostgreSQL write an entry in every index
    of the row's table (no HOT update). Here that is two small indexes; the order's row keeps
    its own (escalation level, board flag: no index) and is updated in place."""

    __tablename__ = "sla_timers"

    work_order_id: Mapped[int] = mapped_column(
        ForeignKey("work_orders.id", ondelete="CASCADE"), primary_key=True,
        autoincrement=False)
    next_at: Mapped[datetime] = mapped_column(index=True)


class ExternalRef(Base):
    """Where this order also lives (Zendesk ticket, Jira key, ERP event) and when it last synced."""

    __tablename__ = "work_order_external_refs"
    __table_args__ = (UniqueConstraint("system", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(
        ForeignKey("work_orders.id", ondelete="CASCADE"), index=True
    )
    system: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(128))
    url: Mapped[str | None] = mapped_column(String(500))
    last_synced_at: Mapped[datetime | None]


class Confirmation(Base):
    """A customer's confirmation or a QA verification of the work done."""

    __tablename__ = "work_order_confirmations"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # customer | qa
    signed_by: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # a handwritten signature: the PNG (an attachment) and the pad's stroke points with timing
    signature_attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    signature_strokes: Mapped[list[Any] | None]
    created_at: Mapped[datetime]


class SuspectedFakeCompletion(Base):
    __tablename__ = "suspected_fake_completions"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(String(16))  # fast_close | bulk
    seconds_after_resolve: Mapped[float | None]
    detail: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(index=True)


class NumberSequence(Base):
    """Per-month counters behind WO-YYMM-NNNNNN."""

    __tablename__ = "number_sequences"

    key: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[int]


class SavedView(Base):
    """A named set of list filters: a person's own, or shared with everyone of a role."""

    __tablename__ = "saved_views"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    filters: Mapped[dict[str, Any]]
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str | None] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime]
