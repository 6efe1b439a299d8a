"""The relay: retries with backoff, dead letters, lease recovery, throttles, racing relays."""

import threading
from datetime import timedelta

import pytest

from bihuan.db import session_scope
from bihuan.notifications import repository
from bihuan.notifications.config import NotifySettings
from bihuan.notifications.relay import RelayStats, backoff, claim, run_forever, run_once
from tests.notifications.conftest import enqueue, robot, row, rows, wait_for


class NoJitter:
    def uniform(self, a: float, b: float) -> float:
        return 0.0


def test_backoff_doubles_from_30_seconds_up_to_an_hour_with_jitter():
    ns = NotifySettings()
    assert [backoff(n, ns, NoJitter()) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]  # type: ignore[arg-type]
    assert backoff(20, ns, NoJitter()) == 3600  # type: ignore[arg-type]
    import random
    rng = random.Random(7)
    for n in range(1, 12):
        nominal = min(30 * 2 ** (n - 1), 3600)
        assert nominal * 0.9 <= backoff(n, ns, rng) <= nominal * 1.1


def test_three_failures_then_exactly_one_delivery_with_growing_delays(db, ns, receiver, clock):
    ch = robot(db, receiver, "webhook")
    row_id = enqueue(db, channel="webhook", target=ch)
    receiver.fail["webhook"] = 3
    delays = []
    for _ in range(3):
        stats = run_once(db, ns, rng=NoJitter())  # type: ignore[arg-type]
        assert (stats.claimed, stats.retried) == (1, 1)
        r = row(db, row_id)
        assert r.status == "pending" and "HTTP 500" in (r.last_error or "")
        delay = (r.next_attempt_at - clock.now).total_seconds()
        delays.append(delay)
        clock.advance(delay - 1)  # not yet due: nothing happens
        assert run_once(db, ns).claimed == 0
        clock.advance(1)
    stats = run_once(db, ns)
    assert stats.sent == 1
    r = row(db, row_id)
    assert (r.status, r.attempts, r.last_error) == ("sent", 4, None)
    assert delays == [30, 60, 120]
    assert receiver.deliveries() == [row_id]  # one accepted delivery
    assert [q.delivery for q in receiver.requests] == [str(row_id)] * 4  # same id every time
    assert run_once(db, ns).claimed == 0


def test_dead_after_max_attempts_and_never_picked_again(db, receiver, clock):
    ns = NotifySettings(allow_private_urls=True, max_attempts=3)
    ch = robot(db, receiver, "webhook")
    row_id = enqueue(db, channel="webhook", target=ch)
    receiver.fail["webhook"] = 100
    results = []
    for _ in range(3):
        stats = run_once(db, ns)
        results.append((stats.retried, stats.dead))
        clock.advance(hours=2)
    assert results == [(1, 0), (1, 0), (0, 1)]
    r = row(db, row_id)
    assert (r.status, r.attempts) == ("dead", 3) and "HTTP 500" in (r.last_error or "")
    clock.advance(days=1)
    assert run_once(db, ns) == RelayStats()


class TestCrashedRelay:
    def test_rows_of_a_relay_that_died_are_delivered_after_the_lease(self, db, ns, receiver,
                                                                     clock):
        ch = robot(db, receiver, "webhook")
        ids = [enqueue(db, channel="webhook", target=ch) for _ in range(3)]
        dead_relay = claim(db, ns, clock.now, 50)  # claimed, committed, then nothing
        assert sorted(i for i, _ in dead_relay) == ids
        assert run_once(db, ns).claimed == 0  # leased: nobody else touches them
        clock.advance(ns.lease_seconds - 1)
        assert run_once(db, ns).claimed == 0
        clock.advance(2)
        stats = run_once(db, ns)
        assert (stats.claimed, stats.sent) == (3, 3)
        assert sorted(receiver.deliveries()) == ids
        assert {(r.status, r.attempts) for r in rows(db)} == {("sent", 2)}

    def test_a_late_relay_cannot_overwrite_the_row_another_relay_took_over(self, db, ns,
                                                                           receiver, clock):
        ch = robot(db, receiver, "webhook")
        row_id = enqueue(db, channel="webhook", target=ch)
        [(_, slow_attempt)] = claim(db, ns, clock.now, 50)
        clock.advance(ns.lease_seconds + 1)
        assert run_once(db, ns).sent == 1
        with session_scope(db) as s:  # the slow relay comes back with a failure
            assert not repository.finish(s, row_id, slow_attempt, {"status": "pending"})
        assert row(db, row_id).status == "sent"

    def test_a_row_whose_relay_died_on_the_last_attempt_is_dead(self, db, receiver, clock):
        ns = NotifySettings(allow_private_urls=True, max_attempts=1)
        ch = robot(db, receiver, "webhook")
        row_id = enqueue(db, channel="webhook", target=ch)
        claim(db, ns, clock.now, 50)
        clock.advance(ns.lease_seconds + 1)
        assert run_once(db, ns).dead == 1
        assert row(db, row_id).status == "dead" and receiver.requests == []


class TestThrottle:
    def test_25_robot_messages_in_a_minute_20_go_5_wait_for_the_next_minute(
            self, db, ns, receiver, clock):
        ch = robot(db, receiver, "wecom")
        other = robot(db, receiver, "dingtalk")
        ids = [enqueue(db, channel="wecom", target=ch) for _ in range(25)]
        enqueue(db, channel="dingtalk", target=other)
        t0 = clock.now
        stats = run_once(db, ns, limit=100)
        assert (stats.sent, stats.deferred) == (21, 5)  # the other robot is not held up
        waiting = [r for r in rows(db) if r.status == "pending"]
        assert [r.id for r in waiting] == ids[20:]
        for r in waiting:
            assert t0 < r.next_attempt_at <= t0 + timedelta(minutes=1)
            assert r.attempts == 0  # waiting for a slot uses no attempt
        clock.advance(30)
        assert run_once(db, ns).claimed == 0
        clock.advance(31)
        assert run_once(db, ns).sent == 5
        assert sorted(receiver.deliveries("wecom")) == ids
        assert all(r.verified for r in receiver.requests)

    def test_sms_per_phone_limits_minute_hour_day_and_nothing_dropped(self, db, ns, receiver,
                                                                      clock):
        ch = robot(db, receiver, "sms")
        phone, other = "13700001111", "13700002222"
        ids = [enqueue(db, channel="sms", target=ch, recipient=phone) for _ in range(12)]
        enqueue(db, channel="sms", target=ch, recipient=other)
        sent_at = []
        for _ in range(200):
            stats = run_once(db, ns)
            sent_at += [clock.now] * stats.sent
            pending = [r.next_attempt_at for r in rows(db) if r.status == "pending"]
            if not pending:
                break
            clock.now = max(clock.now, min(pending))
        assert {r.status for r in rows(db)} == {"sent"}
        assert len(receiver.deliveries("sms")) == 13
        mine = sorted(r.sent_at for r in rows(db) if r.recipient == phone)
        assert len(mine) == 12 and [r.id for r in rows(db) if r.recipient == phone] == ids
        for seconds, limit in ((60, 1), (3600, 5), (86400, 10)):
            for i, t in enumerate(mine):
                inside = [u for u in mine[i:] if u < t + timedelta(seconds=seconds)]
                assert len(inside) <= limit, (seconds, t)
        assert mine[-1] - mine[0] > timedelta(days=1)  # the 11th and 12th waited a day


@pytest.mark.parametrize("round_", range(3))
def test_two_relays_racing_never_deliver_a_row_twice(db, ns, receiver, clock, round_):
    """Two relays, each with its own sessions, cycle over the same due rows in small batches
    (on PostgreSQL truly at once): every row is claimed and delivered exactly once."""
    hooks = [robot(db, receiver, "webhook") for _ in range(4)]
    ids = [enqueue(db, channel="webhook", target=hooks[i % 4]) for i in range(40)]
    start = threading.Barrier(2)
    claimed: dict[str, list[int]] = {"a": [], "b": []}

    def relay(name: str) -> None:
        start.wait()
        for _ in range(100):
            stats = run_once(db, ns, limit=7)
            claimed[name].append(stats.claimed)
            if not any(r.status == "pending" for r in rows(db)):
                return

    threads = [threading.Thread(target=relay, args=(n,)) for n in claimed]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sum(map(sum, claimed.values())) == 40
    assert all(sum(v) > 0 for v in claimed.values())  # both relays took part
    assert sorted(receiver.deliveries()) == ids  # each exactly once
    assert {(r.status, r.attempts) for r in rows(db)} == {("sent", 1)}


def test_two_relays_racing_keep_the_robot_limit(db, ns, receiver, clock):
    ch = robot(db, receiver, "wecom")
    for _ in range(25):
        enqueue(db, channel="wecom", target=ch)
    start = threading.Barrier(2)
    results: list[RelayStats] = []

    def relay() -> None:
        start.wait()
        results.append(run_once(db, ns, limit=50))

    threads = [threading.Thread(target=relay) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sum(r.sent for r in results) == 20
    assert len(receiver.deliveries()) == 20
    assert sum(r.status == "pending" for r in rows(db)) == 5


def test_run_forever_delivers_until_stopped(db, ns, receiver, clock):
    ch = robot(db, receiver, "webhook")
    stop = threading.Event()
    worker = threading.Thread(target=run_forever, args=(db, ns, stop, 0.02), daemon=True)
    worker.start()
    try:
        ids = [enqueue(db, channel="webhook", target=ch) for _ in range(5)]
        wait_for(lambda: len(receiver.deliveries()) == 5)
    finally:
        stop.set()
        worker.join(10)
    assert not worker.is_alive()
    assert sorted(receiver.deliveries()) == ids
