"""The background work: the SLA sweeper and the notification relay, each in its own thread.

`bihuan worker` runs them alone; `bihuan serve` and `bihuan demo` run them inside the web
process by default (one machine, no other service). Running several is safe: the sweeper
locks and skips the rows another one holds, and the relay claims rows by compare-and-set."""

import logging
import threading
from collections.abc import Callable

from bihuan.config import Settings
from bihuan.db import Database
from bihuan.notifications import relay
from bihuan.notifications.config import from_env
from bihuan.sla import sweeper

log = logging.getLogger("bihuan.worker")


def start(db: Database, settings: Settings, *, sweep_interval: float = 15.0,
          relay_interval: float = 2.0) -> Callable[[], None]:
    """Start both loops in daemon threads; returns a function that stops and joins them."""
    stop = threading.Event()
    threads = [
        threading.Thread(target=sweeper.run_forever, name="bihuan-sla-sweeper", daemon=True,
                         args=(db, settings, stop, sweep_interval),
                         kwargs={"on_error": lambda e: log.exception("SLA sweep failed",
                                                                     exc_info=e)}),
        threading.Thread(target=relay.run_forever, name="bihuan-relay", daemon=True,
                         args=(db, from_env(), stop, relay_interval)),
    ]
    for t in threads:
        t.start()

    def stop_all() -> None:
        stop.set()
        for t in threads:
            t.join(30)

    return stop_all
