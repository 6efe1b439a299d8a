"""PostgreSQL connections the server dropped are replaced without a ping on every request."""

import psycopg
import pytest
from sqlalchemy.exc import OperationalError

from bihuan import db as dbmod
from bihuan.db import Database, session_scope
from tests.conftest import PG_ADMIN_URL


def _pooled_connection_dropped(db: Database) -> None:
    with db.engine.connect() as conn:
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:  # a restart, a firewall
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))


def _read(db: Database) -> int:
    with session_scope(db, write=False) as s:
        return int(s.connection().exec_driver_sql("SELECT 1").scalar_one())


@pytest.fixture
def pg(pg_database):  # type: ignore[no-untyped-def]
    db = Database(pg_database)
    yield db
    db.dispose()


def test_an_idle_connection_is_pinged_and_replaced(pg, monkeypatch):
    _pooled_connection_dropped(pg)
    monkeypatch.setattr(dbmod, "IDLE_PING_SECONDS", 0.0)
    assert _read(pg) == 1


def test_a_connection_dropped_while_busy_fails_one_request_then_the_pool_recovers(pg):
    _pooled_connection_dropped(pg)  # idle for less than IDLE_PING_SECONDS: not pinged
    with pytest.raises(OperationalError) as e:
        _read(pg)
    assert e.value.connection_invalidated
    assert _read(pg) == 1


def test_reads_run_in_autocommit_writes_in_a_transaction(pg):
    with session_scope(pg, write=False) as s:
        assert s.connection().connection.driver_connection.autocommit
    with session_scope(pg) as s:
        assert not s.connection().connection.driver_connection.autocommit
