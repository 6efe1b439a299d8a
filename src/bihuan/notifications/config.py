"""Relay settings, read from BIHUAN_NOTIFY_* environment variables (fail fast on bad values)."""

from functools import lru_cache
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class NotifySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BIHUAN_NOTIFY_", extra="ignore")

    # after this many failed attempts a message is `dead` (an admin may retry it)
    max_attempts: int = Field(default=8, ge=1, le=100)
    # a claimed row is someone else's until then; a relay that died leaves it to expire
    lease_seconds: float = Field(default=120.0, gt=0)
    # retry n waits base × 2^(n-1), at most cap, ± jitter (a fraction)
    backoff_base_seconds: float = Field(default=30.0, gt=0)
    backoff_cap_seconds: float = Field(default=3600.0, gt=0)
    backoff_jitter: float = Field(default=0.1, ge=0, lt=1)
    # messages to different targets go out in parallel; one target's stay in order
    delivery_threads: int = Field(default=8, ge=1, le=64)
    http_timeout_seconds: float = Field(default=5.0, gt=0)
    smtp_timeout_seconds: float = Field(default=10.0, gt=0)
    # vendor limits per robot (a channel's settings may lower or raise them)
    robot_per_minute: int = Field(default=20, ge=1)
    feishu_per_minute: int = Field(default=100, ge=1)
    # per phone number, against SMS bombing and cost
    sms_per_phone_minute: int = Field(default=1, ge=1)
    sms_per_phone_hour: int = Field(default=5, ge=1)
    sms_per_phone_day: int = Field(default=10, ge=1)
    # outbound URLs resolving to loopback/private/link-local addresses are refused (SSRF)
    # unless this is on (an intranet-only receiver, or tests)
    allow_private_urls: bool = False


@lru_cache
def from_env() -> NotifySettings:
    return NotifySettings()


def resolve(settings: Any) -> NotifySettings:
    """The relay's settings: given directly, or (for the app's Settings) from the environment."""
    return settings if isinstance(settings, NotifySettings) else from_env()
