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
