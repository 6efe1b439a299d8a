"""Tamper detection on the real database: verify() names the first event that does not link.

The attacker is a DBA: on PostgreSQL the tampering transaction sets
session_replication_role = replica (superuser only) to get past the append-only trigger.
Randomised trials roll their tampering back, so one chain serves every trial.
"""

import os
import random
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlalchemy import Connection, delete, func, insert, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from bihuan.audit import repository, service
from bihuan.audit.chain import GENESIS, link_hash
from bihuan.audit.models import AuditEvent, AuditHead
from tests.audit.helpers import cheap_password, head

EV = AuditEvent.__table__
HEAD = AuditHead.__table__
GPS_HEADER = {"X-Client-GPS": "31.2304,121.4737,15", "User-Agent": "BihuanApp/2.1 (Android 14)"}


# ---------------------------------------------------------------- the chain under attack
@pytest.fixture
def chain(f, client, db) -> int:
    """A realistic chain (orders through their workflow, master data, logins, GPS, reasons)."""
    admin, eng, _ = f.user("admin"), f.user("engineer"), f.user("supervisor")  # before f.order
    for state in ("closed", "on_hold", "cancelled", "assigned"):
        f.order(state)
    f.device(f.customer(name="深圳华强精密(测试)"), tag_id="NFC-0001")
    oid = f.order("assigned", assignee=eng)
    r = client.post(f"/api/v1/work-orders/{oid}/transitions",
                    headers={**eng.headers, **GPS_HEADER},
                    json={"action": "hold", "reason": "等待备件 spare part",
                          "gps": {"lat": 22.5431, "lng": 114.0579, "accuracy": 7.5}})
    assert r.status_code == 200, r.text
    cheap_password(db, admin.id)
    r = client.post("/api/v1/auth/login", json={"username": admin.username, "password": "nope"})
    assert r.status_code == 401
    n = head(db)
    assert n is not None and n[0] > 30
    return n[0]


@contextmanager
def tampering(db, backend: str) -> Iterator[Connection]:
    """A DBA's transaction, rolled back afterwards."""
    with db.engine.connect() as conn:
        tx = conn.begin()
        if backend == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        try:
            yield conn
        finally:
            tx.rollback()


def verify_on(conn: Connection) -> service.VerifyResult:
    with Session(bind=conn) as s:
        return service.verify(s)


def rows(conn: Connection) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(select(EV).order_by(EV.c.seq)).mappings()]


def _content(r: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in r.items() if k != "seq"}


def _move(conn: Connection, seqs: dict[int, int]) -> None:
    """Renumber events (old seq -> new seq) without tripping over the primary key."""
    for old in seqs:
        conn.execute(update(EV).where(EV.c.seq == old).values(seq=-old))
    for old, new in seqs.items():
        conn.execute(update(EV).where(EV.c.seq == -old).values(seq=new))


def _forged(seq: int, prev_hash: str, *, well_made: bool) -> dict[str, Any]:
    from bihuan.kit.clock import utcnow

    ev = {"seq": seq, "occurred_at": utcnow(), "actor_id": 1, "actor_name": "admin",
          "actor_role": "admin", "action": "update", "entity_type": "work_order",
          "entity_id": 1, "changes": {"state": ["in_progress", "closed"]}, "reason": None,
          "ip": "10.0.0.8", "user_agent": None, "gps": None, "prev_hash": prev_hash}
    ev["hash"] = link_hash(prev_hash, ev) if well_made else "0" * 64
    return ev


# every edit must really change the stored value
EDITS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "actor_name": lambda r: r["actor_name"] + "·",
    "actor_id": lambda r: (r["actor_id"] or 0) + 1000,
    "actor_role": lambda r: "agent" if r["actor_role"] == "admin" else "admin",
    "action": lambda r: "create" if r["action"] == "update" else "update",
    "entity_type": lambda r: "device" if r["entity_type"] != "device" else "customer",
    "entity_id": lambda r: (r["entity_id"] or 0) + 1,
    "changes": lambda r: {**r["changes"], "forged": [None, 1]},
    "changes_value": lambda r: ({k: [None, str(v)] for k, v in r["changes"].items()}
                                if r["changes"] else {"x": None}),
    "reason": lambda r: (r["reason"] or "") + "改",
    "ip": lambda r: "10.9.9.9" if r["ip"] != "10.9.9.9" else "10.9.9.8",
    "user_agent": lambda r: (r["user_agent"] or "") + " forged",
    "gps": lambda r: {"lat": 1.0, "lng": 2.0, "accuracy": None} if r["gps"] is None else None,
    "occurred_at": lambda r: r["occurred_at"] + timedelta(microseconds=1),
    "prev_hash": lambda r: ("f" if r["prev_hash"][0] != "f" else "e") + r["prev_hash"][1:],
    "hash": lambda r: ("f" if r["hash"][0] != "f" else "e") + r["hash"][1:],
}


def _changes_value_differs(r: dict[str, Any]) -> bool:
    # turning every after-value into a string only changes rows with a non-string value
    return not r["changes"] or any(not isinstance(v, str) for v in r["changes"].values())


class Pick:
    """Random choices for tamper(): from hypothesis (shrinkable) or from a seeded Random."""

    def __init__(self, data: Any = None, rnd: random.Random | None = None,
                 script: list[Any] | None = None) -> None:
        self.data, self.rnd, self.script = data, rnd, script

    def int(self, lo: int, hi: int) -> int:
        if self.script:
            v = self.script.pop(0)
            assert lo <= v <= hi
            return int(v)
        return self.data.draw(st.integers(lo, hi)) if self.data else self.rnd.randint(lo, hi)

    def choice(self, items: list[Any]) -> Any:
        if self.script:
            return self.script.pop(0)
        return self.data.draw(st.sampled_from(items)) if self.data else self.rnd.choice(items)

    def two(self, n: int) -> tuple[int, int]:
        """Two distinct seqs in 1..n, ascending."""
        if self.data:
            pair = self.data.draw(st.lists(st.integers(1, n), min_size=2, max_size=2,
                                           unique=True))
        else:
            pair = self.rnd.sample(range(1, n + 1), 2)
        i, j = sorted(pair)
        return i, j


def tamper(conn: Connection, kind: str, pick: Pick, n: int) -> tuple[int, str]:
    """Apply one kind of tampering; return the seq verify() must name and a problem keyword."""
    rs = rows(conn)
    assert len(rs) == n
    if kind == "edit":
        field = pick.choice(sorted(EDITS))
        i = pick.int(1, n)
        if field == "changes_value" and not _changes_value_differs(rs[i - 1]):
            field = "changes"
        new = EDITS[field](rs[i - 1])
        column = "changes" if field == "changes_value" else field
        assert new != rs[i - 1][column]
        conn.execute(update(EV).where(EV.c.seq == i).values({column: new}))
        return i, "does not point" if field == "prev_hash" else "edited"
    if kind == "delete_middle":
        i = pick.int(1, n - 1)
        conn.execute(delete(EV).where(EV.c.seq == i))
        return i, "missing"
    if kind == "delete_tail":
        k = pick.int(1, n)
        conn.execute(delete(EV).where(EV.c.seq > n - k))
        return n - k + 1, "removed from the end"
    if kind == "delete_tail_and_head":
        k = pick.int(1, n - 1)
        conn.execute(delete(EV).where(EV.c.seq > n - k))
        conn.execute(delete(HEAD))
        return n - k, "head row is missing"
    if kind in ("insert_renumber", "insert_naive"):
        # the forger slips an event in at i and renumbers the rest; the head follows
        i = pick.int(1, n)
        _move(conn, {s: s + 1 for s in range(n, i - 1, -1)})
        prev = rs[i - 2]["hash"] if i > 1 else GENESIS
        conn.execute(insert(EV).values(**_forged(i, prev, well_made=kind == "insert_renumber")))
        conn.execute(update(HEAD).values(seq=n + 1, hash=rs[-1]["hash"]))
        return (i + 1, "does not point") if kind == "insert_renumber" else (i, "edited")
    if kind == "append":
        conn.execute(insert(EV).values(**_forged(n + 1, rs[-1]["hash"], well_made=True)))
        return n + 1, "past the head"
    if kind == "swap_content":
        i, j = pick.two(n)
        conn.execute(update(EV).where(EV.c.seq == i).values(**_content(rs[j - 1])))
        conn.execute(update(EV).where(EV.c.seq == j).values(**_content(rs[i - 1])))
        return i, "does not point"
    if kind == "swap_seq":
        i, j = pick.two(n)
        _move(conn, {i: j, j: i})
        return i, "does not point"
    if kind == "head":
        conn.execute(update(HEAD).values(hash="0" * 64))
        return n, "head records"
    raise AssertionError(kind)


KINDS = ["edit", "delete_middle", "delete_tail", "delete_tail_and_head", "insert_renumber",
         "insert_naive", "append", "swap_content", "swap_seq", "head"]


# ---------------------------------------------------------------- tests
def test_untouched_chain_is_ok_with_its_count(f, db):
    for _ in range(3):
        f.customer()
    f.device()
    with db.session(write=False) as s:
        assert service.verify(s) == service.VerifyResult(True, 4)


def test_empty_database_is_ok(db):
    with db.session(write=False) as s:
        assert service.verify(s) == service.VerifyResult(True, 0)


def test_realistic_chain_is_ok(chain, db):
    with db.session(write=False) as s:
        n_rows = s.scalar(select(func.count()).select_from(AuditEvent))
        result = service.verify(s)
    assert result.ok, result
    assert result.checked == n_rows == chain


@given(data=st.data())
@hsettings(max_examples=100, deadline=None, database=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_tampering_is_detected_at_the_right_event(chain, db, backend, monkeypatch, data):
    # small read batches too, so a break can fall on a batch boundary
    batch = data.draw(st.sampled_from([5000, 7, 1]), label="batch")
    real = repository.iter_chain
    monkeypatch.setattr(repository, "iter_chain", lambda s, batch=batch: real(s, batch))
    kind = data.draw(st.sampled_from(KINDS), label="kind")
    with tampering(db, backend) as conn:
        bad_seq, keyword = tamper(conn, kind, Pick(data=data), chain)
        result = verify_on(conn)
    assert not result.ok, (kind, result)
    assert result.bad_seq == bad_seq, (kind, result)
    assert keyword in (result.problem or ""), (kind, result)


def test_each_kind_of_tampering_is_detected(chain, db, backend):
    """Every kind at least once, whatever hypothesis drew; and rolling back heals it."""
    cases: list[tuple[str, Pick]] = [
        (kind, Pick(rnd=random.Random(f"{kind}-{backend}"))) for kind in KINDS]
    # and every hashed field, at the first, a middle and the last event
    cases += [("edit", Pick(script=[field, i])) for field in sorted(EDITS)
              for i in (1, chain // 2, chain)]
    for kind, pick in cases:
        with tampering(db, backend) as conn:
            bad_seq, _ = tamper(conn, kind, pick, chain)
            result = verify_on(conn)
        assert (kind, result.ok, result.bad_seq) == (kind, False, bad_seq), result
    with db.session(write=False) as s:
        assert service.verify(s) == service.VerifyResult(True, chain)


def test_tampering_committed_elsewhere_is_seen_by_a_fresh_verify(chain, db, backend):
    """Tampering committed by another connection is seen by a fresh verify."""
    with db.engine.begin() as conn:
        if backend == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(update(EV).where(EV.c.seq == 5).values(actor_name="someone else"))
    with db.session(write=False) as s:
        result = service.verify(s)
    assert (result.ok, result.bad_seq) == (False, 5)


# ---------------------------------------------------------------- PostgreSQL trigger
@pytest.mark.parametrize("statement", [
    "UPDATE audit_events SET actor_name = 'x' WHERE seq = 1",
    "DELETE FROM audit_events WHERE seq = (SELECT max(seq) FROM audit_events)",
    "TRUNCATE audit_events",
])
def test_application_connection_cannot_rewrite_audit_rows(f, db, backend, statement):
    if backend != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's")
    f.customer()
    f.customer()
    session = db.session(write=True)
    try:
        with pytest.raises(DBAPIError) as exc:
            session.execute(text(statement))
            session.flush()
        assert "append-only" in str(exc.value.orig)
        assert exc.value.orig.sqlstate == "42501"  # insufficient_privilege
    finally:
        session.rollback()
        session.close()
    with db.session(write=False) as s:
        assert service.verify(s) == service.VerifyResult(True, 2)
    # and appending still works
    f.customer()
    with db.session(write=False) as s:
        assert service.verify(s) == service.VerifyResult(True, 3)


# ---------------------------------------------------------------- the CLI
def _cli(settings, tmp_path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BIHUAN_DATABASE_URL": settings.database_url,
           "BIHUAN_DATA_DIR": str(tmp_path / "cli-data")}
    return subprocess.run([sys.executable, "-m", "bihuan.cli", "audit", "verify"], env=env,
                          capture_output=True, text=True, timeout=60)


def _snapshot(db) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    with db.engine.connect() as conn:
        return rows(conn), dict(conn.execute(select(HEAD)).mappings().one())


def _restore(db, backend: str, snap: tuple[list[dict[str, Any]], dict[str, Any]]) -> None:
    with db.engine.begin() as conn:
        if backend == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(delete(EV))
        conn.execute(delete(HEAD))
        conn.execute(insert(EV), snap[0])
        conn.execute(insert(HEAD).values(**snap[1]))


def test_cli_verify_exits_0_then_names_the_first_bad_event(chain, db, backend, settings,
                                                          tmp_path):
    r = _cli(settings, tmp_path)
    assert r.returncode == 0, r.stderr
    assert f"OK: {chain} events" in r.stdout
    snap = _snapshot(db)
    rnd = random.Random(f"cli-{backend}")
    pick = Pick(rnd=rnd)
    # a process start costs seconds: an edit, and one other kind drawn at random
    for kind in ("edit", rnd.choice(["delete_middle", "delete_tail", "swap_seq",
                                     "insert_renumber"])):
        with db.engine.begin() as conn:  # committed this time: the CLI is another process
            if backend == "postgresql":
                conn.execute(text("SET LOCAL session_replication_role = replica"))
            bad_seq, _ = tamper(conn, kind, pick, chain)
        r = _cli(settings, tmp_path)
        assert r.returncode == 1, (kind, r.stdout, r.stderr)
        assert f"BROKEN at event #{bad_seq}:" in r.stderr, (kind, r.stderr)
        assert f"审计链在第 {bad_seq} 条断开" in r.stderr
        _restore(db, backend, snap)
        with db.session(write=False) as s:
            assert service.verify(s) == service.VerifyResult(True, chain)
