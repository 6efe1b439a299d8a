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


def test_sqlite_checkpoints_run_in_the_background_not_in_a_commit(tmp_path):
    """A COMMIT that pushes the log past SQLite's default 1,000 pages leaves the pages in the
    log (it folds them back only past WAL_AUTOCHECKPOINT_PAGES); the background thread
    copies them into the database file, and stops with the database."""
    import time as _time

    from bihuan.db import WAL_AUTOCHECKPOINT_PAGES, Database

    path = tmp_path / "wal.db"
    db = Database(f"sqlite:///{path}")
    try:
        with db.engine.begin() as c:
            assert c.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == (
                WAL_AUTOCHECKPOINT_PAGES)
            c.exec_driver_sql("CREATE TABLE t (x TEXT)")
        with db.engine.begin() as c:  # about 1,500 pages of 4 KB
            c.exec_driver_sql("INSERT INTO t VALUES (?)", [("x" * 3000,)] * 1500)
        assert path.stat().st_size < 100_000  # all of it still in the log
        assert db.start_checkpoints(interval=0.05) and not db.start_checkpoints()
        deadline = _time.monotonic() + 10
        while path.stat().st_size < 4_000_000 and _time.monotonic() < deadline:
            _time.sleep(0.05)
        assert path.stat().st_size >= 4_000_000  # copied by the thread, not by us
        thread = db._checkpoints[1]
        assert thread.is_alive()
    finally:
        db.dispose()
    assert not thread.is_alive()
