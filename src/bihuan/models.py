"""Import every table so metadata (and Alembic) sees them all."""

from bihuan.attachments.models import Attachment
from bihuan.audit.models import AuditEvent, AuditHead
from bihuan.auth.models import AuthToken
from bihuan.customers.models import Contact, Customer
from bihuan.db import Base
from bihuan.devices.models import Device, FaultPreset
from bihuan.engineers.models import Engineer
from bihuan.notifications.models import (
    Notification,
    NotificationChannel,
    NotificationPreference,
    NotificationTemplate,
    Outbox,
)
from bihuan.portal.models import RateCounter
from bihuan.users.models import User
from bihuan.workorders.models import (
    Confirmation,
    ExternalRef,
    NumberSequence,
    SavedView,
    SuspectedFakeCompletion,
    WorkOrder,
)

__all__ = [
    "Attachment",
    "AuditEvent",
    "AuditHead",
    "AuthToken",
    "Base",
    "Confirmation",
    "Contact",
    "Customer",
    "Device",
    "Engineer",
    "ExternalRef",
    "FaultPreset",
    "Notification",
    "NotificationChannel",
    "NotificationPreference",
    "NotificationTemplate",
    "NumberSequence",
    "Outbox",
    "RateCounter",
    "SavedView",
    "SuspectedFakeCompletion",
    "User",
    "WorkOrder",
]
