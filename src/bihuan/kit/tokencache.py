"""A small per-process cache of who holds a bearer token, so most requests skip the lookup.

Entries live a few seconds. Logout and account changes in this process clear them at once;
other worker processes see such a change within the TTL.
"""

import threading
import time
from datetime import datetime
from typing import Any

TTL_SECONDS = 5.0
MAX_ENTRIES = 10_000

_lock = threading.Lock()
_entries: dict[str, tuple[Any, datetime, float]] = {}


def get(token_hash: str, now: datetime) -> Any | None:
    hit = _entries.get(token_hash)
    if hit is None:
        return None
    value, expires_at, cached_at = hit
    if time.monotonic() - cached_at > TTL_SECONDS or expires_at <= now:
        _entries.pop(token_hash, None)
        return None
    return value


def put(token_hash: str, value: Any, expires_at: datetime) -> None:
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[token_hash] = (value, expires_at, time.monotonic())


def drop(token_hash: str) -> None:
    _entries.pop(token_hash, None)


def clear() -> None:
    with _lock:
        _entries.clear()
