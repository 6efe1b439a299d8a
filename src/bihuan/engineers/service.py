"""Engineer use cases: an engineer is a staff user plus a profile (with at most one service
team); writes are audited."""

from typing import Any

from sqlalchemy.orm import Session

from bihuan.audit import service as audit
from bihuan.engineers import repository
from bihuan.engineers.models import Engineer
from bihuan.engineers.schemas import EngineerCreate, EngineerOut, EngineerUpdate, TeamOut
from bihuan.errors import not_found
from bihuan.kit.context import RequestContext
from bihuan.users import service as users
from bihuan.users.roles import Role
from bihuan.users.schemas import UserCreate

ENTITY = "engineer"
USER_FIELDS = ("username", "display_name", "password", "phone", "title", "supervisor_id")


def to_out(e: Engineer) -> EngineerOut:
    u = e.user
    return EngineerOut(
        id=e.id, user_id=e.user_id, username=u.username, display_name=u.display_name,
        phone=u.phone, title=u.title, is_active=u.is_active, skills=e.skills,
        cert_level=e.cert_level, home_base=e.home_base, home_lat=e.home_lat,
        home_lng=e.home_lng, region=e.region, max_load=e.max_load, team=e.team,
        created_at=e.created_at)


def access_engineer(session: Session, engineer_id: int) -> Engineer:
    e = repository.get(session, engineer_id)
    if e is None:
        raise not_found("工程师", "Engineer")
    return e


def list_engineers(session: Session, **filters: Any) -> tuple[list[Engineer], int]:
    return repository.search(session, **filters)


def create_engineer(session: Session, ctx: RequestContext, data: EngineerCreate) -> Engineer:
    """Create the engineer's login (role engineer) and profile in one transaction."""
    user_data = {k: getattr(data, k) for k in USER_FIELDS}
    user = users.create_user(session, ctx, UserCreate(role=Role.engineer, **user_data))
    profile = data.model_dump(exclude=set(USER_FIELDS))
    engineer = Engineer(user_id=user.id, **profile)
    repository.add(session, engineer)
    audit.record(session, ctx, "create", ENTITY, engineer.id,
                 {k: [None, v] for k, v in profile.items() if v is not None})
    return engineer


def update_engineer(session: Session, ctx: RequestContext, engineer: Engineer,
                    data: EngineerUpdate) -> Engineer:
    """Change skills, certification, base, load cap or team; audited. A new team's calendar
    applies to the engineer's orders from their next assignment or change."""
    fields = data.model_dump(exclude_unset=True)
    changes = {k: [getattr(engineer, k), v] for k, v in fields.items()
               if getattr(engineer, k) != v}
    if not changes:
        return engineer
    for k in changes:
        setattr(engineer, k, fields[k])
    session.flush()
    audit.record(session, ctx, "update", ENTITY, engineer.id, changes)
    return engineer


def teams(session: Session) -> list[TeamOut]:
    """The service teams: every name some engineer has, with its size."""
    return [TeamOut(name=name, engineers=n) for name, n in repository.teams(session)]


def team_exists(session: Session, name: str) -> bool:
    return repository.team_exists(session, name)


def teams_of(session: Session, user_ids: set[int]) -> dict[int, str]:
    """user id → team, for those of these users who are engineers in a team."""
    return repository.teams_of(session, user_ids)
