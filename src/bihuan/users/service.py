"""Staff accounts: lookup, create, password hashing."""

from typing import TYPE_CHECKING, Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bihuan.audit import service as audit
from bihuan.errors import BadInput, Conflict, not_found
from bihuan.kit import tokencache
from bihuan.users.models import User

if TYPE_CHECKING:
    from collections.abc import Iterable

    from bihuan.kit.context import RequestContext
    from bihuan.users.schemas import UserCreate, UserUpdate

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def get_users(session: Session, user_ids: "Iterable[int]") -> dict[int, User]:
    """Several users by id in one query (ids not found are left out)."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    return {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))}


def active_by_role(session: Session, roles: "Iterable[str]") -> dict[str, list[User]]:
    """The active users of each role (ordered by id), all roles in one query."""
    wanted = sorted(set(roles))
    found: dict[str, list[User]] = {r: [] for r in wanted}
    for u in session.scalars(select(User).where(User.role.in_(wanted),
                                                User.is_active.is_(True)).order_by(User.id)):
        found[u.role].append(u)
    return found


def get_by_username(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.username) == username.lower()))


def list_users(session: Session, role: str | None, limit: int, offset: int
               ) -> tuple[list[User], int]:
    stmt = select(User)
    count = select(func.count(User.id))
    if role:
        stmt, count = stmt.where(User.role == role), count.where(User.role == role)
    rows = session.scalars(stmt.order_by(User.id).limit(limit).offset(offset)).all()
    return list(rows), session.scalar(count) or 0


def username_taken(session: Session, username: str) -> bool:
    return get_by_username(session, username) is not None


def create_user(session: Session, ctx: "RequestContext", data: "UserCreate") -> User:
    """Create a staff account; the password is stored as an argon2 hash only."""
    if username_taken(session, data.username):
        raise Conflict(f"用户名 {data.username} 已存在", f"Username {data.username} is taken",
                       code="username_taken")
    _check_supervisor(session, data.supervisor_id)
    values = data.model_dump(exclude={"password"})
    user = User(**values, password_hash=hash_password(data.password))
    session.add(user)
    session.flush()
    changes = {k: [None, v] for k, v in values.items() if v is not None}
    changes["password"] = [None, "***"]
    audit.record(session, ctx, "create", "user", user.id, changes)
    return user


def _check_supervisor(session: Session, supervisor_id: int | None) -> None:
    if supervisor_id is not None and get_user(session, supervisor_id) is None:
        raise BadInput(f"上级 {supervisor_id} 不存在", f"Supervisor {supervisor_id} does not exist",
                       code="supervisor_not_found")


def update_user(session: Session, ctx: "RequestContext", user: User, data: "UserUpdate") -> User:
    """Change an account; a new password is audited as '***', never in clear."""
    fields = data.model_dump(exclude_unset=True)
    password = fields.pop("password", None)
    if "supervisor_id" in fields:
        _check_supervisor(session, fields["supervisor_id"])
    changes: dict[str, Any] = {k: [getattr(user, k), v] for k, v in fields.items()
                               if getattr(user, k) != v}
    for k in changes:
        setattr(user, k, fields[k])
    if password:
        user.password_hash = hash_password(password)
        changes["password"] = ["***", "***"]
    if not changes:
        return user
    session.flush()
    tokencache.clear()  # a new role, or a deactivation, takes effect on the next request
    audit.record(session, ctx, "update", "user", user.id, changes)
    return user


def access_user(session: Session, user_id: int) -> User:
    user = get_user(session, user_id)
    if user is None:
        raise not_found("用户", "User")
    return user


def display_names(session: Session, ids: set[int]) -> dict[int, str]:
    """id → display name, for showing who did what."""
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())
