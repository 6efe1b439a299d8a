"""Engineer routes."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from bihuan.deps import SessionDep, require
from bihuan.engineers import service
from bihuan.engineers.schemas import EngineerCreate, EngineerOut, EngineerUpdate, TeamOut
from bihuan.kit.pagination import Page, PageParams, page_params
from bihuan.kit.schemas import error_responses
from bihuan.kit.validators import DbId
from bihuan.users.roles import DESK, Role

router = APIRouter(prefix="/engineers", tags=["engineers"])
Reader = require(*DESK)
Writer = require(Role.admin, Role.dispatcher)


@router.get("", response_model=Page[EngineerOut], responses=error_responses(401, 403))
async def list_engineers(
    session: SessionDep, _: Reader, page: Annotated[PageParams, Depends(page_params)],
    q: Annotated[str | None, Query(max_length=64, description="name, username or phone")] = None,
    region: Annotated[str | None, Query(max_length=32)] = None,
    skill: Annotated[str | None, Query(max_length=64, description="device model or family")] = (
        None),
    team: Annotated[str | None, Query(max_length=64, description="service team name")] = None,
) -> Page[EngineerOut]:
    """List engineers, filtered by region, team and a skill (device model or family)."""
    rows, total = service.list_engineers(session, q=q, region=region, skill=skill,
                                         team=team.strip() if team else None,
                                         limit=page.limit, offset=page.offset)
    return Page(items=[service.to_out(e) for e in rows], total=total, limit=page.limit,
                offset=page.offset)


@router.get("/teams", response_model=list[TeamOut], responses=error_responses(401, 403))
async def list_teams(session: SessionDep, _: Reader) -> list[TeamOut]:
    """Service teams (the names engineers carry), with their sizes."""
    return service.teams(session)


@router.post("", status_code=201, response_model=EngineerOut,
             responses=error_responses(400, 401, 403, 409))
async def create_engineer(session: SessionDep, ctx: Writer, body: EngineerCreate) -> EngineerOut:
    """Create an engineer: their login and their profile."""
    return service.to_out(service.create_engineer(session, ctx, body))


@router.get("/{engineer_id}", response_model=EngineerOut,
            responses=error_responses(401, 403, 404))
async def get_engineer(session: SessionDep, _: Reader, engineer_id: DbId) -> EngineerOut:
    """Read one engineer."""
    return service.to_out(service.access_engineer(session, engineer_id))


@router.patch("/{engineer_id}", response_model=EngineerOut,
              responses=error_responses(400, 401, 403, 404))
async def update_engineer(session: SessionDep, ctx: Writer, engineer_id: DbId,
                    body: EngineerUpdate) -> EngineerOut:
    """Change an engineer's skills, certification, base, load cap or team."""
    engineer = service.access_engineer(session, engineer_id)
    return service.to_out(service.update_engineer(session, ctx, engineer, body))
