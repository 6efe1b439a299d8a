"""Login, logout and the current user."""

from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from bihuan.auth import service
from bihuan.db import session_scope, session_scope_async
from bihuan.deps import CtxDep, SessionDep, SettingsDep, anonymous_context
from bihuan.errors import DomainError
from bihuan.kit.context import RequestContext
from bihuan.kit.errors_http import lang_of
from bihuan.kit.schemas import error_responses
from bihuan.users import service as users
from bihuan.users.schemas import LoginIn, LoginOut, UserOut

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", response_model=LoginOut, responses=error_responses(401, 429))
async def login(settings: SettingsDep, body: LoginIn, request: Request,
                ctx: Annotated[RequestContext, Depends(anonymous_context)],
                ) -> LoginOut | JSONResponse:
    """Exchange username and password for a bearer token."""
    db = request.app.state.db
    # no transaction (and no SQLite writer turn) is held while argon2 runs in a thread
    with session_scope(db, write=False) as session:
        check = service.begin_login(session, settings, body.username)
    ok = await anyio.to_thread.run_sync(service.password_matches, check, body.password)
    async with session_scope_async(db, write=True) as session:
        result = service.finish_login(session, ctx, settings, check, ok)
        if isinstance(result, DomainError):
            # returned, not raised: the failed attempt's audit event must still commit
            return JSONResponse(result.body(lang_of(request)), status_code=result.status_code,
                                headers=result.headers)
        token, user = result
        return LoginOut(access_token=token, expires_in=settings.token_ttl_hours * 3600,
                        user=UserOut.model_validate(user))


@router.post("/logout", status_code=204, responses=error_responses(401))
async def logout(session: SessionDep, ctx: CtxDep, request: Request) -> None:
    """Revoke the bearer token used for this request."""
    token = request.headers.get("authorization", "").partition(" ")[2].strip()
    service.revoke(session, token)


@router.get("/me", response_model=UserOut, responses=error_responses(401))
async def me(session: SessionDep, ctx: CtxDep) -> UserOut:
    """The logged-in user."""
    assert ctx.actor.user_id is not None
    return UserOut.model_validate(users.access_user(session, ctx.actor.user_id))
