"""User administration routes (admin only)."""

from typing import Annotated

from fastapi import APIRouter, Depends

from bihuan.deps import SessionDep, require
from bihuan.kit.pagination import Page, PageParams, page_params
from bihuan.kit.schemas import error_responses
from bihuan.kit.validators import DbId
from bihuan.users import service
from bihuan.users.roles import Role
from bihuan.users.schemas import UserCreate, UserOut, UserUpdate

router = APIRouter(prefix="/users", tags=["users"])
Admin = require(Role.admin)


@router.get("", response_model=Page[UserOut], responses=error_responses(401, 403))
async def list_users(session: SessionDep, _: Admin, page: Annotated[PageParams, Depends(page_params)],
               role: Role | None = None) -> Page[UserOut]:
    """List staff accounts, optionally by role."""
    rows, total = service.list_users(session, role, page.limit, page.offset)
    return Page(items=[UserOut.model_validate(u) for u in rows], total=total, limit=page.limit,
                offset=page.offset)


@router.post("", status_code=201, response_model=UserOut,
             responses=error_responses(400, 401, 403, 409))
async def create_user(session: SessionDep, ctx: Admin, body: UserCreate) -> UserOut:
    """Create a staff account."""
    return UserOut.model_validate(service.create_user(session, ctx, body))


@router.get("/{user_id}", response_model=UserOut, responses=error_responses(401, 403, 404))
async def get_user(session: SessionDep, _: Admin, user_id: DbId) -> UserOut:
    """Read one account."""
    return UserOut.model_validate(service.access_user(session, user_id))


@router.patch("/{user_id}", response_model=UserOut,
              responses=error_responses(400, 401, 403, 404))
async def update_user(session: SessionDep, ctx: Admin, user_id: DbId, body: UserUpdate) -> UserOut:
    """Change role, name, password or deactivate an account."""
    user = service.access_user(session, user_id)
    return UserOut.model_validate(service.update_user(session, ctx, user, body))
