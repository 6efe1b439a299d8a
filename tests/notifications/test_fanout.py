"""Fan-out rows: one outbox row stands for an announcement to many people and robots; the
relay expands it once, after commit, and the expansion is then delivered like any row."""

from sqlalchemy import select

from bihuan.db import session_scope
from bihuan.notifications import service
from bihuan.notifications.models import Notification
from bihuan.notifications.relay import run_once
from tests.notifications.conftest import robot, rows

DATA = {"number": "WO-2611-000042", "title": "主轴异响", "level": 1, "kind": "response"}


def _fanout(db, users, robots=True, key="sla:42:response:L1"):
    with session_scope(db) as s:
        service.enqueue_fanouts(s, [service.fanout_row(
            "sla.breach", DATA, users=users, robots=robots, mentions=["13812345678"],
            link="/desk/work-orders/42", dedupe_key=key)])


def test_one_row_becomes_a_bell_entry_per_person_and_a_robot_message(db, f, ns, receiver):
    a, b = f.user("engineer", "a"), f.user("supervisor", "b")
    robot(db, receiver, "dingtalk")
    _fanout(db, [a.id, b.id])
    assert [r.channel for r in rows(db)] == ["fanout"]
    first = run_once(db, ns)
    assert first.sent == 1  # the expansion itself
    channels = sorted(r.channel for r in rows(db) if r.channel != "fanout")
    assert channels == ["dingtalk", "inapp", "inapp"]
    run_once(db, ns)  # the expanded rows go out
    with session_scope(db, write=False) as s:
        bells = {n.user_id: n.title for n in s.scalars(select(Notification))}
    assert set(bells) == {a.id, b.id} and all("WO-2611-000042" in t for t in bells.values())
    sent = receiver.of("dingtalk")
    assert len(sent) == 1 and sent[0].verified
    assert sent[0].json["at"]["atMobiles"] == ["13812345678"]


def test_the_same_announcement_twice_is_written_and_expanded_once(db, f, ns, receiver):
    a = f.user("engineer", "a")
    _fanout(db, [a.id], robots=False)
    _fanout(db, [a.id], robots=False)  # the sweeper ran twice: same dedupe key
    assert len(rows(db)) == 1
    run_once(db, ns)
    run_once(db, ns)
    assert sorted(r.channel for r in rows(db)) == ["fanout", "inapp"]
