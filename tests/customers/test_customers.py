"""Customers over the API: CRUD, paging, filters, search, validation, conflicts, audit."""

from typing import Any

import pytest

from bihuan.customers.models import Customer
from tests.audit.helpers import count, last_seq, only_event

URL = "/api/v1/customers"


def _new(**kw: Any) -> dict[str, Any]:
    return {"code": "C-1", "name": "深圳精工", "province": "广东", "city": "深圳", **kw}


@pytest.fixture
def agent(f):
    return f.user("agent")


def test_create_read_update_delete(client, f, db, agent):
    r = client.post(URL, headers=agent.headers, json=_new(
        tier="strategic", address="南山区科技园", contract_expires_on="2027-06-30",
        contacts=[{"name": "王经理", "phone": "0755 8888 9999", "is_primary": True},
                  {"name": "李工", "phone": "+86 138-1234-5678", "title": "设备科"}]))
    assert r.status_code == 201, r.text
    c = r.json()
    assert (c["code"], c["tier"], c["province"], c["contract_expires_on"]) == (
        "C-1", "strategic", "广东", "2027-06-30")
    assert c["service_level"] == "7×24,2小时响应,8小时修复"  # from the tier
    assert [(x["name"], x["phone"], x["is_primary"]) for x in c["contacts"]] == [
        ("王经理", "0755-88889999", True), ("李工", "13812345678", False)]
    url = f"{URL}/{c['id']}"
    assert client.get(url, headers=agent.headers).json() == c

    before = last_seq(db)
    r = client.patch(url, headers=agent.headers, json={
        "tier": "basic", "service_level": "5×8", "address": None,
        "contacts": [{"name": "赵主任", "phone": "020-12345678"}]})
    assert r.status_code == 200, r.text
    got = client.get(url, headers=agent.headers).json()
    assert got == r.json()
    assert (got["tier"], got["service_level"], got["address"]) == ("basic", "5×8", None)
    assert [(x["name"], x["phone"]) for x in got["contacts"]] == [("赵主任", "020-12345678")]
    e = only_event(db, before, action="update", entity_type="customer", entity_id=c["id"],
                   actor_id=agent.id)
    assert e.changes["tier"] == ["strategic", "basic"]
    assert e.changes["address"] == ["南山区科技园", None]
    assert [x["name"] for x in e.changes["contacts"][0]] == ["王经理", "李工"]
    assert e.changes["contacts"][1] == [{"name": "赵主任", "phone": "020-12345678",
                                         "title": None, "is_primary": False}]

    # deleting: an agent may not; a supervisor may, once; it is audited
    assert client.delete(url, headers=agent.headers).status_code == 403
    sup = f.user("supervisor")
    before = last_seq(db)
    assert client.delete(url, headers=sup.headers).status_code == 204
    only_event(db, before, action="delete", entity_type="customer", entity_id=c["id"],
               actor_id=sup.id)
    r = client.get(url, headers=agent.headers)
    assert (r.status_code, r.json()["code"]) == (404, "not_found")
    assert client.delete(url, headers=sup.headers).status_code == 404


def test_a_customer_with_devices_or_orders_cannot_be_deleted(client, f, db):
    sup = f.user("supervisor")
    f.user("admin")
    with_device, with_order = f.customer(), f.customer()
    f.device(with_device)
    f.order(customer_id=with_order)
    before = last_seq(db)
    for cid in (with_device, with_order):
        r = client.delete(f"{URL}/{cid}", headers=sup.headers)
        assert (r.status_code, r.json()["code"]) == (409, "customer_in_use")
        assert client.get(f"{URL}/{cid}", headers=sup.headers).status_code == 200
    assert last_seq(db) == before


def test_pages_are_disjoint_ordered_and_counted(client, f, agent):
    ids = [f.customer() for _ in range(7)]

    def page(limit: int, offset: int) -> tuple[list[int], int]:
        r = client.get(URL, params={"limit": limit, "offset": offset}, headers=agent.headers)
        assert r.status_code == 200, r.text
        body = r.json()
        assert (body["limit"], body["offset"]) == (limit, offset)
        return [c["id"] for c in body["items"]], body["total"]

    assert page(3, 0) == (ids[:3], 7)
    assert page(3, 3) == (ids[3:6], 7)
    assert page(3, 6) == (ids[6:], 7)
    assert page(3, 9) == ([], 7)
    assert page(200, 0) == (ids, 7)
    for bad in ({"limit": 0}, {"limit": 201}, {"offset": -1}, {"limit": "x"}):
        r = client.get(URL, params=bad, headers=agent.headers)
        assert (r.status_code, r.json()["code"]) == (422, "validation_error"), bad


def test_filter_by_tier_and_province(client, f, agent):
    gd_key = {f.customer(tier="key", province="广东") for _ in range(3)}
    gd_std = f.customer(tier="standard", province="广东")
    js_key = f.customer(tier="key", province="江苏")

    def ids(**params: Any) -> tuple[set[int], int]:
        body = client.get(URL, params=params, headers=agent.headers).json()
        return {c["id"] for c in body["items"]}, body["total"]

    assert ids(tier="key") == (gd_key | {js_key}, 4)
    assert ids(province="广东") == (gd_key | {gd_std}, 4)
    assert ids(tier="key", province="广东") == (gd_key, 3)
    assert ids(tier="strategic") == (set(), 0)
    sub, total = ids(tier="key", province="广东", limit=2, offset=2)
    assert len(sub) == 1 and sub < gd_key and total == 3
    r = client.get(URL, params={"tier": "gold"}, headers=agent.headers)
    assert (r.status_code, r.json()["code"]) == (422, "validation_error")


def test_search_by_name_code_or_contact_phone(client, f, agent):
    acme = f.customer(name="ACME Robotics 深圳", code="ACME-01",
                      contacts=[{"name": "王", "phone": "13812345678"}])
    other = f.customer(name="华强精密", code="HQ-02",
                       contacts=[{"name": "李", "phone": "0755-88889999"}])
    pct = f.customer(name="100% 精密", code="PCT-03", contacts=[])

    def ids(q: str) -> set[int]:
        r = client.get(URL, params={"q": q}, headers=agent.headers)
        assert r.status_code == 200, r.text
        assert r.json()["total"] == len(r.json()["items"])
        return {c["id"] for c in r.json()["items"]}

    assert ids("Robotics") == {acme}
    assert ids("acme robotics") == {acme}  # case-insensitive on every backend
    assert ids("精密") == {other, pct}
    assert ids("HQ-02") == {other}
    assert ids("HQ") == set()  # codes match exactly
    assert ids("13812345678") == {acme}
    assert ids("0755-88889999") == {other}
    assert ids("%") == {pct}  # a literal percent sign, not a wildcard
    assert ids("_") == set()
    assert ids("没有这个客户") == set()


def test_contact_phone_without_area_code_says_how_to_write_it(client, agent, db):
    body = _new(contacts=[{"name": "王经理", "phone": "88889999"}])
    r = client.post(URL, headers=agent.headers, json=body)
    assert r.status_code == 422
    err = r.json()
    assert err["code"] == "validation_error"
    assert "客户电话需含区号,示例:0755-88889999" in err["message"]
    assert err["details"] == [{
        "field": "contacts.0.phone", "code": "phone_area_code",
        "zh-CN": "contacts.0.phone:客户电话需含区号,示例:0755-88889999",
        "en": "contacts.0.phone: Include the area code, e.g. 0755-88889999"}]
    r = client.post(URL, headers={**agent.headers, "Accept-Language": "en"}, json=body)
    assert r.json()["message"] == "contacts.0.phone: Include the area code, e.g. 0755-88889999"
    assert r.json()["messages"]["zh-CN"] == err["message"]
    assert count(db, Customer) == 0 and last_seq(db) == 0


def test_validation_errors_name_the_field(client, agent, db):
    cases = [
        ({"name": "x"}, "code", "missing"),
        (_new(name="  "), "name", "string_too_short"),
        (_new(tier="gold"), "tier", "enum"),
        (_new(vip=True), "vip", "extra_forbidden"),
        (_new(contract_expires_on="30/06/2027"), "contract_expires_on",
         "date_from_datetime_parsing"),
        (_new(contacts=[{"name": "王", "phone": "1381234567"}]), "contacts.0.phone",
         "phone_mobile_length"),
        (_new(contacts=[{"name": "王", "phone": "0755-8888abcd"}]), "contacts.0.phone",
         "phone_chars"),
    ]
    for body, field, code in cases:
        r = client.post(URL, headers=agent.headers, json=body)
        assert r.status_code == 422, r.text
        err = r.json()
        assert err["code"] == "validation_error"
        assert (err["details"][0]["field"], err["details"][0]["code"]) == (field, code)
        assert err["message"].startswith(f"{field}:")
        assert set(err["messages"]) == {"zh-CN", "en"}
    assert count(db, Customer) == 0 and last_seq(db) == 0


def test_patch_cannot_null_a_required_field(client, f, agent, db):
    cid = f.customer(name="原名")
    before = last_seq(db)
    for field in ("name", "tier", "service_level", "province", "city"):
        r = client.patch(f"{URL}/{cid}", headers=agent.headers, json={field: None})
        assert r.status_code == 422, (field, r.text)
        assert r.json()["details"][0] == {
            "field": field, "code": "null_not_allowed",
            "zh-CN": f"{field}:不能为空(null);不修改请省略该字段",
            "en": f"{field}: may not be null; leave the field out to keep its value"}
    assert client.get(f"{URL}/{cid}", headers=agent.headers).json()["name"] == "原名"
    assert last_seq(db) == before


def test_duplicate_code_is_409(client, f, agent, db):
    f.customer(code="DUP-1")
    before = last_seq(db)
    r = client.post(URL, headers=agent.headers, json=_new(code="DUP-1"))
    assert r.status_code == 409
    assert r.json()["code"] == "customer_code_taken"
    assert r.json()["messages"] == {"zh-CN": "客户编码 DUP-1 已存在",
                                    "en": "Customer code DUP-1 already exists"}
    assert count(db, Customer) == 1 and last_seq(db) == before


def test_missing_or_impossible_ids(client, agent):
    for method, body in (("GET", None), ("PATCH", {"city": "x"})):
        r = client.request(method, f"{URL}/424242", headers=agent.headers, json=body)
        assert r.status_code == 404
        assert r.json() == {"code": "not_found", "message": "客户不存在",
                            "messages": {"zh-CN": "客户不存在", "en": "Customer not found"}}
    r = client.get(f"{URL}/424242", headers={**agent.headers, "Accept-Language": "en"})
    assert r.json()["message"] == "Customer not found"
    for bad in ("abc", "0", "2147483648", "99999999999999999999"):
        r = client.get(f"{URL}/{bad}", headers=agent.headers)
        assert (r.status_code, r.json()["code"]) == (422, "validation_error"), bad
