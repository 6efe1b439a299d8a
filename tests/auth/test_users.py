"""Staff-account administration: validation, conflicts and ids answer 4xx, never 500."""

import pytest

from bihuan.users.models import User
from tests.audit.helpers import count, fast_argon2, last_seq

URL = "/api/v1/users"
pytestmark = pytest.mark.usefixtures("fast_argon2")
_ = fast_argon2  # the fixture, imported


def test_user_admin_errors_are_4xx_and_write_nothing(client, f, db):
    admin, agent = f.user("admin"), f.user("agent")
    n, before = count(db, User), last_seq(db)
    body = {"username": agent.username.upper(), "display_name": "重名", "role": "agent",
            "password": "long-enough-1"}
    r = client.post(URL, headers=admin.headers, json=body)
    assert (r.status_code, r.json()["code"]) == (409, "username_taken")
    r = client.post(URL, headers=admin.headers,
                    json={**body, "username": "new.one", "supervisor_id": 424242})
    assert (r.status_code, r.json()["code"]) == (400, "supervisor_not_found")
    r = client.post(URL, headers=admin.headers, json={**body, "username": "n2", "role": "boss"})
    assert (r.status_code, r.json()["details"][0]["code"]) == (422, "enum")
    for field in ("display_name", "role", "is_active"):
        r = client.patch(f"{URL}/{agent.id}", headers=admin.headers, json={field: None})
        assert (r.status_code, r.json()["details"][0]["code"]) == (422, "null_not_allowed"), field
    r = client.patch(f"{URL}/{agent.id}", headers=admin.headers, json={"supervisor_id": 2**31})
    assert (r.status_code, r.json()["code"]) == (422, "validation_error")
    for method, body_ in (("GET", None), ("PATCH", {"title": "x"})):
        r = client.request(method, f"{URL}/424242", headers=admin.headers, json=body_)
        assert (r.status_code, r.json()["code"]) == (404, "not_found")
    for bad in ("0", "2147483648", "x"):
        r = client.get(f"{URL}/{bad}", headers=admin.headers)
        assert (r.status_code, r.json()["code"]) == (422, "validation_error"), bad
    assert count(db, User) == n and last_seq(db) == before
    # and the account still works
    assert client.get("/api/v1/auth/me", headers=agent.headers).json()["is_active"] is True
