"""Every engineer query."""

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bihuan.engineers.models import Engineer
from bihuan.users.models import User


def get(session: Session, engineer_id: int) -> Engineer | None:
    return session.get(Engineer, engineer_id)


def search(session: Session, *, q: str | None, region: str | None, skill: str | None,
           team: str | None = None, limit: int, offset: int) -> tuple[list[Engineer], int]:
    stmt = select(Engineer).join(User, User.id == Engineer.user_id)
    count = select(func.count(Engineer.id)).join(User, User.id == Engineer.user_id)
    conds = []
    if region:
        conds.append(Engineer.region == region)
    if team:
        conds.append(Engineer.team == team)
    if q:
        # icontains: LIKE is case-insensitive on SQLite but not on PostgreSQL
        conds.append(or_(User.display_name.icontains(q, autoescape=True), User.username == q,
                         User.phone == q))
    rows = list(session.scalars(stmt.where(*conds).order_by(Engineer.id)))
    if skill:
        # skills is a small JSON list; match a model or its family in Python, portable
        rows = [e for e in rows if skill in e.skills or any(skill.startswith(s) for s in e.skills)]
        return rows[offset:offset + limit], len(rows)
    total = session.scalar(count.where(*conds)) or 0
    return rows[offset:offset + limit], total


def add(session: Session, engineer: Engineer) -> None:
    session.add(engineer)
    session.flush()


def teams(session: Session) -> list[tuple[str, int]]:
    """Every team name with its number of engineers, by name (sorted here: the databases'
    collations order Chinese differently)."""
    return sorted((r[0], r[1]) for r in session.execute(
        select(Engineer.team, func.count(Engineer.id)).where(Engineer.team.is_not(None))
        .group_by(Engineer.team)))


def team_exists(session: Session, name: str) -> bool:
    return session.scalar(select(Engineer.id).where(Engineer.team == name).limit(1)) is not None


def teams_of(session: Session, user_ids: set[int]) -> dict[int, str]:
    """The teams of these users that are engineers in a team (by the unique user_id)."""
    if not user_ids:
        return {}
    return {r[0]: r[1] for r in session.execute(
        select(Engineer.user_id, Engineer.team).where(
            Engineer.user_id.in_(user_ids), Engineer.team.is_not(None)))}
