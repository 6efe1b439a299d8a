"""Who is acting, from where: passed to every service call that writes."""

from dataclasses import dataclass
from typing import Any

from fastapi import Request

from bihuan.config import Settings
from bihuan.kit.schemas import GPS


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    role: str


SYSTEM = Actor(user_id=None, username="system", role="system")


@dataclass
class RequestContext:
    actor: Actor
    ip: str | None = None
    user_agent: str | None = None
    gps: dict[str, Any] | None = None
    bulk: bool = False

    def with_gps(self, gps: GPS | None) -> "RequestContext":
        if gps is None:
            return self
        return RequestContext(self.actor, self.ip, self.user_agent, gps.model_dump(), self.bulk)


def client_ip(request: Request, settings: Settings) -> str | None:
    peer = request.client.host if request.client else None
    fwd = request.headers.get("x-forwarded-for")
    if fwd and peer in settings.trusted_proxies:
        return fwd.split(",")[0].strip()
    return peer


def parse_gps_header(value: str | None) -> dict[str, Any] | None:
    """X-Client-GPS: "lat,lng[,accuracy]"; anything unreadable is ignored, not trusted."""
    if not value:
        return None
    try:
        parts = [float(p) for p in value.split(",")]
        gps = GPS(lat=parts[0], lng=parts[1], accuracy=parts[2] if len(parts) > 2 else None)
    except (ValueError, IndexError):
        return None
    return gps.model_dump()
