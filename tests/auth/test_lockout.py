"""Failed logins lock the account for a while (MLPS identification requirement)."""

from datetime import timedelta

from bihuan.kit.clock import set_clock, utcnow
from tests.factories import PASSWORD


def _login(client, username, password):
    return client.post("/api/v1/auth/login", json={"username": username, "password": password})


class TestLockout:
    def test_fifth_failure_locks_even_the_right_password(self, client, f):
        user = f.user("agent")
        for _ in range(5):
            assert _login(client, user.username, "wrong-password").status_code == 401
        r = _login(client, user.username, PASSWORD)
        assert r.status_code == 429
        assert r.json()["code"] == "login_locked"
        assert int(r.headers["retry-after"]) > 0

    def test_lock_expires_after_the_window(self, client, f):
        user = f.user("agent")
        for _ in range(5):
            _login(client, user.username, "wrong-password")
        later = utcnow() + timedelta(minutes=16)
        set_clock(lambda: later)
        assert _login(client, user.username, PASSWORD).status_code == 200

    def test_fewer_failures_do_not_lock(self, client, f):
        user = f.user("agent")
        for _ in range(4):
            _login(client, user.username, "wrong-password")
        assert _login(client, user.username, PASSWORD).status_code == 200

    def test_unknown_usernames_lock_like_known_ones(self, client):
        # otherwise the status code would tell which usernames exist
        for _ in range(5):
            assert _login(client, "nobody-here", "wrong-password").status_code == 401
        assert _login(client, "nobody-here", "wrong-password").status_code == 429

    def test_refused_attempts_are_audited(self, client, f, db):
        from sqlalchemy import select

        from bihuan.audit.models import AuditEvent

        user = f.user("agent")
        for _ in range(6):
            _login(client, user.username, "wrong-password")
        with db.session(write=False) as s:
            actions = list(s.scalars(select(AuditEvent.action).where(
                AuditEvent.actor_name == user.username.lower())))
        assert actions.count("auth:login_failed") == 5
        assert actions.count("auth:login_locked") == 1
