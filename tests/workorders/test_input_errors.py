"""Bad input to work-order routes is a 4xx with a code, never a 500."""

import pytest


class TestBadInput:
    @pytest.mark.parametrize("field", ["title", "priority", "photo_refs", "external_refs"])
    def test_null_on_a_required_field_is_422(self, client, f, field):
        oid = f.order(type="maintenance")
        r = client.patch(f"/api/v1/work-orders/{oid}", json={field: None},
                         headers=f.user("admin").headers)
        assert r.status_code == 422
        assert r.json()["details"][0]["code"] == "null_not_allowed"

    @pytest.mark.parametrize("path", [
        "/api/v1/work-orders/2147483648",
        "/api/v1/work-orders/0/events",
        "/api/v1/work-orders?customer_id=99999999999",
        "/api/v1/work-orders?assignee_id=-1",
    ])
    def test_ids_out_of_range_are_422(self, client, f, path):
        r = client.get(path, headers=f.user("admin").headers)
        assert r.status_code == 422 and r.json()["code"] == "validation_error"

    def test_huge_ids_in_a_body_are_422(self, client, f):
        r = client.post("/api/v1/work-orders", headers=f.user("admin").headers,
                        json={"type": "repair", "title": "x", "customer_id": 2**40})
        assert r.status_code == 422

    def test_title_search_ignores_case_on_every_backend(self, client, f):
        f.order(type="maintenance", title="Spindle NOISE")
        r = client.get("/api/v1/work-orders?q=noise", headers=f.user("admin").headers)
        assert r.json()["total"] == 1

    def test_unknown_field_is_named(self, client, f):
        oid = f.order(type="maintenance")
        r = client.patch(f"/api/v1/work-orders/{oid}", json={"state": "closed"},
                         headers=f.user("admin").headers)
        assert r.status_code == 422
        assert r.json()["details"][0]["field"] == "state"
