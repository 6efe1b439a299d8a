"""List totals: exact up to the cap, a flagged lower bound beyond it."""

import pytest

from bihuan.config import Settings


@pytest.fixture
def settings(db, tmp_path):  # a small cap, so a handful of orders crosses it
    return Settings(data_dir=tmp_path, list_count_cap=100,
                    database_url=db.engine.url.render_as_string(hide_password=False))


def _orders(f, n):
    for _ in range(n):
        f.order(type="maintenance")


class TestTotals:
    def test_exact_below_the_cap(self, client, f):
        _orders(f, 7)
        body = client.get("/api/v1/work-orders?limit=3", headers=f.user("admin").headers).json()
        assert (len(body["items"]), body["total"], body["total_exact"]) == (3, 7, True)

    def test_last_page_is_exact_without_counting(self, client, f):
        _orders(f, 7)
        body = client.get("/api/v1/work-orders?limit=5&offset=5",
                          headers=f.user("admin").headers).json()
        assert (len(body["items"]), body["total"], body["total_exact"]) == (2, 7, True)

    def test_lower_bound_past_the_cap(self, client, f, db):
        from sqlalchemy import insert

        from bihuan.kit.clock import utcnow
        from bihuan.workorders.models import WorkOrder

        now = utcnow()
        with db.session(write=True) as s:  # bulk rows: the cap is about counting, not audit
            s.execute(insert(WorkOrder), [
                {"number": f"WO-0001-{i:06d}", "type": "maintenance", "state": "new",
                 "title": "批量", "photo_refs": [], "created_at": now, "updated_at": now,
                 "version": 1} for i in range(150)])
            s.commit()
        headers = f.user("admin").headers
        body = client.get("/api/v1/work-orders?limit=10", headers=headers).json()
        assert (body["total"], body["total_exact"]) == (100, False)
        body = client.get("/api/v1/work-orders?limit=10&offset=130", headers=headers).json()
        assert (body["total"], body["total_exact"]) == (140, False)  # at least this many
        body = client.get("/api/v1/work-orders?limit=10&offset=145", headers=headers).json()
        assert (len(body["items"]), body["total"], body["total_exact"]) == (5, 150, True)
        body = client.get("/api/v1/work-orders?limit=10&state=dispatching",
                          headers=headers).json()
        assert (body["total"], body["total_exact"]) == (0, True)
