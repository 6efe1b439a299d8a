"""Reading the audit trail straight from the database, for assertions."""

from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select, update

from bihuan.audit.models import AuditEvent, AuditHead
from bihuan.db import Database, session_scope
from bihuan.users import service as users_service
from bihuan.users.models import User
from tests.factories import PASSWORD


def last_seq(db: Database) -> int:
    with db.session(write=False) as s:
        return s.scalar(select(func.max(AuditEvent.seq))) or 0


def events_since(db: Database, seq: int) -> list[AuditEvent]:
    """Events with a seq above `seq`, oldest first."""
    with db.session(write=False) as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.seq > seq)
                              .order_by(AuditEvent.seq)))


def head(db: Database) -> tuple[int, str] | None:
    with db.session(write=False) as s:
        row = s.execute(select(AuditHead.seq, AuditHead.hash)).first()
        return (row.seq, row.hash) if row else None


def count(db: Database, model: Any, *where: Any) -> int:
    with db.session(write=False) as s:
        return s.scalar(select(func.count()).select_from(model).where(*where)) or 0


def only_event(db: Database, seq: int, **expect: Any) -> AuditEvent:
    """Exactly one event was written after `seq`, and it has these attributes."""
    new = events_since(db, seq)
    assert len(new) == 1, [(e.action, e.entity_type, e.entity_id) for e in new]
    e = new[0]
    for k, v in expect.items():
        assert getattr(e, k) == v, (k, getattr(e, k), v)
    return e


# argon2 with test-sized costs (verify reads the costs from the hash itself)
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture
def fast_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """New passwords get test-sized argon2 costs: these tests are not about hashing speed."""
    monkeypatch.setattr(users_service, "_hasher", CHEAP_HASHER)


def cheap_password(db: Database, user_id: int, password: str = PASSWORD) -> None:
    """Give a user a cheap-to-verify hash of `password`, for tests that log in a lot."""
    with session_scope(db) as s:
        s.execute(update(User).where(User.id == user_id).values(
            password_hash=CHEAP_HASHER.hash(password)))
