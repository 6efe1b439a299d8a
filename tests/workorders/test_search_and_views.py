"""Finding orders: `q` over number, tracking code, title, phone, customer and device serial;
the names a list row carries; saved views (own, shared with a role, others' hidden)."""

from typing import Any

import pytest

from bihuan.workorders.models import WorkOrder

WO = "/api/v1/work-orders"
VIEWS = "/api/v1/saved-views"


def _find(client, user, q: str, **params: Any) -> list[dict[str, Any]]:
    r = client.get(WO, headers=user.headers, params={"q": q, "limit": 100, **params})
    assert r.status_code == 200, r.text
    return r.json()["items"]


def _ids(items: list[dict[str, Any]]) -> set[int]:
    return {i["id"] for i in items}


@pytest.fixture
def world(f):
    """Two customers with a device each and an order on each, plus an unrelated order."""
    eng = f.user("engineer", "张强")
    hq = f.customer(name="深圳华强精密制造有限公司")
    ht = f.customer(name="苏州恒通机械")
    d1 = f.device(hq, model="ZX-5100", serial_no="ZX5100-A-000731")
    d2 = f.device(ht, model="HR-E3200", serial_no="HR-E3200-B-000102")
    a = f.order("assigned", assignee=eng, device_id=d1, title="主轴异响",
                reporter_phone="13812345678", reporter_name="李经理")
    b = f.order("new", device_id=d2, title="冷却液泄漏", reporter_phone="0755-88889999")
    c = f.order("new", title="年度保养", type="maintenance")
    with f.session() as s:
        num = {o.id: (o.number, o.tracking_code) for o in
               s.query(WorkOrder).filter(WorkOrder.id.in_([a, b, c]))}
    return {"a": a, "b": b, "c": c, "eng": eng, "num": num, "d1": d1}


@pytest.fixture
def agent(f):
    return f.user("agent")


def test_q_finds_an_order_by_its_full_number_in_any_case(client, world, agent):
    number = world["num"][world["a"]][0]
    assert _ids(_find(client, agent, number)) == {world["a"]}
    assert _ids(_find(client, agent, number.lower())) == {world["a"]}


def test_q_matches_numbers_by_prefix(client, world, agent):
    number = world["num"][world["a"]][0]  # WO-YYMM-NNNNNN
    assert _ids(_find(client, agent, number[:8])) >= {world["a"], world["b"], world["c"]}
    assert _find(client, agent, "WO-0001-") == []


def test_q_finds_an_order_by_its_tracking_code(client, world, agent):
    code = world["num"][world["b"]][1]
    assert _ids(_find(client, agent, code)) == {world["b"]}
    assert _ids(_find(client, agent, code.lower())) == {world["b"]}


@pytest.mark.parametrize("q, key", [
    ("华强", "a"), ("恒通机械", "b"), ("泄漏", "b"), ("13812345678", "a"), ("0755-88889999", "b"),
    ("ZX5100", "a"), ("zx5100-a", "a"), ("HR-E3200-B", "b"),
], ids=["customer_fragment", "customer_tail", "title", "mobile", "landline", "serial_prefix",
        "serial_prefix_lowercase", "serial_longer_prefix"])
def test_q_finds_by_customer_title_phone_and_device_serial(client, world, agent, q, key):
    assert _ids(_find(client, agent, q)) == {world[key]}


def test_q_on_a_serial_matches_only_from_its_start(client, world, agent):
    assert _find(client, agent, "000731") == []


def test_q_treats_like_wildcards_literally(client, world, agent):
    assert _find(client, agent, "%") == [] and _find(client, agent, "_") == []


def test_q_finds_a_serial_stored_in_lower_case_on_every_backend(client, f, agent):
    """Serials are stored as entered. Work-order search upper-cases the query and uses a
    case-sensitive LIKE: on PostgreSQL a lower-case serial is never found (SQLite's LIKE
    ignores ASCII case, so it passes there). The device list's own search uses istartswith."""
    dev = f.device(f.customer(), serial_no="sn-lx200-0042")
    oid = f.order("new", device_id=dev)
    assert _ids(_find(client, agent, "sn-lx200")) == {oid}


def test_list_rows_carry_customer_assignee_and_device_names(client, world, agent):
    rows = {i["id"]: i for i in client.get(WO, headers=agent.headers,
                                            params={"limit": 100}).json()["items"]}
    a, b, c = rows[world["a"]], rows[world["b"]], rows[world["c"]]
    assert (a["customer_name"], a["assignee_name"], a["device_model"], a["device_serial"]) == (
        "深圳华强精密制造有限公司", "张强", "ZX-5100", "ZX5100-A-000731")
    assert (b["customer_name"], b["assignee_name"], b["device_serial"]) == (
        "苏州恒通机械", None, "HR-E3200-B-000102")
    assert (c["customer_name"], c["assignee_name"], c["device_model"]) == (None, None, None)


def test_the_detail_carries_the_same_names(client, world, agent):
    d = client.get(f"{WO}/{world['a']}", headers=agent.headers).json()
    assert (d["customer_name"], d["assignee_name"], d["device_model"], d["device_serial"]) == (
        "深圳华强精密制造有限公司", "张强", "ZX-5100", "ZX5100-A-000731")
    assert d["attachments"] == []


def test_an_engineers_search_still_returns_only_his_orders(client, f, world):
    other = f.user("engineer", "李明")
    mine = f.order("assigned", assignee=other, device_id=world["d1"], title="主轴异响")
    assert _ids(_find(client, other, "主轴")) == {mine}
    assert _ids(_find(client, other, "华强")) == {mine}
    assert _find(client, other, world["num"][world["a"]][0]) == []
    assert _find(client, other, world["num"][world["b"]][1]) == []
    assert _ids(_find(client, world["eng"], "华强")) == {world["a"]}
    # asking for someone else's orders does not widen the view
    assert _find(client, other, "主轴", assignee_id=world["eng"].id) == []


def test_q_combines_with_the_other_filters(client, world, agent):
    assert _ids(_find(client, agent, "WO-", state="assigned")) == {world["a"]}
    assert _ids(_find(client, agent, "WO-", type="maintenance")) == {world["c"]}


# ---------------------------------------------------------------- saved views
def _view(client, user, name: str, filters: dict[str, Any] | None = None, shared: bool = False):
    return client.post(VIEWS, headers=user.headers, json={
        "name": name, "filters": filters if filters is not None else {"state": ["new"]},
        "shared_with_role": shared})


def _names(client, user) -> set[str]:
    r = client.get(VIEWS, headers=user.headers)
    assert r.status_code == 200, r.text
    return {v["name"] for v in r.json()}


def test_a_view_is_saved_with_its_filters(client, f, agent):
    r = _view(client, agent, "  我的待派单  ", {"state": ["new", "dispatching"], "q": "华强"})
    assert r.status_code == 201, r.text
    v = r.json()
    assert (v["name"], v["filters"], v["owner_id"], v["role"]) == (
        "我的待派单", {"state": ["new", "dispatching"], "q": "华强"}, agent.id, None)
    shared = _view(client, agent, "全组紧急", shared=True).json()
    assert shared["role"] == "agent"


def test_views_list_own_and_role_shared_but_not_others_private_ones(client, f, agent):
    colleague = f.user("agent", "agent2")
    dispatcher = f.user("dispatcher")
    _view(client, agent, "A-private")
    _view(client, agent, "A-shared", shared=True)
    _view(client, colleague, "C-private")
    _view(client, dispatcher, "D-private")
    _view(client, dispatcher, "D-shared", shared=True)
    assert _names(client, agent) == {"A-private", "A-shared"}
    assert _names(client, colleague) == {"A-shared", "C-private"}
    assert _names(client, dispatcher) == {"D-private", "D-shared"}
    assert _names(client, f.user("supervisor")) == set()


def test_an_unknown_filter_key_is_refused(client, f, agent):
    r = _view(client, agent, "bad", {"state": ["new"], "colour": "red"})
    assert (r.status_code, r.json()["code"]) == (400, "view_filter_unknown")
    assert "colour" in r.json()["messages"]["en"]
    assert "state" in r.json()["details"]["allowed"]
    assert _names(client, agent) == set()


def test_only_the_owner_deletes_a_view(client, f, agent):
    colleague = f.user("agent", "agent2")
    view = _view(client, agent, "A-shared", shared=True).json()
    r = client.delete(f"{VIEWS}/{view['id']}", headers=colleague.headers)
    assert (r.status_code, r.json()["code"]) == (404, "not_found")
    assert "A-shared" in _names(client, colleague)
    r = client.delete(f"{VIEWS}/{view['id']}", headers=agent.headers)
    assert r.status_code == 204
    assert _names(client, agent) == set() and _names(client, colleague) == set()
    assert client.delete(f"{VIEWS}/{view['id']}", headers=agent.headers).status_code == 404


def test_views_need_a_login(client):
    assert client.get(VIEWS).status_code == 401
