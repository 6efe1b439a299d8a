"""Customer tiers with their default service level (labels reach the UI via /api/v1/meta)."""

from enum import StrEnum


class Tier(StrEnum):
    strategic = "strategic"
    key = "key"
    standard = "standard"
    basic = "basic"


TIER_LABELS: dict[str, tuple[str, str, str]] = {
    Tier.strategic: ("战略客户", "Strategic", "red"),
    Tier.key: ("重点客户", "Key account", "orange"),
    Tier.standard: ("标准客户", "Standard", "blue"),
    Tier.basic: ("基础客户", "Basic", "grey"),
}

DEFAULT_SERVICE_LEVEL: dict[str, str] = {
    Tier.strategic: "7×24,2小时响应,8小时修复",
    Tier.key: "5×12,4小时响应,24小时修复",
    Tier.standard: "5×8,8小时响应,48小时修复",
    Tier.basic: "5×8,24小时响应,72小时修复",
}
