"""Import every table so metadata (and Alembic) sees them all."""

from bihuan.audit.models import AuditEvent, AuditHead
from bihuan.auth.models import AuthToken
from bihuan.customers.models import Contact, Customer
from bihuan.db import Base
from bihuan.devices.models import Device
from bihuan.engineers.models import Engineer
from bihuan.users.models import User
from bihuan.workorders.models import (
    Confirmation,
    ExternalRef,
    NumberSequence,
    SuspectedFakeCompletion,
    WorkOrder,
)

__all__ = [
    "AuditEvent", "AuditHead", "AuthToken", "Base", "Confirmation", "Contact", "Customer",
    "Device", "Engineer", "ExternalRef", "NumberSequence", "SuspectedFakeCompletion", "User",
    "WorkOrder",
]
