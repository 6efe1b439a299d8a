"""Every auth query."""

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bihuan.auth.models import AuthToken, LoginAttempt
from bihuan.users.models import User


def user_for_token_hash(session: Session, token_hash: str, now: datetime) -> User | None:
    return session.scalar(
        select(User).join(AuthToken, AuthToken.user_id == User.id).where(
            AuthToken.token_hash == token_hash, AuthToken.revoked.is_(False),
            AuthToken.expires_at > now, User.is_active.is_(True))
    )


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
