"""The public pages' rate limits: 429 with Retry-After and code rate_limited, per device, per
IP, per order and for reads; a limit lifts again once its window has passed."""

from types import SimpleNamespace

from bihuan.portal import ratelimit
from tests.portal.helpers import P, awaiting, counts, report, scanned_device, signature

PROXY = {"trusted_proxies": ["testclient"]}  # TestClient's peer: X-Forwarded-For is believed


def _from(ip: str) -> dict[str, str]:
    return {"X-Forwarded-For": ip}


def _limited(r, retry_after: int | None = None) -> None:
    assert (r.status_code, r.json()["code"]) == (429, "rate_limited"), r.text
    secs = int(r.headers["Retry-After"])
    assert r.json()["details"]["retry_after"] == secs
    assert str(secs) in r.json()["messages"]["zh-CN"] and str(secs) in r.json()["messages"]["en"]
    if retry_after is not None:
        assert secs == retry_after
    assert 1 <= secs <= 3600


def test_reports_per_device_are_limited_per_hour_then_allowed_again(app_with, f, clock):
    c = app_with(portal_reports_per_device_hour=2, portal_reports_per_ip_hour=100, **PROXY)
    _, token = scanned_device(f)
    for ip in ("198.51.100.1", "198.51.100.2"):
        assert report(c, token, headers=_from(ip)).status_code == 201
    before = counts(f)
    clock.advance(minutes=20)
    _limited(report(c, token, headers=_from("198.51.100.3")), retry_after=40 * 60)
    assert counts(f) == before
    # another device is not affected
    _, other = scanned_device(f)
    assert report(c, other, headers=_from("198.51.100.3")).status_code == 201
    clock.advance(minutes=39, seconds=59)
    _limited(report(c, token), retry_after=1)
    clock.advance(seconds=1)
    assert report(c, token).status_code == 201


def test_reports_per_ip_are_limited_across_devices(app_with, f, clock):
    c = app_with(portal_reports_per_ip_hour=3, portal_reports_per_device_hour=100, **PROXY)
    tokens = [scanned_device(f)[1] for _ in range(4)]
    for token in tokens[:3]:
        assert report(c, token, headers=_from("203.0.113.7")).status_code == 201
    before = counts(f)
    _limited(report(c, tokens[3], headers=_from("203.0.113.7")), retry_after=3600)
    assert counts(f) == before
    assert report(c, tokens[3], headers=_from("203.0.113.8")).status_code == 201
    clock.advance(hours=1)
    assert report(c, tokens[3], headers=_from("203.0.113.7")).status_code == 201


def test_refused_reports_do_not_use_up_the_limit(app_with, f, clock):
    c = app_with(portal_reports_per_device_hour=1, **PROXY)
    _, token = scanned_device(f)
    for _ in range(3):
        assert report(c, token, fault_type="nonsense").status_code == 400
    assert report(c, token).status_code == 201


def test_reads_are_limited_per_ip_per_minute(app_with, f, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(monotonic=lambda: now[0]))
    c = app_with(portal_reads_per_ip_minute=3, **PROXY)
    _, token = scanned_device(f)
    code = f.tracking_code(f.order("in_progress"))
    for url in (f"{P}/devices/{token}", f"{P}/track/{code}", f"{P}/devices/unknown"):
        assert c.get(url, headers=_from("192.0.2.1")).status_code in (200, 404)
    now[0] += 15
    _limited(c.get(f"{P}/track/{code}", headers=_from("192.0.2.1")), retry_after=45)
    assert c.get(f"{P}/track/{code}", headers=_from("192.0.2.2")).status_code == 200
    now[0] += 45
    assert c.get(f"{P}/track/{code}", headers=_from("192.0.2.1")).status_code == 200


def test_signoffs_per_order_are_limited(app_with, f, clock):
    """Reject, fix, reject, fix, …: past the hourly limit the customer's page answers 429."""
    c = app_with(portal_signoffs_per_order_hour=2)
    eng = f.user("engineer")
    oid, code = awaiting(f)
    for _ in range(2):
        assert c.post(f"{P}/track/{code}/reject", json={"reason": "没修好"}).status_code == 200
        f.act(oid, "resolve", assignee=eng)
    before = counts(f)
    _limited(c.post(f"{P}/track/{code}/confirm", json=signature()[0]))
    assert counts(f) == before
    clock.advance(hours=1)
    assert c.post(f"{P}/track/{code}/confirm", json=signature()[0]).status_code == 200
