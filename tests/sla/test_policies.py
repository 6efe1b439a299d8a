"""Which policy an order gets: the seeded tier × priority matrix, the most specific rule,
ties by list order, the default policy, and admin changes that apply to the next order."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bihuan.audit.models import AuditEvent
from bihuan.kit.clock import set_clock
from bihuan.sla import admin as sla_admin
from bihuan.sla import clock as sla_clock
from bihuan.sla import service as sla
from bihuan.sla.calendar import ALWAYS_OPEN
from bihuan.sla.models import SlaPolicy
from bihuan.sla.schemas import RuleIn
from bihuan.workorders.models import WorkOrder
from tests.sla.support import next_check

SH = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 11, 16, 9, tzinfo=SH)
RULES = "/api/v1/sla/rules"
SEEDED_RULES = [{"tier": None, "fault_type": None, "priority": "urgent", "policy_id": 5},
                *({"tier": t, "fault_type": None, "priority": None, "policy_id": p}
                  for t, p in (("strategic", 1), ("key", 2), ("standard", 3), ("basic", 4)))]


@pytest.fixture(autouse=True)
def _monday() -> None:
    set_clock(lambda: MONDAY)


def policy_of(f, oid: int) -> int | None:
    with f.db.session(write=False) as s:
        return s.get(WorkOrder, oid).sla_policy_id


def new_order(f, tier: str | None = "standard", **kw) -> int:
    if tier is None:  # a maintenance order needs no customer: no tier at all
        return f.order(type="maintenance", **kw)
    return f.order(customer_id=f.customer(tier=tier), **kw)


def put_rules(client, f, rules: list[dict]):
    return client.put(RULES, json=rules, headers=f.user("admin").headers)


# ---------------------------------------------------------------- the seeded matrix
@pytest.mark.parametrize(("tier", "priority", "policy"), [
    ("strategic", "normal", 1), ("key", "high", 2), ("standard", "normal", 3),
    ("basic", "low", 4), ("basic", "urgent", 5), ("standard", "urgent", 5),
    # "urgent" and "strategic" are equally specific: the urgent rule comes first in the list
    ("strategic", "urgent", 5),
    (None, "normal", 3),  # no rule matches: the default policy
    (None, "urgent", 5),
])
def test_the_seeded_matrix_picks_the_policy_by_tier_and_priority(client, f, tier, priority,
                                                                 policy):
    oid = new_order(f, tier, priority=priority)
    assert policy_of(f, oid) == policy
    r = client.get(f"/api/v1/work-orders/{oid}", headers=f.user("admin").headers)
    assert r.json()["sla"]["policy"]["id"] == policy


def test_the_seeded_rules_are_listed_in_tie_break_order(client, f):
    r = client.get(RULES, headers=f.user("director").headers)
    assert r.status_code == 200
    assert [{k: x[k] for k in SEEDED_RULES[0]} for x in r.json()] == SEEDED_RULES
    assert [x["position"] for x in r.json()] == [0, 1, 2, 3, 4]


# ---------------------------------------------------------------- the matching rule, pure
def tables(rules: list[tuple[str | None, str | None, str | None, int]],
           default: int | None = 9) -> sla._Tables:
    targets = sla_clock.Targets(timedelta(hours=1), timedelta(hours=8))
    pols = {i: sla.Policy(i, f"p{i}", targets, None) for i in (1, 2, 3, 4, 9)}
    return sla._Tables(policies=pols, default_policy=pols.get(default) if default else None,
                       rules=rules, calendars={}, default_calendar=ALWAYS_OPEN,
                       by_customer={}, by_region={})


def pick(t: sla._Tables, tier: str | None, fault: str | None, prio: str | None) -> int | None:
    p = sla.policy_for(t, tier, fault, prio)
    return p.id if p else None


def test_the_most_specific_rule_wins_wherever_it_stands_in_the_list():
    t = tables([(None, None, "urgent", 1), ("key", None, None, 2), ("key", "leak", None, 3),
                ("key", "leak", "urgent", 4)])
    assert pick(t, "key", "leak", "urgent") == 4
    assert pick(t, "key", "leak", "normal") == 3
    assert pick(t, "key", "noise", "normal") == 2
    assert pick(t, "basic", "leak", "urgent") == 1
    assert pick(t, "basic", "leak", "normal") == 9  # nothing matches: the default


def test_equally_specific_rules_go_by_list_order():
    first = tables([("key", None, None, 1), (None, None, "urgent", 2)])
    second = tables([(None, None, "urgent", 2), ("key", None, None, 1)])
    assert pick(first, "key", None, "urgent") == 1
    assert pick(second, "key", None, "urgent") == 2
    same_cell = tables([("key", None, None, 3), ("key", None, None, 1)])
    assert pick(same_cell, "key", None, "low") == 3


def test_no_match_and_no_default_means_no_policy():
    t = tables([("key", None, None, 1)], default=None)
    assert pick(t, "basic", None, "low") is None
    assert pick(tables([]), "key", "leak", "urgent") == 9


def test_an_order_without_any_policy_has_no_deadlines(client, f, db):
    with f.session() as s:
        s.execute(SlaPolicy.__table__.update().values(is_default=False))
    sla.invalidate()
    assert put_rules(client, f, [{"tier": "key", "policy_id": 2}]).status_code == 200
    oid = new_order(f, "basic")
    with db.session(write=False) as s:
        o = s.get(WorkOrder, oid)
        assert (o.sla_policy_id, o.response_due_at) == (None, None)
        assert next_check(s, oid) is None
    r = client.get(f"/api/v1/work-orders/{oid}", headers=f.user("admin").headers)
    assert r.json()["sla"]["policy"] is None


# ---------------------------------------------------------------- admin changes
def test_replacing_the_matrix_applies_to_the_next_order_at_once(client, f, db):
    assert policy_of(f, new_order(f, "standard")) == 3  # the tables are cached now
    rules = [{"tier": "standard", "priority": "high", "policy_id": 2},
             {"tier": "standard", "policy_id": 4}, {"tier": "strategic", "policy_id": 1}]
    r = put_rules(client, f, rules)
    assert r.status_code == 200, r.text
    assert [(x["tier"], x["priority"], x["policy_id"], x["position"]) for x in r.json()] == [
        ("standard", "high", 2, 0), ("standard", None, 4, 1), ("strategic", None, 1, 2)]
    assert policy_of(f, new_order(f, "standard")) == 4
    assert policy_of(f, new_order(f, "standard", priority="high")) == 2
    assert policy_of(f, new_order(f, "standard", priority="urgent")) == 4  # no urgent rule now
    assert policy_of(f, new_order(f, "key")) == 3  # default
    with db.session(write=False) as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.entity_type == "sla_matrix")).one()
    before, after = event.changes["rules"]
    assert [r["policy_id"] for r in before] == [5, 1, 2, 3, 4]
    assert [r["policy_id"] for r in after] == [2, 4, 1]


def test_a_matrix_naming_an_unknown_policy_is_refused_and_changes_nothing(client, f):
    r = put_rules(client, f, [{"tier": "key", "policy_id": 1}, {"tier": "basic",
                                                                "policy_id": 999}])
    assert (r.status_code, r.json()["code"]) == (400, "policy_not_found")
    r = client.get(RULES, headers=f.user("admin").headers)
    assert [x["policy_id"] for x in r.json()] == [5, 1, 2, 3, 4]
    assert policy_of(f, new_order(f, "key")) == 2


def test_new_targets_apply_to_new_orders_and_leave_running_ones_alone(client, f):
    old = new_order(f, "strategic")
    body = {"name": "战略客户 7×24:1 小时响应", "response_minutes": 60,
            "resolution_minutes": 240, "calendar_id": 3}
    r = client.put("/api/v1/sla/policies/1", json=body, headers=f.user("admin").headers)
    assert r.status_code == 200, r.text
    new = new_order(f, "strategic")
    with f.db.session(write=False) as s:
        assert s.get(WorkOrder, new).response_due_at == MONDAY + timedelta(hours=1)
        assert s.get(WorkOrder, old).response_due_at == MONDAY + timedelta(hours=2)


def test_a_new_default_policy_replaces_the_old_default(client, f, db):
    body = {"name": "兜底 7×24", "response_minutes": 90, "resolution_minutes": 600,
            "calendar_id": 3, "is_default": True}
    r = client.post("/api/v1/sla/policies", json=body, headers=f.user("admin").headers)
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    with db.session(write=False) as s:
        assert list(s.scalars(select(SlaPolicy.id).where(SlaPolicy.is_default))) == [pid]
    assert policy_of(f, new_order(f, None)) == pid
    assert policy_of(f, new_order(f, "standard")) == 3  # a rule still names it


def test_tables_read_while_the_matrix_change_is_uncommitted_are_not_kept(f, db):
    """The admin's transaction clears the cache before it commits; a request that reloads
    the tables in between must not keep the old matrix for the next 30 seconds."""
    f.user("admin")
    customer = f.customer(tier="standard")
    writer = db.session(write=True)
    try:
        sla_admin.replace_rules(writer, f.user("admin").ctx,
                                [RuleIn(tier="standard", policy_id=1)])
        with db.session(write=False) as reader:  # another request, at the same moment
            assert sla.policy_for(sla.tables(reader), "standard", None, "normal").id == 3
        writer.commit()
    finally:
        writer.close()
    assert policy_of(f, f.order(customer_id=customer)) == 1
