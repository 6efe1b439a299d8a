"""`python -m bihuan.notifications.worker`: run the relay until SIGTERM/SIGINT."""

import argparse
import logging
import signal
import threading

from bihuan.config import get_settings
from bihuan.db import Database
from bihuan.notifications.config import from_env
from bihuan.notifications.relay import run_forever, run_once


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Bihuan notification relay")
    parser.add_argument("--once", action="store_true", help="one cycle, then exit")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between cycles")
    parser.add_argument("--limit", type=int, default=50, help="rows per cycle")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = get_settings()
    db = Database(settings.effective_database_url)
    try:
        if args.once:
            print(run_once(db, from_env(), limit=args.limit), flush=True)
            return
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        run_forever(db, from_env(), stop, args.interval, args.limit)
    finally:
        db.dispose()


if __name__ == "__main__":
    main()
