"""The progress page behind the tracking code: plain words, the steps so far, "王工" and
never more of the engineer, the repair photos, and nothing of any other order."""

import pytest
from sqlalchemy import select

from bihuan.attachments.models import Attachment
from bihuan.workorders.models import WorkOrder
from tests import media
from tests.portal.helpers import (
    P,
    awaiting,
    report,
    resolve_with_photo,
    scanned_device,
    signature,
    wang,
)


def _track(client, code: str) -> dict:
    r = client.get(f"{P}/track/{code}")
    assert r.status_code == 200, r.text
    return r.json()


def _reported(client, f, **kw) -> tuple[int, str]:
    """An order the customer reported from the QR code (optionally with files)."""
    _, token = scanned_device(f)
    code = report(client, token, **kw).json()["tracking_code"]
    with f.session() as s:
        oid = s.scalar(select(WorkOrder.id).where(WorkOrder.tracking_code == code))
    return oid, code


EXPECT = {  # a phrase each state's text must carry, zh and en
    "new": ("收到", "have your report"), "dispatching": ("安排工程师", "finding an engineer"),
    "assigned": ("王工", "王工"), "in_progress": ("王工正在维修", "working on it"),
    "on_hold": ("暂停", "Paused"), "awaiting_confirmation": ("签字", "sign"),
    "closed": ("已完成", "Done"), "cancelled": ("取消", "cancelled"),
}


def test_every_state_reads_as_plain_words(client, f):
    eng = wang(f)
    seen = set()
    for state, (zh, en) in EXPECT.items():
        page = _track(client, f.tracking_code(f.order(state, assignee=eng)))
        text = page["status_text"]
        assert page["state"] == state
        assert zh in text["zh-CN"] and en in text["en"], (state, text)
        assert "_" not in text["en"] + text["zh-CN"], text  # never a raw state code
        seen.add(text["zh-CN"])
    assert len(seen) == len(EXPECT)


def test_the_timeline_follows_the_whole_path_in_order(client, f):
    eng = wang(f)
    oid, code = _reported(client, f)
    assert [s["label"]["zh-CN"] for s in _track(client, code)["timeline"]] == ["报修已提交"]
    for action in ("dispatch", "assign", "accept", "start"):
        f.act(oid, action, assignee=eng)
    resolve_with_photo(f, oid, eng)
    steps = _track(client, code)["timeline"]
    assert [s["label"]["zh-CN"] for s in steps] == [
        "报修已提交", "正在安排工程师", "已安排王工", "工程师已接单", "工程师开始维修",
        "维修完成,等待您确认"]
    assert [s["label"]["en"] for s in steps][:3] == [
        "Report received", "Finding an engineer", "王工 assigned"]
    times = [s["at"] for s in steps]
    assert times == sorted(times)


def test_the_engineer_is_only_ever_surname_plus_gong(client, f):
    eng = wang(f, display_name="王伟", phone="13900001111")
    oid, code = _reported(client, f)
    for action in ("dispatch", "assign", "accept", "start"):
        f.act(oid, action, assignee=eng)
    resolve_with_photo(f, oid, eng)
    r = client.get(f"{P}/track/{code}")
    page = r.json()
    assert page["engineer"] == {"display": "王工", "title": {"zh-CN": "工程师", "en": "Engineer"}}
    for secret in ("王伟", eng.username, "13900001111"):
        assert secret not in r.text, secret


def test_no_engineer_is_shown_before_one_is_assigned(client, f):
    _, code = _reported(client, f)
    page = _track(client, code)
    assert page["engineer"] is None and page["work_done"] is None and not page["can_confirm"]


def test_work_done_appears_only_when_awaiting_confirmation_with_staff_photos(client, f):
    eng = f.user("engineer")
    oid, code = _reported(client, f, files=[("mine.png", media.png(), "image/png")])
    for action in ("dispatch", "assign", "start"):
        f.act(oid, action, assignee=eng)
    page = _track(client, code)
    assert (page["state"], page["work_done"], page["can_confirm"]) == ("in_progress", None, False)
    photo = resolve_with_photo(f, oid, eng)
    page = _track(client, code)
    assert page["can_confirm"] is True
    assert page["work_done"] == {"repair_note": "更换主轴轴承,试机正常",
                                 "photos": [f"/api/v1/portal/track/{code}/files/{photo}"]}


def test_the_tracking_code_is_read_case_insensitively(client, f):
    _, code = _reported(client, f)
    assert _track(client, f"  {code.lower()} ")["state"] == "new"


def test_an_unknown_tracking_code_is_404(client, f):
    _reported(client, f)
    r = client.get(f"{P}/track/ZZZZZZZZZZ")
    assert (r.status_code, r.json()["code"]) == (404, "tracking_code_not_found")
    assert set(r.json()) == {"code", "message", "messages"}


def test_the_fault_and_device_are_shown_as_reported(client, f):
    _, token = scanned_device(f, model="HR-E3200", serial_no="HR-E3200-TRK-1")
    code = report(client, token, fault_type="leak").json()["tracking_code"]
    page = _track(client, code)
    assert page["device"] == {"brand": "华锐", "model": "HR-E3200", "serial": "HR-E3200-TRK-1"}
    assert page["fault_label"] == {"zh-CN": "漏油/漏液/漏气", "en": "Oil, coolant or air leak"}


# ---------------------------------------------------------------- the files route
def _customer_upload(f, order_id: int) -> int:
    with f.session() as s:
        return s.scalar(select(Attachment.id).where(Attachment.work_order_id == order_id,
                                                    Attachment.source == "customer"))


def test_a_staff_photo_of_this_order_is_served(client, f):
    data = media.png((10, 10), "green")
    oid = f.order("in_progress")
    photo = f.photo(oid, data)
    r = client.get(f"{P}/track/{f.tracking_code(oid)}/files/{photo}")
    assert r.status_code == 200
    assert (r.content, r.headers["content-type"]) == (data, "image/png")


def test_the_files_route_serves_nothing_but_this_orders_staff_photos(client, f):
    oid, code = _reported(client, f, files=[("mine.png", media.png(), "image/png")])
    own_upload = _customer_upload(f, oid)
    f.photo(oid)
    other = f.order("in_progress")
    others_photo = f.photo(other)
    for url in (f"{P}/track/{code}/files/{own_upload}",
                f"{P}/track/{code}/files/{others_photo}",
                f"{P}/track/{code}/files/999999"):
        r = client.get(url)
        assert (r.status_code, r.json()["code"]) == (404, "not_found"), url
    r = client.get(f"{P}/track/WRONGCODE2/files/{others_photo}")
    assert (r.status_code, r.json()["code"]) == (404, "tracking_code_not_found")
    # the other order's own code does serve it
    assert client.get(f"{P}/track/{f.tracking_code(other)}/files/{others_photo}").status_code == 200


def test_the_signature_is_not_served_as_a_photo(client, f):
    oid, code = awaiting(f)
    body, _ = signature()
    assert client.post(f"{P}/track/{code}/confirm", json=body).status_code == 200
    with f.session() as s:
        sig = s.scalar(select(Attachment.id).where(Attachment.work_order_id == oid,
                                                   Attachment.kind == "signature"))
    assert sig is not None
    assert client.get(f"{P}/track/{code}/files/{sig}").status_code == 404


@pytest.mark.parametrize("file_id", ["0", "abc", str(2**40)])
def test_a_malformed_file_id_is_a_client_error(client, f, file_id):
    oid = f.order("in_progress")
    r = client.get(f"{P}/track/{f.tracking_code(oid)}/files/{file_id}")
    assert 400 <= r.status_code < 500
