"""The relay: claim due outbox rows, deliver them after commit, record the outcome.

1. Claim (one short transaction): take due `pending` rows, and `sending` rows whose lease
   expired (their relay died), with compare-and-set, so two relays never claim one row in
   the same cycle. Rows over a throttle are left pending until a slot frees. Commit.
2. Deliver each claimed row outside any transaction (HTTP, SMTP, …).
3. Record: `sent`, or `pending` again after an exponential backoff, or `dead` after
   max_attempts. Only the holder of the attempt may record it (a relay whose lease ran out
   must not overwrite a newer attempt).

Delivery is at-least-once: a relay killed between 2 and 3 leaves the row to be claimed again
when the lease expires, and the receiver sees the same X-Bihuan-Delivery id twice.
"""

import logging
import random
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select

from bihuan.db import Database, session_scope
from bihuan.kit.clock import utcnow
from bihuan.kit.secrets import Unreadable
from bihuan.notifications import repository, service, throttle
from bihuan.notifications.channels import (
    ChannelConfig,
    Delivery,
    DeliveryError,
    PinnedTransport,
    senders,
)
from bihuan.notifications.config import NotifySettings, resolve
from bihuan.notifications.enums import ChannelKind, OutboxStatus
from bihuan.notifications.models import NotificationChannel, Outbox

log = logging.getLogger("bihuan.notifications")
_rng = random.Random()


@dataclass
class RelayStats:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    dead: int = 0
    deferred: int = 0  # over a throttle: left pending until a slot frees
    superseded: int = 0  # our lease ran out and another relay took the row over
    released: int = 0  # claimed but given back unsent: the lease would have run out first

    def __add__(self, other: "RelayStats") -> "RelayStats":
        return RelayStats(*(a + b for a, b in zip(vars(self).values(), vars(other).values(),
                                                   strict=True)))


def backoff(attempt: int, ns: NotifySettings, rng: random.Random | None = None) -> float:
    """Seconds to wait after failed attempt n: base × 2^(n-1), capped, ± jitter."""
    delay = min(ns.backoff_base_seconds * 2 ** (attempt - 1), ns.backoff_cap_seconds)
    return delay * (1 + (rng or _rng).uniform(-ns.backoff_jitter, ns.backoff_jitter))


def _config(c: NotificationChannel) -> ChannelConfig:
    """A channel's plain configuration; one whose URL or secret no key decrypts keeps only
    the reason, and its messages die with it (see Delivery.require_config)."""
    bad = next((v for v in (c.url, c.secret) if isinstance(v, Unreadable)), None)
    problem = f"channel URL or secret cannot be decrypted: {bad.reason}" if bad else None
    return ChannelConfig(c.id, c.kind, c.name, None if bad else c.url,
                         None if bad else c.secret, c.enabled, dict(c.settings or {}),
                         problem=problem)


def _configs(db: Database) -> dict[str, ChannelConfig]:
    with session_scope(db, write=False) as s:
        return {str(c.id): _config(c) for c in s.scalars(select(NotificationChannel))}


def claim(db: Database, ns: NotifySettings, now: datetime, limit: int,
          stats: RelayStats | None = None,
          configs: dict[str, ChannelConfig] | None = None) -> list[tuple[int, int]]:
    """Claim up to `limit` due rows; (id, attempt number) of each, committed as `sending`."""
    stats = stats if stats is not None else RelayStats()
    configs = configs if configs is not None else _configs(db)
    claimed: list[tuple[int, int]] = []
    lease_until = now + timedelta(seconds=ns.lease_seconds)
    with session_scope(db) as s:
        rows = repository.due_rows(s, now, limit)
        # one relay at a time decides for a robot/phone; keys locked in one order: no deadlock
        for key in sorted({r.throttle_key for r in rows if r.throttle_key}):
            repository.lock_key(s, key)
        recent: dict[str, list[datetime]] = {}
        for r in rows:
            if r.status == OutboxStatus.sending and r.attempts >= ns.max_attempts:
                if repository.kill_expired(s, r.id, now, "relay lost the lease on the last "
                                           "attempt"):
                    stats.dead += 1
                continue
            key = r.throttle_key
            if key:
                cfg = configs.get(r.target)
                ws = throttle.windows(r.channel, cfg.settings if cfg else None, ns)
                if key not in recent:
                    recent[key] = repository.recent_sends(
                        s, key, now - timedelta(seconds=throttle.longest(ws)), now)
                free = throttle.next_free(recent[key], ws, now)
                if free is not None:
                    if repository.defer(s, r.id, now, free):
                        stats.deferred += 1
                    continue
            attempt = repository.claim(s, r.id, now, lease_until)
            if attempt is None:
                continue  # another relay got it first
            if key:
                recent[key].insert(0, now)
            claimed.append((r.id, attempt))
    stats.claimed += len(claimed)
    return claimed


def _deliver(db: Database, ns: NotifySettings, row: Outbox, attempt: int, http: httpx.Client,
             configs: dict[str, ChannelConfig], stamp: datetime | None,
             rng: random.Random | None, stats: RelayStats) -> None:
    # signatures carry the time of sending, not of the claim (receivers check the skew)
    d = Delivery(id=row.id, event=row.event, channel=row.channel, recipient=row.recipient,
                 payload=row.payload or {}, config=configs.get(row.target),
                 now=stamp or utcnow())
    if row.channel == ChannelKind.inapp:
        _deliver_inapp(db, d, row, attempt, stamp or utcnow(), stats)
        return
    if row.channel == ChannelKind.fanout:
        _expand(db, row, attempt, stamp or utcnow(), stats)
        return
    error: DeliveryError | None = None
    try:
        sender = senders().get(row.channel)
        if sender is None:
            raise DeliveryError(f"unknown channel {row.channel}", permanent=True)
        sender(d, http, ns)
    except DeliveryError as e:
        error = e
    except Exception as e:  # a bug in an adapter must not stop the relay
        log.exception("outbox %s: adapter %s failed", row.id, row.channel)
        error = DeliveryError(f"{type(e).__name__}: {e}")
    at = stamp or utcnow()
    with session_scope(db) as s:
        if error is None:
            ok = repository.finish(s, row.id, attempt, {"status": OutboxStatus.sent,
                                                        "sent_at": at, "last_error": None})
            stats.sent += ok
        elif error.permanent or attempt >= ns.max_attempts:
            ok = repository.finish(s, row.id, attempt, {"status": OutboxStatus.dead,
                                                        "last_error": str(error)})
            stats.dead += ok
            log.warning("outbox %s (%s) is dead: %s", row.id, row.channel, error)
        else:
            retry_at = at + timedelta(seconds=backoff(attempt, ns, rng))
            ok = repository.finish(s, row.id, attempt, {
                "status": OutboxStatus.pending, "next_attempt_at": retry_at,
                "last_error": str(error)})
            stats.retried += ok
        stats.superseded += not ok


def _deliver_inapp(db: Database, d: Delivery, row: Outbox, attempt: int, at: datetime,
                   stats: RelayStats) -> None:
    """The bell entry and `sent` in one transaction: in-app is delivered exactly once."""
    with session_scope(db) as s:
        if not repository.finish(s, row.id, attempt, {"status": OutboxStatus.sent,
                                                      "sent_at": at, "last_error": None}):
            stats.superseded += 1
            return
        repository.insert_notification(s, {
            "user_id": int(row.target), "outbox_id": row.id, "event": row.event,
            "title": d.subject[:200], "body": d.body, "link": d.payload.get("link"),
            "created_at": at, "read_at": None})
        stats.sent += 1


def _expand(db: Database, row: Outbox, attempt: int, at: datetime,
            stats: RelayStats) -> None:
    """A fan-out row becomes its per-person and per-robot rows, in the transaction that
    marks it sent: expanded exactly once. The new rows go out on the next cycles."""
    with session_scope(db) as s:
        if not repository.finish(s, row.id, attempt, {"status": OutboxStatus.sent,
                                                      "sent_at": at, "last_error": None}):
            stats.superseded += 1
            return
        service.expand_fanout(s, row.event, row.payload or {}, row.dedupe_key)
        stats.sent += 1


def http_client(ns: NotifySettings) -> httpx.Client:
    """Short timeouts, no redirects (a redirect could lead past the SSRF check), connections
    only to checked public addresses unless private URLs are allowed."""
    return httpx.Client(timeout=httpx.Timeout(ns.http_timeout_seconds, connect=3.0),
                        follow_redirects=False,
                        transport=None if ns.allow_private_urls else PinnedTransport())


def _release(db: Database, row_id: int, attempt: int, at: datetime, stats: RelayStats) -> None:
    """Give back a claimed row we will not get to before the lease ends (attempt not used)."""
    with session_scope(db) as s:
        if repository.finish(s, row_id, attempt, {"status": OutboxStatus.pending,
                                                  "next_attempt_at": at,
                                                  "attempts": attempt - 1}):
            stats.released += 1


def run_once(db: Database, settings: Any, now: datetime | None = None, limit: int = 50, *,
             rng: random.Random | None = None, http: httpx.Client | None = None) -> RelayStats:
    """One relay cycle: claim, deliver, record. `settings`: NotifySettings, or the app's
    Settings (then BIHUAN_NOTIFY_* from the environment). `now` defaults to the clock.
    `http`: a client of the caller's, used as is (give it PinnedTransport for the SSRF check)."""
    ns = resolve(settings)
    stamp = now
    now = now or utcnow()
    stats = RelayStats()
    configs = _configs(db)
    claimed = claim(db, ns, now, limit, stats, configs)
    if not claimed:
        return stats
    attempts = dict(claimed)
    with session_scope(db, write=False) as s:
        rows = list(s.scalars(select(Outbox).where(Outbox.id.in_(attempts)).order_by(
            Outbox.next_attempt_at, Outbox.id)))
        s.expunge_all()  # plain objects from here on: the read transaction ends
    # one target's messages in order, different targets in parallel
    groups: dict[tuple[str, str], list[Outbox]] = {}
    for row in rows:
        groups.setdefault((row.channel, row.target), []).append(row)
    # stop starting deliveries once a slow one could outlast the lease
    margin = min(ns.http_timeout_seconds * 2, ns.lease_seconds / 2)
    deadline = now + timedelta(seconds=ns.lease_seconds - margin)
    client = http or http_client(ns)

    def work(group: list[Outbox]) -> RelayStats:
        mine = RelayStats()  # one per thread: no shared counters
        for row in group:
            if stamp is None and utcnow() >= deadline:
                _release(db, row.id, attempts[row.id], utcnow(), mine)
                continue
            _deliver(db, ns, row, attempts[row.id], client, configs, stamp, rng, mine)
        return mine

    try:
        if len(groups) == 1 or ns.delivery_threads == 1:
            results = [work(g) for g in groups.values()]
        else:
            with ThreadPoolExecutor(min(ns.delivery_threads, len(groups))) as pool:
                results = [f.result() for f in [pool.submit(work, g) for g in groups.values()]]
        for r in results:
            stats = stats + r
    finally:
        if http is None:
            client.close()
    return stats


def run_forever(db: Database, settings: Any, stop_event: threading.Event,
                interval: float = 2.0, limit: int = 50) -> None:
    """The worker loop: run cycles until `stop_event` is set; no pause while rows keep coming."""
    while not stop_event.is_set():
        try:
            stats = run_once(db, settings, limit=limit)
        except Exception:  # the database may be away for a moment; try again next round
            log.exception("relay cycle failed")
            stats = RelayStats()
        if stats.claimed + stats.deferred + stats.dead < limit:
            stop_event.wait(interval)
