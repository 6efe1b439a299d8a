"""Fixtures: every test runs on SQLite and, when reachable, on PostgreSQL.

PostgreSQL is used when BIHUAN_TEST_DATABASE_URL is set or a local server answers at
127.0.0.1:5432 (database `test`); BIHUAN_REQUIRE_POSTGRES=1 turns "unreachable" into a failure.
"""

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient
from sqlalchemy import MetaData, Table, text

from bihuan.config import Settings
from bihuan.db import Database
from bihuan.kit import tokencache
from bihuan.sla import service as sla
from bihuan.kit.clock import set_clock
from bihuan.main import create_app
from bihuan.migrate import upgrade
from tests.factories import Factory

# channel secrets are encrypted with this key (else a key file would be made in ./data)
os.environ.setdefault("BIHUAN_SECRET_KEY", Fernet.generate_key().decode())
PG_ADMIN_URL = os.environ.get("BIHUAN_TEST_DATABASE_URL",
                              "postgresql://postgres@127.0.0.1:5432/test")
REQUIRE_PG = os.environ.get("BIHUAN_REQUIRE_POSTGRES") == "1"


def _pg_reachable() -> bool:
    try:
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=2):
            return True
    except psycopg.Error:
        return False


PG_OK = _pg_reachable()


def _sa_url(url: str) -> str:
    return "postgresql+psycopg://" + url.split("://", 1)[1]


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and not PG_OK:
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL required but not reachable at {PG_ADMIN_URL}")
        pytest.skip("PostgreSQL not reachable")
    return str(request.param)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "bihuan.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A private, migrated database for this test process (xdist workers get their own)."""
    if not PG_OK:
        pytest.skip("PostgreSQL not reachable")
    name = f"bihuan_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    url = _sa_url(f"{base}/{name}")
    upgrade(url)
    yield url
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# reference data the migrations seed (generic fault types, calendars, SLA policies and the
# matrix): every test starts from exactly these rows, as a fresh SQLite copy does
SEEDED = ("fault_presets", "business_calendars", "sla_policies", "sla_rules")


@pytest.fixture(scope="session")
def pg_db(pg_database: str) -> Iterator[Database]:
    db = Database(pg_database)
    with db.engine.connect() as conn:
        db.seeded = {t: [dict(r._mapping) for r in conn.execute(text(f"SELECT * FROM {t}"))]
                     for t in SEEDED}  # type: ignore[attr-defined]
    yield db
    db.dispose()


def _truncate_pg(db: Database) -> None:
    meta = MetaData()
    with db.engine.begin() as conn:
        tables = [r[0] for r in conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname='public' "
            "AND tablename <> 'alembic_version'"))]
        # replica mode skips the append-only trigger, as only a superuser could
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        for name, rows in db.seeded.items():  # type: ignore[attr-defined]
            if rows:
                table = Table(name, meta, autoload_with=conn)
                conn.execute(table.insert(), rows)
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                  f"(SELECT max(id) FROM {name}))"))


@pytest.fixture
def db(backend: str, tmp_path: Path, sqlite_template: Path,
       request: pytest.FixtureRequest) -> Iterator[Database]:
    """A clean, migrated database for one test."""
    if backend == "sqlite":
        path = tmp_path / "bihuan.db"
        shutil.copy(sqlite_template, path)
        database = Database(f"sqlite:///{path}")
        yield database
        database.dispose()
    else:
        database = request.getfixturevalue("pg_db")
        _truncate_pg(database)
        yield database


@pytest.fixture
def settings(db: Database, tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, database_url=str(db.engine.url.render_as_string(
        hide_password=False)))


@pytest.fixture
def app(settings: Settings, db: Database):  # type: ignore[no-untyped-def]
    return create_app(settings, db)


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app) as c:
        yield c


@pytest.fixture
def f(db: Database, settings: Settings) -> Factory:
    """Factories for users (with tokens), customers, devices and orders in any state."""
    return Factory(db, settings)


@pytest.fixture(autouse=True)
def _wall_clock() -> Iterator[None]:
    tokencache.clear()
    sla.invalidate()  # the SLA tables are cached per process; each test has its own data
    yield
    set_clock(None)
