"""Migrations go down and up again, on SQLite and PostgreSQL, keeping the rows they do not
own: each on a database of its own, migrated from empty."""

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine

from bihuan.engineers.models import Engineer
from bihuan.migrate import alembic_config, upgrade
from bihuan.users.models import User
from tests.conftest import PG_ADMIN_URL

BEFORE_TEAMS = "5b2d7c9e41a3"


@pytest.fixture
def fresh_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """An empty database: a new SQLite file, or a new PostgreSQL database dropped after."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    name = f"bihuan_migrations_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        server = PG_ADMIN_URL.split("://", 1)[1].rsplit("/", 1)[0]
        yield f"postgresql+psycopg://{server}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _engineer_columns(engine: Engine) -> tuple[set[str], set[str]]:
    insp = inspect(engine)
    return ({c["name"] for c in insp.get_columns("engineers")},
            {i["name"] for i in insp.get_indexes("engineers")})


def test_engineer_teams_go_down_and_up_again(fresh_url: str) -> None:
    upgrade(fresh_url)
    engine = create_engine(fresh_url)
    try:
        columns, indexes = _engineer_columns(engine)
        assert "team" in columns and "ix_engineers_team" in indexes
        with engine.begin() as conn:
            uid = conn.execute(User.__table__.insert().returning(User.__table__.c.id), {
                "username": "li.gong", "display_name": "李工", "role": "engineer",
                "password_hash": "x"}).scalar_one()
            conn.execute(Engineer.__table__.insert(), {
                "user_id": uid, "skills": ["HR-E"], "cert_level": 3, "home_base": "深圳",
                "region": "华南", "team": "华南服务组"})

        command.downgrade(alembic_config(fresh_url), BEFORE_TEAMS)
        engine.dispose()
        columns, indexes = _engineer_columns(engine)
        assert "team" not in columns and "ix_engineers_team" not in indexes
        with engine.connect() as conn:
            assert conn.execute(text("SELECT home_base FROM engineers")).scalars().all() == [
                "深圳"]

        upgrade(fresh_url)
        engine.dispose()
        columns, indexes = _engineer_columns(engine)
        assert "team" in columns and "ix_engineers_team" in indexes
        with engine.connect() as conn:
            assert conn.execute(text("SELECT home_base, team FROM engineers")).all() == [
                ("深圳", None)]
    finally:
        engine.dispose()


BEFORE_CONFIRMATION = "c3e1f0a9d210"


def test_the_earliest_open_deadline_is_filled_in_for_existing_orders(fresh_url: str) -> None:
    """sla_due_at: running clocks take their earliest open deadline; held ones only one
    missed before the hold; closed orders none."""
    command.upgrade(alembic_config(fresh_url), BEFORE_CONFIRMATION)
    at = datetime(2026, 11, 16, 1, tzinfo=UTC)  # 09:00 in Shanghai
    h = timedelta(hours=1)
    orders = {  # name: (state, response due, resolution due, accepted, running, paused at)
        "running": ("assigned", at + h, at + 9 * h, None, at, None),
        "accepted": ("in_progress", at + h, at + 9 * h, at, at, None),
        "held_late": ("on_hold", at - h, at + 9 * h, None, None, at),
        "held_in_time": ("on_hold", at + 3 * h, at + 9 * h, None, None, at),
        "closed": ("closed", at + h, at + 9 * h, at, None, None),
    }
    engine = create_engine(fresh_url)
    try:
        with engine.begin() as conn:
            for i, (name, (state, response, resolution, accepted, running, paused)) in (
                    enumerate(orders.items())):
                conn.execute(text(
                    "INSERT INTO work_orders (number, type, state, priority, title, photo_refs,"
                    " version, created_at, updated_at, sla_elapsed_seconds, sla_paused_seconds,"
                    " escalation_level, response_due_at, resolution_due_at, accepted_at,"
                    " sla_running_since, sla_paused_at) VALUES (:number, 'repair', :state,"
                    " 'normal', :title, '[]', 1, :at, :at, 0, 0, 0, :response, :resolution,"
                    " :accepted, :running, :paused)"),
                    {"number": f"WO-2611-{i:06d}", "state": state, "title": name, "at": at,
                     "response": response, "resolution": resolution, "accepted": accepted,
                     "running": running, "paused": paused})
        upgrade(fresh_url)
        with engine.connect() as conn:
            got = dict(conn.execute(text("SELECT title, sla_due_at FROM work_orders")).all())
        as_time = {k: v if v is None or isinstance(v, datetime) else datetime.fromisoformat(v)
                   for k, v in got.items()}
        assert {k: v and v.replace(tzinfo=UTC) for k, v in as_time.items()} == {
            "running": at + h, "accepted": at + 9 * h, "held_late": at - h,
            "held_in_time": None, "closed": None}
    finally:
        engine.dispose()


BEFORE_TIMERS = "d4f2a1b3c5e6"


def test_the_next_checks_move_to_their_own_table_and_back(fresh_url: str) -> None:
    """sla_next_at leaves work_orders for sla_timers (orders without one get no row) and
    comes back on the way down."""
    command.upgrade(alembic_config(fresh_url), BEFORE_TIMERS)
    at = datetime(2026, 11, 16, 1, tzinfo=UTC)
    engine = create_engine(fresh_url)
    try:
        with engine.begin() as conn:
            for i, next_at in enumerate((at, None, at + timedelta(hours=3))):
                conn.execute(text(
                    "INSERT INTO work_orders (id, number, type, state, priority, title,"
                    " photo_refs, version, created_at, updated_at, sla_elapsed_seconds,"
                    " sla_paused_seconds, escalation_level, sla_next_at) VALUES (:id, :number,"
                    " 'repair', 'new', 'normal', 't', '[]', 1, :at, :at, 0, 0, 0, :next_at)"),
                    {"id": i + 1, "number": f"WO-2611-{i:06d}", "at": at, "next_at": next_at})
        upgrade(fresh_url)
        assert "sla_next_at" not in {c["name"] for c in inspect(engine).get_columns("work_orders")}
        with engine.connect() as conn:
            got = conn.execute(text("SELECT work_order_id, next_at FROM sla_timers "
                                    "ORDER BY work_order_id")).all()
        assert [(oid, _utc(v)) for oid, v in got] == [(1, at), (3, at + timedelta(hours=3))]
        command.downgrade(alembic_config(fresh_url), BEFORE_TIMERS)
        with engine.connect() as conn:
            back = conn.execute(text("SELECT id, sla_next_at FROM work_orders ORDER BY id")).all()
        assert [(oid, v and _utc(v)) for oid, v in back] == [
            (1, at), (2, None), (3, at + timedelta(hours=3))]
        assert "sla_timers" not in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def _utc(value: datetime | str) -> datetime:
    """A stored time as an aware UTC datetime (SQLite gives naive text)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
