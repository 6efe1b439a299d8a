"""Every auth query."""

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from bihuan.auth.models import AuthToken, LoginAttempt
from bihuan.users.models import User

_TOKEN_HOLDER = (
    select(User.id, User.username, User.role, AuthToken.expires_at)
    .join(AuthToken, AuthToken.user_id == User.id)
    .where(AuthToken.token_hash == bindparam("token_hash"), AuthToken.revoked.is_(False),
           AuthToken.expires_at > bindparam("now"), User.is_active.is_(True))
)


def token_holder(session: Session, token_hash: str, now: datetime) -> Any | None:
    """(id, username, role, expires_at) of the active user holding a live token."""
    return session.connection().execute(
        _TOKEN_HOLDER, {"token_hash": token_hash, "now": now}).first()


def revoke(session: Session, token_hash: str) -> None:
    session.execute(update(AuthToken).where(AuthToken.token_hash == token_hash)
                    .values(revoked=True))


def count_failures(session: Session, username: str, since: datetime) -> int:
    """Failed attempts for this username since `since`."""
    return session.scalar(select(func.count(LoginAttempt.id)).where(
        LoginAttempt.username == username, LoginAttempt.at >= since,
        LoginAttempt.ok.is_(False))) or 0


def add(session: Session, obj: Any) -> None:
    session.add(obj)
    session.flush()
