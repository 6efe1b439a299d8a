"""Password login and bearer tokens (only a SHA-256 of the token is stored)."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from bihuan.audit import service as audit
from bihuan.auth import repository
from bihuan.auth.models import AuthToken, LoginAttempt
from bihuan.config import Settings
from bihuan.errors import DomainError, Unauthorized
from bihuan.kit import tokencache
from bihuan.kit.clock import utcnow
from bihuan.kit.context import Actor, RequestContext
from bihuan.users import service as users
from bihuan.users.models import User


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, settings: Settings, user: User) -> str:
    token = secrets.token_urlsafe(32)
    now = utcnow()
    repository.add(session, AuthToken(
        token_hash=_digest(token), user_id=user.id, created_at=now,
        expires_at=now + timedelta(hours=settings.token_ttl_hours)))
    return token


# verifying against this keeps an unknown username as slow as a wrong password
_DUMMY_HASH = users.hash_password(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class LoginCheck:
    """What a login needs from the database before the (slow, threaded) password check."""

    key: str
    user_id: int | None
    password_hash: str
    locked: bool


def begin_login(session: Session, settings: Settings, username: str) -> LoginCheck:
    """Read-only first half of a login: the account and whether it is locked."""
    key = username.strip().lower()[:64]
    user = users.get_by_username(session, key)
    window = timedelta(minutes=settings.login_lock_minutes)
    locked = (repository.count_failures(session, key, utcnow() - window)
              >= settings.login_max_failures)
    usable = user is not None and user.is_active
    return LoginCheck(key, user.id if user else None,
                      user.password_hash if usable and user else _DUMMY_HASH, locked)


def password_matches(check: LoginCheck, password: str) -> bool:
    """argon2: tens of milliseconds of CPU by design; run it off the event loop."""
    return not check.locked and users.verify_password(check.password_hash, password)


def finish_login(session: Session, ctx: RequestContext, settings: Settings, check: LoginCheck,
                 ok: bool) -> tuple[str, User] | DomainError:
    """Second half: record the attempt and issue a token. Every outcome is audited, so
    failures are returned, not raised: the caller must still commit."""
    fail = RequestContext(Actor(None, check.key, "anonymous"), ctx.ip, ctx.user_agent)
    if check.locked:
        audit.record(session, fail, "auth:login_locked", "user", check.user_id, {})
        return DomainError(
            f"登录失败次数过多,请 {settings.login_lock_minutes} 分钟后再试",
            f"Too many failed logins; try again in {settings.login_lock_minutes} minutes",
            code="login_locked", status_code=429,
            headers={"Retry-After": str(settings.login_lock_minutes * 60)})
    user = users.get_user(session, check.user_id) if check.user_id is not None else None
    ok = ok and user is not None and user.is_active
    repository.add(session, LoginAttempt(username=check.key, at=utcnow(), ip=ctx.ip, ok=ok))
    if not ok or user is None:
        audit.record(session, fail, "auth:login_failed", "user", check.user_id, {})
        return Unauthorized("用户名或密码错误", "Wrong username or password",
                            code="invalid_credentials")
    token = issue_token(session, settings, user)
    who = RequestContext(Actor(user.id, user.username, user.role), ctx.ip, ctx.user_agent)
    audit.record(session, who, "auth:login", "user", user.id, {})
    return token, user


def cached_actor(token: str) -> Actor | None:
    """The token's holder if this process checked it a moment ago (no database read)."""
    return tokencache.get(_digest(token), utcnow())


def actor_for_token(session: Session, token: str) -> Actor | None:
    """Who holds this unexpired, unrevoked token (cached for a few seconds per process)."""
    digest, now = _digest(token), utcnow()
    actor = tokencache.get(digest, now)
    if actor is None:
        row = repository.token_holder(session, digest, now)
        if row is None:
            return None
        actor = Actor(row.id, row.username, row.role)
        tokencache.put(digest, actor, row.expires_at)
    return actor


def revoke(session: Session, token: str) -> None:
    repository.revoke(session, _digest(token))
    tokencache.drop(_digest(token))
