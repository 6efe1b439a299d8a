"""Bearer tokens: the per-process cache never outlives a logout or an account change."""


class TestTokenCache:
    def test_deactivating_a_user_stops_his_token_at_once(self, client, f):
        agent, admin = f.user("agent"), f.user("admin")
        assert client.get("/api/v1/auth/me", headers=agent.headers).status_code == 200
        r = client.patch(f"/api/v1/users/{agent.id}", json={"is_active": False},
                         headers=admin.headers)
        assert r.status_code == 200
        r = client.get("/api/v1/auth/me", headers=agent.headers)
        assert r.status_code == 401 and r.json()["code"] == "token_invalid"

    def test_a_role_change_applies_to_the_next_request(self, client, f):
        agent, admin = f.user("agent"), f.user("admin")
        assert client.get("/api/v1/users", headers=agent.headers).status_code == 403
        client.patch(f"/api/v1/users/{agent.id}", json={"role": "admin"}, headers=admin.headers)
        assert client.get("/api/v1/users", headers=agent.headers).status_code == 200

    def test_logout_ends_a_cached_token(self, client, f):
        agent = f.user("agent")
        assert client.get("/api/v1/auth/me", headers=agent.headers).status_code == 200
        assert client.post("/api/v1/auth/logout", headers=agent.headers).status_code == 204
        assert client.get("/api/v1/auth/me", headers=agent.headers).status_code == 401
