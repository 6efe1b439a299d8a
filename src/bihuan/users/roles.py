"""Roles: the single source of their labels (they reach the UI through /api/v1/meta)."""

from enum import StrEnum


class Role(StrEnum):
    admin = "admin"
    agent = "agent"
    dispatcher = "dispatcher"
    engineer = "engineer"
    supervisor = "supervisor"
    director = "director"


ROLE_LABELS: dict[str, dict[str, str]] = {
    Role.admin: {"zh-CN": "管理员", "en": "Administrator"},
    Role.agent: {"zh-CN": "客服", "en": "Agent"},
    Role.dispatcher: {"zh-CN": "调度员", "en": "Dispatcher"},
    Role.engineer: {"zh-CN": "工程师", "en": "Engineer"},
    Role.supervisor: {"zh-CN": "主管/质检", "en": "Supervisor / QA"},
    Role.director: {"zh-CN": "生产总监/运营", "en": "Director"},
}

STAFF = frozenset(Role)
DESK = frozenset({Role.admin, Role.agent, Role.dispatcher, Role.supervisor, Role.director})

# not an account: the person behind a tracking code on the public pages (confirms, rejects)
CUSTOMER = "customer"
