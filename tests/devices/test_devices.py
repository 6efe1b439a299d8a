"""Devices over the API: CRUD, paging, filters, search, QR tokens, conflicts, audit."""

import base64
import hashlib
import re
from datetime import timedelta
from typing import Any

import pytest

from bihuan.devices.models import Device
from bihuan.kit.clock import utcnow
from tests.audit.helpers import count, last_seq, only_event

URL = "/api/v1/devices"


def _new(**kw: Any) -> dict[str, Any]:
    return {"brand": "华锐", "family": "HR-E", "model": "HR-E3200", "serial_no": "SN-1", **kw}


@pytest.fixture
def agent(f):
    return f.user("agent")


def test_create_read_update_delete(client, f, db, agent):
    cust = f.customer()
    today = utcnow().date()  # the clock the API uses for under_warranty
    r = client.post(URL, headers=agent.headers, json=_new(
        customer_id=cust, location="1号车间", lat=22.54, lng=114.05, tag_id="NFC-9",
        installed_on="2024-03-01", warranty_until=(today + timedelta(days=400)).isoformat()))
    assert r.status_code == 201, r.text
    d = r.json()
    assert (d["customer_id"], d["serial_no"], d["tag_id"], d["under_warranty"]) == (
        cust, "SN-1", "NFC-9", True)
    url = f"{URL}/{d['id']}"
    assert client.get(url, headers=agent.headers).json() == d

    before = last_seq(db)
    r = client.patch(url, headers=agent.headers, json={
        "location": "2号车间", "warranty_until": (today - timedelta(days=2)).isoformat(),
        "customer_id": None, "tag_id": "NFC-9"})  # same tag: not a change, not a conflict
    assert r.status_code == 200, r.text
    got = client.get(url, headers=agent.headers).json()
    assert got == r.json()
    assert (got["location"], got["customer_id"], got["under_warranty"]) == ("2号车间", None, False)
    assert got["qr_token"] == d["qr_token"] and got["serial_no"] == "SN-1"
    e = only_event(db, before, action="update", entity_type="device", entity_id=d["id"],
                   actor_id=agent.id)
    assert e.changes == {"location": ["1号车间", "2号车间"], "customer_id": [cust, None],
                         "warranty_until": [d["warranty_until"], got["warranty_until"]]}

    # serial number and QR token are fixed
    for field in ("serial_no", "qr_token"):
        r = client.patch(url, headers=agent.headers, json={field: "X"})
        assert (r.status_code, r.json()["details"][0]["code"]) == (422, "extra_forbidden")

    assert client.delete(url, headers=agent.headers).status_code == 403
    sup = f.user("supervisor")
    before = last_seq(db)
    assert client.delete(url, headers=sup.headers).status_code == 204
    only_event(db, before, action="delete", entity_type="device", entity_id=d["id"])
    assert client.get(url, headers=agent.headers).status_code == 404


def test_a_device_with_orders_cannot_be_deleted(client, f, db):
    sup = f.user("supervisor")
    f.user("admin")
    did = f.device(f.customer())
    f.order(device_id=did)
    r = client.delete(f"{URL}/{did}", headers=sup.headers)
    assert (r.status_code, r.json()["code"]) == (409, "device_in_use")
    assert client.get(f"{URL}/{did}", headers=sup.headers).status_code == 200


def test_qr_tokens_are_unique_random_url_safe_and_say_nothing_about_the_device(client, f,
                                                                              agent):
    sup = f.user("supervisor")
    tokens, serials = [], []
    for i in range(24):
        serial = f"HR-E3200-2601-{i:04d}"
        r = client.post(URL, headers=agent.headers, json=_new(serial_no=serial))
        assert r.status_code == 201
        tokens.append(r.json()["qr_token"])
        serials.append(serial)
    assert len(set(tokens)) == len(tokens)
    for token, serial in zip(tokens, serials, strict=True):
        assert re.fullmatch(r"[A-Za-z0-9_-]+", token), token  # URL-safe, no padding
        assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) >= 16
        assert serial not in token and serial.split("-")[-1] not in token
        digest = hashlib.sha256(serial.encode()).digest()
        assert token not in (base64.urlsafe_b64encode(digest).decode().rstrip("="),
                             base64.urlsafe_b64encode(serial.encode()).decode().rstrip("="))
    # random, not sequential: no long shared prefixes between any two tokens
    assert max(len(_common_prefix(a, b)) for a in tokens for b in tokens if a != b) < 6
    # the same serial registered again (after deleting the first) gets a different token
    first = client.get(URL, params={"q": serials[0]}, headers=agent.headers).json()["items"][0]
    assert client.delete(f"{URL}/{first['id']}", headers=sup.headers).status_code == 204
    again = client.post(URL, headers=agent.headers, json=_new(serial_no=serials[0])).json()
    assert again["qr_token"] not in tokens


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def test_pages_and_filters(client, f, agent):
    c1, c2 = f.customer(), f.customer()
    e32 = [f.device(c1, family="HR-E", model="HR-E3200") for _ in range(3)]
    e50 = f.device(c1, family="HR-E", model="HR-E5000")
    x1 = f.device(c2, family="HR-X", model="HR-X100")
    own = f.device(None, family="HR-X", model="HR-X100")

    def ids(**params: Any) -> tuple[list[int], int]:
        r = client.get(URL, params=params, headers=agent.headers)
        assert r.status_code == 200, r.text
        return [d["id"] for d in r.json()["items"]], r.json()["total"]

    assert ids() == ([*e32, e50, x1, own], 6)
    assert ids(limit=2, offset=1) == (e32[1:3], 6)
    assert ids(limit=2, offset=6) == ([], 6)
    assert ids(customer_id=c1) == ([*e32, e50], 4)
    assert ids(customer_id=c1, limit=1, offset=3) == ([e50], 4)
    assert ids(family="HR-X") == ([x1, own], 2)
    assert ids(model="HR-E3200") == (e32, 3)
    assert ids(family="HR-E", model="HR-X100") == ([], 0)
    assert ids(customer_id=c2, family="HR-X") == ([x1], 1)
    for bad in ({"customer_id": "x"}, {"customer_id": 2**31}, {"limit": 500}):
        r = client.get(URL, params=bad, headers=agent.headers)
        assert (r.status_code, r.json()["code"]) == (422, "validation_error"), bad


def test_search_by_serial_tag_or_model(client, f, agent):
    a = f.device(model="HR-E3200", serial_no="HRE-2601-0001", tag_id="RFID-AA01")
    b = f.device(model="HR-E5000", serial_no="HRE-2601-0002")
    c = f.device(model="HR-X100", serial_no="HRX-2601-0001")

    def ids(q: str) -> list[int]:
        r = client.get(URL, params={"q": q}, headers=agent.headers)
        assert r.json()["total"] == len(r.json()["items"])
        return [d["id"] for d in r.json()["items"]]

    assert ids("HRE-2601-0002") == [b]  # serial
    assert ids("HRE-2601") == [a, b]  # serial prefix
    assert ids("hre-2601") == [a, b]  # case-insensitive on every backend
    assert ids("2601-0001") == []  # a prefix, not any substring
    assert ids("RFID-AA01") == [a]  # tag
    assert ids("X100") == [c]  # model substring
    assert ids("x100") == [c]
    assert ids("%") == [] and ids("HR_") == []  # wildcards are literal


def test_duplicate_serial_or_tag_is_409(client, f, agent, db):
    other = f.device(serial_no="DUP-SN", tag_id="DUP-TAG")
    mine = f.device(serial_no="MINE-SN")
    n, before = count(db, Device), last_seq(db)
    cases = [("POST", URL, _new(serial_no="DUP-SN"), "serial_taken"),
             ("POST", URL, _new(serial_no="NEW-SN", tag_id="DUP-TAG"), "tag_taken"),
             ("PATCH", f"{URL}/{mine}", {"tag_id": "DUP-TAG"}, "tag_taken")]
    for method, url, body, code in cases:
        r = client.request(method, url, headers=agent.headers, json=body)
        assert (r.status_code, r.json()["code"]) == (409, code), body
        assert set(r.json()["messages"]) == {"zh-CN", "en"}
    assert count(db, Device) == n and last_seq(db) == before
    assert client.get(f"{URL}/{other}", headers=agent.headers).json()["tag_id"] == "DUP-TAG"


def test_links_and_validation(client, f, agent, db):
    did = f.device()
    n, before = count(db, Device), last_seq(db)
    r = client.post(URL, headers=agent.headers, json=_new(serial_no="S2", customer_id=424242))
    assert (r.status_code, r.json()["code"]) == (400, "customer_not_found")
    r = client.patch(f"{URL}/{did}", headers=agent.headers, json={"customer_id": 424242})
    assert (r.status_code, r.json()["code"]) == (400, "customer_not_found")
    cases = [(_new(serial_no="S3", lat=91), "lat", "less_than_equal"),
             (_new(serial_no="S3", lng=-181), "lng", "greater_than_equal"),
             (_new(serial_no="S3", customer_id=2**31), "customer_id", "less_than_equal"),
             (_new(serial_no=" "), "serial_no", "string_too_short"),
             ({"brand": "华锐", "family": "HR-E", "serial_no": "S3"}, "model", "missing"),
             (_new(serial_no="S3", warranty_until="明年"), "warranty_until",
              "date_from_datetime_parsing")]
    for body, field, code in cases:
        r = client.post(URL, headers=agent.headers, json=body)
        assert r.status_code == 422, body
        assert r.json()["code"] == "validation_error"
        assert (r.json()["details"][0]["field"], r.json()["details"][0]["code"]) == (field, code)
    for field in ("brand", "family", "model"):
        r = client.patch(f"{URL}/{did}", headers=agent.headers, json={field: None})
        assert (r.status_code, r.json()["details"][0]["code"]) == (422, "null_not_allowed")
    assert count(db, Device) == n and last_seq(db) == before


def test_missing_or_impossible_ids(client, agent):
    for method, body in (("GET", None), ("PATCH", {"location": "x"})):
        r = client.request(method, f"{URL}/424242", headers=agent.headers, json=body)
        assert r.status_code == 404
        assert r.json()["code"] == "not_found"
        assert r.json()["messages"] == {"zh-CN": "设备不存在", "en": "Device not found"}
    for bad in ("abc", "0", "2147483648"):
        r = client.get(f"{URL}/{bad}", headers=agent.headers)
        assert (r.status_code, r.json()["code"]) == (422, "validation_error"), bad
