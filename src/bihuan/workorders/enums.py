"""Work-order enums with their labels and colours: the single source for the UI."""

from enum import StrEnum


class OrderType(StrEnum):
    repair = "repair"
    maintenance = "maintenance"
    production_exception = "production_exception"


class State(StrEnum):
    new = "new"
    dispatching = "dispatching"
    assigned = "assigned"
    in_progress = "in_progress"
    awaiting_confirmation = "awaiting_confirmation"
    closed = "closed"
    on_hold = "on_hold"
    cancelled = "cancelled"


class Priority(StrEnum):
    low = "low"
    normal = "normal"
    high = "high"
    urgent = "urgent"


LABELS: dict[str, dict[str, tuple[str, str, str]]] = {
    "type": {
        OrderType.repair: ("售后维修", "After-sales repair", "blue"),
        OrderType.maintenance: ("维修任务", "Maintenance", "cyan"),
        OrderType.production_exception: ("产线异常", "Production-line exception", "orange"),
    },
    "state": {
        State.new: ("新建", "New", "grey"),
        State.dispatching: ("派单中", "Dispatching", "purple"),
        State.assigned: ("已派单", "Assigned", "blue"),
        State.in_progress: ("处理中", "In progress", "cyan"),
        State.awaiting_confirmation: ("待确认", "Awaiting confirmation", "orange"),
        State.closed: ("已关闭", "Closed", "green"),
        State.on_hold: ("挂起", "On hold", "yellow"),
        State.cancelled: ("已取消", "Cancelled", "grey"),
    },
    "priority": {
        Priority.low: ("低", "Low", "grey"),
        Priority.normal: ("普通", "Normal", "blue"),
        Priority.high: ("高", "High", "orange"),
        Priority.urgent: ("紧急", "Urgent", "red"),
    },
}

OPEN_STATES = frozenset(
    {State.new, State.dispatching, State.assigned, State.in_progress,
     State.awaiting_confirmation, State.on_hold}
)
