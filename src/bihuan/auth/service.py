"""Password login and bearer tokens (only a SHA-256 of the token is stored)."""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bihuan.audit import service as audit
from bihuan.auth.models import AuthToken
from bihuan.config import Settings
from bihuan.errors import DomainError
from bihuan.kit.clock import utcnow
from bihuan.kit.context import Actor, RequestContext
from bihuan.users import service as users
from bihuan.users.models import User


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, settings: Settings, user: User) -> str:
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(AuthToken(token_hash=_digest(token), user_id=user.id, created_at=now,
                          expires_at=now + timedelta(hours=settings.token_ttl_hours)))
    session.flush()
    return token


def login(session: Session, ctx: RequestContext, settings: Settings, username: str,
          password: str) -> tuple[str, User] | None:
    """Check the password; success and failure both go to the audit trail (None = failed)."""
    user = users.get_by_username(session, username)
    if user is not None:
        check_not_locked(session, settings, user.id)
    if user is None or not user.is_active or not users.verify_password(user.password_hash,
                                                                        password):
        fail = RequestContext(Actor(None, username[:64], "anonymous"), ctx.ip, ctx.user_agent)
        audit.record(session, fail, "auth:login_failed", "user", user.id if user else None, {})
        return None
    token = issue_token(session, settings, user)
    who = RequestContext(Actor(user.id, user.username, user.role), ctx.ip, ctx.user_agent)
    audit.record(session, who, "auth:login", "user", user.id, {})
    return token, user


def check_not_locked(session: Session, settings: Settings, user_id: int) -> None:
    """Too many failed logins in the window locks the account for a while (MLPS)."""
    window = timedelta(minutes=settings.login_lock_minutes)
    failures = audit.count_recent(session, "user", user_id, "auth:login_failed",
                                  utcnow() - window)
    if failures >= settings.login_max_failures:
        raise DomainError(
            f"登录失败次数过多,请 {settings.login_lock_minutes} 分钟后再试",
            f"Too many failed logins; try again in {settings.login_lock_minutes} minutes",
            code="login_locked", status_code=429,
            headers={"Retry-After": str(settings.login_lock_minutes * 60)})


def user_for_token(session: Session, token: str) -> User | None:
    """The active user holding this unexpired, unrevoked token (one query per request)."""
    return session.scalar(
        select(User).join(AuthToken, AuthToken.user_id == User.id).where(
            AuthToken.token_hash == _digest(token), AuthToken.revoked.is_(False),
            AuthToken.expires_at > utcnow(), User.is_active.is_(True))
    )


def revoke(session: Session, token: str) -> None:
    row = session.get(AuthToken, _digest(token))
    if row is not None:
        row.revoked = True
        session.flush()
