"""kit.bulk writes what SQLAlchemy's executemany would: the same stored text for times and
JSON (None as JSON null), conflicting rows skipped, naive times refused."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, select, text

from bihuan.audit.models import AuditEvent
from bihuan.kit import bulk
from bihuan.notifications.models import Outbox

AT = datetime(2026, 11, 16, 9, 30, 15, 123456, tzinfo=UTC)


def event(seq: int, **kw: object) -> dict[str, object]:
    return {"seq": seq, "occurred_at": AT, "actor_id": None, "actor_name": "system",
            "actor_role": "system", "action": "sla:escalate", "entity_type": "work_order",
            "entity_id": seq, "changes": {"escalation_level": [0, 1], "note": "超时 \"L1\""},
            "reason": None, "ip": None, "user_agent": None, "gps": None,
            "prev_hash": "0" * 64, "hash": f"{seq:064d}", **kw}


def stored(db, seq: int) -> tuple:
    """The row as the database holds it (JSON as text, to see JSON null from SQL NULL)."""
    with db.engine.connect() as c:
        return tuple(c.execute(text(
            "SELECT occurred_at, CAST(changes AS TEXT), gps IS NULL, CAST(gps AS TEXT), "
            "entity_id FROM audit_events WHERE seq = :s"), {"s": seq}).one())


def test_rows_are_stored_as_sqlalchemy_stores_them(db):
    with db.engine.begin() as c:
        c.execute(insert(AuditEvent), [event(1)])
        bulk.insert_rows(c, AuditEvent.__table__, [event(2), event(3, entity_id=1)])
    first, second, third = stored(db, 1), stored(db, 2), stored(db, 3)
    assert second[:4] == first[:4] and third[:4] == first[:4]
    assert (second[4], third[4]) == (2, 1)
    assert not first[2] and first[3] == "null"  # None went in as JSON null


def test_an_aware_time_in_another_zone_is_the_same_instant(db):
    shanghai = AT.astimezone(timezone(timedelta(hours=8)))
    with db.engine.begin() as c:
        bulk.insert_rows(c, AuditEvent.__table__, [event(1), event(2, occurred_at=shanghai)])
    with db.session(write=False) as s:
        times = list(s.scalars(select(AuditEvent.occurred_at).order_by(AuditEvent.seq)))
    assert times == [AT, AT]


def test_rows_whose_key_is_taken_are_skipped(db):
    def row(key: str, body: str) -> dict[str, object]:
        return {"event": "sla.breach", "channel": "fanout", "target": "fanout",
                "recipient": None, "payload": {"body": body, "users": [1, 2]},
                "dedupe_key": key, "throttle_key": None, "status": "pending", "attempts": 0,
                "next_attempt_at": AT, "created_at": AT}

    with db.engine.begin() as c:
        bulk.insert_rows(c, Outbox.__table__, [row("a", "first")], skip_conflicts_on="dedupe_key")
        bulk.insert_rows(c, Outbox.__table__, [row("a", "again"), row("b", "second"),
                                               row("b", "twice")],
                         skip_conflicts_on="dedupe_key")
    with db.session(write=False) as s:
        rows = list(s.scalars(select(Outbox).order_by(Outbox.id)))
        assert [(r.dedupe_key, r.payload["body"]) for r in rows] == [("a", "first"),
                                                                     ("b", "second")]
        assert rows[0].next_attempt_at == AT and rows[0].payload["users"] == [1, 2]


def test_a_naive_time_is_refused(db):
    with db.engine.begin() as c, pytest.raises(ValueError, match="naive"):
        bulk.insert_rows(c, AuditEvent.__table__, [event(1, occurred_at=datetime(2026, 1, 1))])


def test_json_text_keeps_the_stdlib_rules():
    from bihuan.kit import jsontext

    assert jsontext.dumps({1: "一", "at": AT}) == '{"1":"一","at":"2026-11-16T09:30:15.123456+00:00"}'
    with pytest.raises(ValueError, match="naive"):
        jsontext.dumps({"at": datetime(2026, 1, 1)})
    with pytest.raises(TypeError, match="set"):
        jsontext.dumps({"x": {1}})


def test_a_json_column_written_by_the_orm_reads_back_the_same(db):
    row = event(1, changes={"level": [0, 1], 7: "键非字符串", "at": AT.isoformat()}, gps=None)
    with db.engine.begin() as c:
        c.execute(insert(AuditEvent), [row])
        bulk.insert_rows(c, AuditEvent.__table__, [{**row, "seq": 2}])
    with db.session(write=False) as s:
        got = list(s.scalars(select(AuditEvent.changes).order_by(AuditEvent.seq)))
    assert got == [{"level": [0, 1], "7": "键非字符串", "at": AT.isoformat()}] * 2
