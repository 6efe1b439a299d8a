"""A real relay process killed with SIGKILL in the middle of a delivery loses nothing."""

import os
import signal
import subprocess
import sys
from datetime import timedelta

from bihuan.kit.clock import utcnow
from bihuan.notifications.relay import run_once
from tests.notifications.conftest import enqueue, robot, rows


def test_sigkill_mid_delivery_redelivers_with_the_same_id(db, ns, settings, receiver):
    ch = robot(db, receiver, "webhook")
    ids = [enqueue(db, channel="webhook", target=ch) for _ in range(5)]
    receiver.hold.add("webhook")  # the first request hangs until the relay is dead
    env = {**os.environ, "BIHUAN_DATABASE_URL": settings.database_url or "",
           "BIHUAN_NOTIFY_ALLOW_PRIVATE_URLS": "1", "BIHUAN_NOTIFY_LEASE_SECONDS": "60"}
    proc = subprocess.Popen([sys.executable, "-m", "bihuan.notifications.worker",
                             "--interval", "0.1"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    try:
        assert receiver.arrived.wait(30), proc.stderr.read().decode() if proc.poll() else ""
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    receiver.hold.clear()
    receiver.release.set()
    assert [r.delivery for r in receiver.requests] == [str(ids[0])]  # in flight when killed
    assert {r.status for r in rows(db)} == {"sending"}  # claimed, never finished

    assert run_once(db, ns).claimed == 0  # the dead relay's lease still holds
    stats = run_once(db, ns, now=utcnow() + timedelta(seconds=61))
    assert stats.sent == 5
    assert {(r.status, r.attempts) for r in rows(db)} == {("sent", 2)}
    delivered = receiver.deliveries()
    assert sorted(set(delivered)) == ids  # nothing lost
    assert sorted(delivered) == sorted([ids[0], *ids])  # at least once: one repeat, same id
