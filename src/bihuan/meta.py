"""/api/v1/meta: enums with labels and colours, and the workflow tables, for the UI."""

from typing import Any

from fastapi import APIRouter

from bihuan import __version__
from bihuan.customers.enums import TIER_LABELS
from bihuan.notifications.enums import CHANNEL_LABELS, EVENT_LABELS, OUTBOX_LABELS
from bihuan.users.roles import ROLE_LABELS
from bihuan.workorders.enums import LABELS
from bihuan.workorders.workflow import PREVIOUS, WORKFLOWS

router = APIRouter(tags=["meta"])


def _choices(table: dict[str, tuple[str, str, str]]) -> list[dict[str, Any]]:
    return [{"value": str(k), "label": {"zh-CN": zh, "en": en}, "color": c}
            for k, (zh, en, c) in table.items()]


@router.get("/meta")
async def meta() -> dict[str, Any]:
    """Labels and colours for every enum, and each order type's transitions."""
    return {
        "version": __version__,
        "enums": {
            **{name: _choices(table) for name, table in LABELS.items()},
            "tier": _choices(TIER_LABELS),
            "channel_kind": _choices(CHANNEL_LABELS),
            "outbox_status": _choices(OUTBOX_LABELS),
            "notify_event": _choices(EVENT_LABELS),
            "role": [{"value": str(k), "label": v} for k, v in ROLE_LABELS.items()],
        },
        "workflows": {
            str(t): [{"action": x.action, "from": sorted(x.sources),
                      "to": "previous" if x.target == PREVIOUS else x.target,
                      "roles": sorted(x.roles), "guards": list(x.guards),
                      "needs_reason": x.needs_reason,
                      "label": {"zh-CN": x.label[0], "en": x.label[1]}}
                     for x in wf.transitions]
            for t, wf in WORKFLOWS.items()
        },
    }


@router.get("/health")
async def health() -> dict[str, str]:
    """Liveness probe."""
    return {"status": "ok"}
