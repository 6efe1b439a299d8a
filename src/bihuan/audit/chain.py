"""Hash chain: h_n = SHA-256(h_{n-1} || canonical_json(e_n)). Pure functions."""

import hashlib
import json
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

GENESIS = "0" * 64

FIELDS = (
    "seq", "occurred_at", "actor_id", "actor_name", "actor_role", "action", "entity_type",
    "entity_id", "changes", "reason", "ip", "user_agent", "gps",
)


@lru_cache(maxsize=256)  # a batch of events shares one time
def _ts(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# what json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
# builds on every call, built once
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                              default=str)


def canonical(event: dict[str, Any]) -> bytes:
    """Canonical JSON of the hashed fields: sorted keys, no spaces, UTF-8."""
    data = {k: event.get(k) for k in FIELDS}
    data["occurred_at"] = _ts(data["occurred_at"])
    return _CANONICAL.encode(data).encode()


def link_hash(prev_hash: str, event: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + canonical(event)).hexdigest()
