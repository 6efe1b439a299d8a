"""Request dependencies: the session (the request owns the transaction), the actor, roles."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from bihuan.auth import service as auth
from bihuan.config import Settings
from bihuan.db import session_scope, session_scope_async
from bihuan.errors import BadInput, Unauthorized, forbidden
from bihuan.groupcommit import GroupCommit
from bihuan.kit.context import Actor, RequestContext, client_ip, parse_gps_header

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_session(request: Request) -> AsyncIterator[Session]:
    """Commit when the route returns, roll back when it raises.

    Dependencies are `async def`: FastAPI runs a plain `def` dependency in the thread pool,
    and each hand-off (with its wait for the GIL) costs more than the work. Only the route
    itself runs in a thread, so routes on PostgreSQL still overlap their queries."""
    write = request.method not in READ_METHODS
    async with session_scope_async(request.app.state.db, write=write) as s:
        yield s


async def get_group(request: Request) -> GroupCommit:
    return request.app.state.group


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]
GroupDep = Annotated[GroupCommit, Depends(get_group)]


def request_context(request: Request) -> RequestContext:
    """Where the request comes from; the actor is anonymous until the token is checked."""
    settings: Settings = request.app.state.settings
    raw_gps = request.headers.get("x-client-gps")
    gps = parse_gps_header(raw_gps)
    if raw_gps and gps is None:
        raise BadInput("X-Client-GPS 格式应为“纬度,经度[,精度米]”,示例:31.2304,121.4737,15",
                       "X-Client-GPS must be 'lat,lng[,accuracy_m]', e.g. 31.2304,121.4737,15",
                       code="gps_invalid")
    return RequestContext(
        actor=Actor(None, "anonymous", "anonymous"),
        ip=client_ip(request, settings),
        user_agent=request.headers.get("user-agent"),
        gps=gps,
    )


async def anonymous_context(request: Request) -> RequestContext:
    return request_context(request)


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("请先登录", "Log in first",
                           headers={"WWW-Authenticate": "Bearer"})
    return token.strip()


def _with_actor(request: Request, actor: Actor | None) -> RequestContext:
    if actor is None:
        raise Unauthorized("登录已过期,请重新登录", "Your session has expired; log in again",
                           code="token_invalid", headers={"WWW-Authenticate": "Bearer"})
    ctx = request_context(request)
    ctx.actor = actor
    return ctx


def authenticate(request: Request, session: Session) -> RequestContext:
    """The request's context with the bearer token's holder as the actor (401 otherwise)."""
    return _with_actor(request, auth.actor_for_token(session, _bearer(request)))


def authenticate_alone(request: Request) -> RequestContext:
    """authenticate() for routes without a request session: the token cache answers most
    requests; on a miss a short read session looks the token up."""
    token = _bearer(request)
    actor = auth.cached_actor(token)
    if actor is None:
        with session_scope(request.app.state.db, write=False) as session:
            actor = auth.actor_for_token(session, token)
    return _with_actor(request, actor)


async def current_context(request: Request, session: SessionDep) -> RequestContext:
    return authenticate(request, session)


CtxDep = Annotated[RequestContext, Depends(current_context)]


def require(*roles: str, grouped: bool = False):  # type: ignore[no-untyped-def]
    """Dependency: the actor's role must be one of `roles` (403 otherwise).

    One dependency, not a chain of small ones: FastAPI's per-dependency cost is a visible
    share of a hot request. `grouped`: the route writes through the group commit, so the
    request opens no session of its own and takes no writer lock."""
    allowed = frozenset(roles)

    def allow(ctx: RequestContext) -> RequestContext:
        if ctx.actor.role not in allowed:
            raise forbidden()
        return ctx

    if grouped:
        async def check_alone(request: Request) -> RequestContext:
            return allow(authenticate_alone(request))

        return Annotated[RequestContext, Depends(check_alone)]

    async def check(request: Request, session: SessionDep) -> RequestContext:
        return allow(authenticate(request, session))

    return Annotated[RequestContext, Depends(check)]
