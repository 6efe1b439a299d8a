"""Engine, declarative base with a naming convention, and the request-owned session."""

import logging
import os
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime
from typing import Any, ClassVar

import anyio.to_thread
import orjson
from sqlalchemy import JSON, DateTime, MetaData, create_engine, event, exc
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator

from bihuan.errors import DomainError
from bihuan.kit import jsontext

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: the in-process mutex still applies
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger("bihuan.db")

WRITE_LOCK_TIMEOUT = 30.0  # seconds, as SQLite's own busy_timeout
# a pooled PostgreSQL connection unused for this long is pinged before it is handed out
IDLE_PING_SECONDS = 10.0
# SQLite's write-ahead log is folded back into the database file by a background thread
# (`Database.start_checkpoints`) this often, not by whichever COMMIT happens to push the log
# past SQLite's default 1,000 pages: that COMMIT would copy every page and fsync the file
# before answering (about 50 ms of a 1,000-order SLA sweep). A writer still does it itself
# past WAL_AUTOCHECKPOINT_PAGES (16 MB): for processes without the thread, and as a bound.
CHECKPOINT_SECONDS = 1.0
WAL_AUTOCHECKPOINT_PAGES = 4000

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JSONType = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use kit.clock.utcnow()")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return _as_utc(value)

    def result_processor(self, dialect: Any, coltype: Any) -> Any:
        """One call per value instead of the decorator's two. A list page reads a few hundred
        times; SQLite's text parsed by SQLAlchemy and then given its zone took 1.2 µs each,
        `fromisoformat` with the offset appended takes 0.15 µs."""
        if dialect.name != "sqlite":
            return _as_utc
        parse = self.impl_instance.dialect_impl(dialect).result_processor(dialect, coltype)

        def sqlite_utc(value: str | None) -> datetime | None:
            if value is None:
                return None
            try:  # the layout SQLAlchemy writes: naive UTC, "2026-01-02 03:04:05.000006"
                return datetime.fromisoformat(value + "+00:00")
            except (TypeError, ValueError):  # anything else: as SQLAlchemy reads it
                return _as_utc(parse(value) if parse else value)

        return sqlite_utc


def _as_utc(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is UTC:  # PostgreSQL's, in our sessions (UTC)
        return value
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class json_array(FunctionElement[Any]):
    """A JSON array of the arguments (json_array on SQLite, json_build_array on PostgreSQL)."""

    type = JSON()
    inherit_cache = True
    names = ("json_array", "json_build_array")


class json_agg(FunctionElement[Any]):
    """A group's values as a JSON array, in no set order (json_group_array on SQLite, json_agg
    on PostgreSQL, where no rows give NULL)."""

    type = JSON()
    inherit_cache = True
    names = ("json_group_array", "json_agg")


@compiles(json_array)
@compiles(json_agg)
def _json_function(element: Any, compiler: Any, **kw: Any) -> str:
    sqlite_name, pg_name = element.names
    name = pg_name if compiler.dialect.name == "postgresql" else sqlite_name
    return f"{name}({compiler.process(element.clauses, **kw)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime, dict[str, Any]: JSONType, list[Any]: JSONType}


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create the engine; SQLite gets WAL, foreign keys and BEGIN IMMEDIATE for writers."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, echo=echo, json_serializer=jsontext.dumps, json_deserializer=orjson.loads,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=16, max_overflow=16,
            # the most recently used connection has the warmest page cache; a FIFO pool
            # would hand out connections whose cache another write has just invalidated
            pool_use_lifo=True,
        )

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn: Any, _rec: Any) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, see below
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            # A writer takes the write lock up front: a deferred transaction that reads
            # and then writes can fail with SQLITE_BUSY without waiting.
            write = conn.get_execution_options().get("bihuan_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine
    engine = create_engine(url, echo=echo, json_serializer=jsontext.dumps,
                           json_deserializer=orjson.loads, pool_size=20, max_overflow=10)

    @event.listens_for(engine, "connect")
    def _pg_connect(dbapi_conn: Any, _rec: Any) -> None:
        # sessions in UTC whatever the server's default: psycopg then gives times as
        # datetime.UTC, cheap to convert (a named zone costs a zone lookup per value), and
        # SQL date arithmetic does not depend on how the server was set up
        with dbapi_conn.cursor() as cur:
            cur.execute("SET TIME ZONE 'UTC'")
        dbapi_conn.commit()

    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """Disconnect handling without a round trip per request (SQLAlchemy's "Dealing with
    Disconnects"). pool_pre_ping sent a SELECT 1 at every checkout: a round trip more for
    every request. Connections die while idle (a server restart, a firewall or a pooler
    dropping quiet connections), so only a connection idle for IDLE_PING_SECONDS is pinged;
    a failed ping drops it and every older pooled connection, and the pool connects afresh.
    A connection that breaks in use raises a disconnect error, which SQLAlchemy answers the
    same way (its "optimistic" handling): that request fails, the next ones reconnect.
    pool_recycle is not needed on top: it guards against idle timeouts, which the ping
    covers."""

    @event.listens_for(engine, "checkin")
    def _idle_from(_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop("idle_since", None)
        if since is None or time.monotonic() - since < IDLE_PING_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as e:
            raise exc.InvalidatePoolError(str(e)) from e


class WriterQueue:
    """SQLite has one writer at a time. Writers queue here instead of polling in SQLite's busy
    handler (sleep 1, 2, 5… ms and retry), which wastes most of the time under concurrency:
    a mutex orders this process's threads, an flock() on a side file orders processes
    (`bihuan serve --workers N`); the kernel drops the flock if a process dies."""

    def __init__(self, db_path: str | None) -> None:
        self._mutex = threading.Lock()
        self._fd: int | None = None
        if db_path and fcntl is not None:
            self._fd = os.open(db_path + ".writer", os.O_RDWR | os.O_CREAT, 0o600)

    def acquire(self, timeout: float) -> bool:
        if not self._mutex.acquire(timeout=timeout):
            return False
        self._take_file_lock()
        return True

    async def acquire_async(self, timeout: float) -> bool:
        """Take the turn from the event loop: no thread hand-off unless someone holds it."""
        if not self._mutex.acquire(blocking=False) and not await anyio.to_thread.run_sync(
                self._mutex.acquire, True, timeout):
            return False
        # blocking on the loop is right here: the holder is another process, which holds the
        # turn for one request's statements (about a millisecond) and needs nothing from us
        self._take_file_lock()
        return True

    def _take_file_lock(self) -> None:
        """The cross-process half; call with the mutex held (released again on failure)."""
        if self._fd is None:
            return
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except BaseException:
            self._mutex.release()
            raise

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._mutex.release()

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class Database:
    """The engine plus a reader and a writer session factory."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.engine = make_engine(url, echo=echo)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        writer = self.engine.execution_options(bihuan_write=True)
        path = self.engine.url.database if self.is_sqlite else None
        on_disk = bool(path) and path != ":memory:" and not str(path).startswith("file:")
        self.write_lock = WriterQueue(path if on_disk else None) if self.is_sqlite else None
        # PostgreSQL reads run in autocommit: no BEGIN and ROLLBACK round trips around a read
        # of one statement. Each statement of a READ COMMITTED transaction takes its own
        # snapshot anyway, so a read sees the same data. Reader sessions must not write (their
        # changes were rolled back, they would now stay) nor rely on locks held to the end
        reads = self.engine if self.is_sqlite else self.engine.execution_options(
            isolation_level="AUTOCOMMIT")
        self.reader = sessionmaker(reads, expire_on_commit=False, autoflush=False)
        self.writer = sessionmaker(writer, expire_on_commit=False, autoflush=False)
        self.on_disk = on_disk
        self._checkpoints: tuple[threading.Event, threading.Thread] | None = None

    def session(self, *, write: bool) -> Session:
        return (self.writer if write else self.reader)()

    def checkpoint(self) -> tuple[int, int, int]:
        """SQLite: copy the log's committed pages into the database file, without waiting for
        readers or writers (PASSIVE). Returns (busy, pages in the log, pages copied)."""
        raw = self.engine.raw_connection()
        try:  # the driver connection is in autocommit: no transaction around the PRAGMA
            row = raw.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        finally:
            raw.close()
        return tuple(row)

    def start_checkpoints(self, interval: float = CHECKPOINT_SECONDS) -> bool:
        """Start the background checkpoints of an SQLite file; False when there is nothing to
        start (PostgreSQL, memory, already running). Run by every long-lived process that
        writes: the server and the worker. `stop_checkpoints` or `dispose` ends them."""
        if not (self.is_sqlite and self.on_disk) or self._checkpoints is not None:
            return False
        stop = threading.Event()
        thread = threading.Thread(target=self._checkpoint_loop, args=(stop, interval),
                                  name="bihuan-wal-checkpoint", daemon=True)
        self._checkpoints = stop, thread
        thread.start()
        return True

    def stop_checkpoints(self) -> None:
        if self._checkpoints is not None:
            stop, thread = self._checkpoints
            stop.set()
            thread.join(10)
            self._checkpoints = None

    def _checkpoint_loop(self, stop: threading.Event, interval: float) -> None:
        while not stop.wait(interval):
            try:
                self.checkpoint()
            except Exception:
                log.debug("WAL checkpoint skipped", exc_info=True)

    def dispose(self) -> None:
        self.stop_checkpoints()
        self.engine.dispose()
        if self.write_lock is not None:
            self.write_lock.close()


@contextmanager
def session_scope(db: Database, *, write: bool = True) -> Iterator[Session]:
    """Commit on success, roll back on error: the caller owns the transaction."""
    lock = db.write_lock if write else None
    if lock is None:
        with _scope(db, write) as session:
            yield session
        return
    if not lock.acquire(timeout=WRITE_LOCK_TIMEOUT):
        raise busy_error()
    try:
        with _scope(db, write) as session:
            yield session
    finally:
        lock.release()


@asynccontextmanager
async def session_scope_async(db: Database, *, write: bool = True) -> AsyncIterator[Session]:
    """session_scope for the event loop: queues for the SQLite writer turn without a thread."""
    lock = db.write_lock if write else None
    if lock is not None and not await lock.acquire_async(WRITE_LOCK_TIMEOUT):
        raise busy_error()
    try:
        with _scope(db, write) as session:
            yield session
    finally:
        if lock is not None:
            lock.release()


def busy_error() -> DomainError:
    return DomainError("数据库繁忙,请稍后重试", "The database is busy; try again shortly",
                       code="database_busy", status_code=503, headers={"Retry-After": "1"})


@contextmanager
def _scope(db: Database, write: bool) -> Iterator[Session]:
    session = db.session(write=write)
    try:
        yield session
        if write:
            session.commit()
        else:
            session.rollback()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
