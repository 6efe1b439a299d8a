"""Sign-off from the progress page: the customer's signature closes the order (and the audit
chain vouches for it), a rejection sends it back; anything else changes nothing."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from bihuan.attachments.models import Attachment
from bihuan.audit import service as audit
from bihuan.workorders.models import Confirmation
from tests.portal.helpers import P, awaiting, counts, events, order_row, signature


def _confirm(client, code: str, body: dict | None = None, **kw):
    return client.post(f"{P}/track/{code}/confirm", json=body or signature()[0], **kw)


def _confirmation(f, order_id: int) -> tuple[Confirmation, Attachment]:
    with f.session() as s:
        conf = s.scalar(select(Confirmation).where(Confirmation.work_order_id == order_id,
                                                   Confirmation.kind == "customer"))
        att = s.get(Attachment, conf.signature_attachment_id)
        s.expunge_all()
        return conf, att


def _unchanged(f, order_id: int):
    """A snapshot to compare: row counts, and the order's state and version."""
    o = order_row(f, order_id)
    return counts(f), o.state, o.version


def test_a_signature_closes_the_order_and_is_kept_with_its_strokes(client, f, db):
    oid, code = awaiting(f, reporter_phone="13812345678")
    body, sha = signature()
    r = _confirm(client, code, body)
    assert r.status_code == 200, r.text
    page = r.json()
    assert (page["state"], page["can_confirm"]) == ("closed", False)
    assert page["confirmation"]["signed_by"] == "李经理"
    assert page["timeline"][-1]["label"]["zh-CN"] == "您已确认完工"
    o = order_row(f, oid)
    assert (o.state, o.closed_by_id) == ("closed", None)
    conf, att = _confirmation(f, oid)
    assert (conf.signed_by, conf.signature_strokes) == ("李经理", body["strokes"])
    assert (att.kind, att.source, att.content_type, att.sha256) == (
        "signature", "customer", "image/png", sha)
    (event,) = events(f, oid, "confirmation:customer")
    assert event.changes["confirmation"][1]["signature_sha256"] == att.sha256 == sha
    assert event.changes["confirmation"][1]["strokes_sha256"]
    (close,) = events(f, oid, "transition:close")
    assert (close.actor_role, close.actor_name) == ("customer", "customer:138****5678")
    with db.session(write=False) as s:
        assert audit.verify(s).ok


def test_the_confirmation_shows_on_the_progress_page_afterwards(client, f):
    _, code = awaiting(f)
    _confirm(client, code)
    page = client.get(f"{P}/track/{code}").json()
    assert page["confirmation"]["signed_by"] == "李经理"
    assert page["status_text"]["zh-CN"].startswith("已完成")


def test_confirming_an_order_that_is_not_awaiting_confirmation_is_409(client, f):
    oid = f.order("in_progress")
    code = f.tracking_code(oid)
    before = _unchanged(f, oid)
    r = _confirm(client, code)
    assert (r.status_code, r.json()["code"]) == (409, "not_awaiting_confirmation")
    assert r.json()["details"]["state"] == "in_progress"
    assert _unchanged(f, oid) == before


def test_a_second_confirmation_is_409(client, f):
    oid, code = awaiting(f)
    assert _confirm(client, code).status_code == 200
    before = _unchanged(f, oid)
    r = _confirm(client, code)
    assert (r.status_code, r.json()["code"]) == (409, "not_awaiting_confirmation")
    assert _unchanged(f, oid) == before


@pytest.mark.parametrize("png", [
    "", "data:image/png;base64,", "data:image/png;base64,not base64!!",
    "data:image/jpeg;base64,iVBORw0KGgo=", "data:image/png;base64,R0lGODlhAQABAAAAACw=",
], ids=["empty", "no_data", "not_base64", "jpeg_prefix", "gif_bytes"])
def test_an_invalid_signature_image_is_400_and_writes_nothing(client, f, png):
    oid, code = awaiting(f)
    before = _unchanged(f, oid)
    r = _confirm(client, code, {**signature()[0], "png": png})
    assert (r.status_code, r.json()["code"]) == (400, "signature_invalid")
    assert _unchanged(f, oid) == before


@pytest.mark.parametrize("strokes", [
    [{"points": [{"x": 1, "y": 1, "time": 1}]}],
    [{"points": []}, {"points": [{"x": 1, "y": 1, "time": 1}]}],
], ids=["one_point", "empty_stroke_and_one_point"])
def test_a_signature_with_fewer_than_two_points_is_empty(client, f, strokes):
    oid, code = awaiting(f)
    before = _unchanged(f, oid)
    r = _confirm(client, code, {**signature()[0], "strokes": strokes})
    assert (r.status_code, r.json()["code"]) == (400, "signature_empty")
    assert _unchanged(f, oid) == before


def test_strokes_without_points_are_invalid(client, f):
    oid, code = awaiting(f)
    before = _unchanged(f, oid)
    r = _confirm(client, code, {**signature()[0], "strokes": [{"penColor": "black"}]})
    assert (r.status_code, r.json()["code"]) == (400, "signature_invalid")
    assert _unchanged(f, oid) == before


def test_a_rejection_sends_the_order_back_with_the_customers_reason(client, f):
    oid, code = awaiting(f)
    r = client.post(f"{P}/track/{code}/reject", json={"reason": "  主轴还是有异响  "})
    assert r.status_code == 200, r.text
    page = r.json()
    assert (page["state"], page["can_confirm"], page["work_done"]) == ("in_progress", False, None)
    assert page["timeline"][-1]["label"]["zh-CN"] == "已退回重新维修"
    assert order_row(f, oid).state == "in_progress"
    (reopen,) = events(f, oid, "transition:reopen")
    assert "主轴还是有异响" in reopen.reason
    assert reopen.actor_role == "customer"


def test_a_rejection_needs_a_reason_and_an_order_awaiting_confirmation(client, f):
    oid, code = awaiting(f)
    before = _unchanged(f, oid)
    r = client.post(f"{P}/track/{code}/reject", json={"reason": "   "})
    assert 400 <= r.status_code < 500
    assert _unchanged(f, oid) == before
    other = f.order("assigned")
    r = client.post(f"{P}/track/{f.tracking_code(other)}/reject", json={"reason": "没修好"})
    assert (r.status_code, r.json()["code"]) == (409, "not_awaiting_confirmation")


def test_a_production_exception_cannot_be_signed_off_by_a_customer(client, f):
    oid = f.order("awaiting_confirmation", type="production_exception")
    code = f.tracking_code(oid)
    assert client.get(f"{P}/track/{code}").json()["can_confirm"] is False
    before = _unchanged(f, oid)
    r = _confirm(client, code)
    assert (r.status_code, r.json()["code"]) == (409, "not_awaiting_confirmation")
    r = client.post(f"{P}/track/{code}/reject", json={"reason": "没修好"})
    assert (r.status_code, r.json()["code"]) == (409, "not_awaiting_confirmation")
    assert _unchanged(f, oid) == before


def test_signing_on_the_engineers_logged_in_phone_still_acts_as_the_customer(client, f):
    """On site the customer signs on the engineer's phone: its bearer token is ignored, and the
    close is the customer's (an engineer may never close)."""
    eng = f.user("engineer")
    oid, code = awaiting(f)
    r = _confirm(client, code, headers={**eng.headers, "User-Agent": "BihuanApp/2.1"})
    assert r.status_code == 200, r.text
    (close,) = events(f, oid, "transition:close")
    assert (close.actor_role, close.actor_id) == ("customer", None)


def test_two_confirmations_at_once_close_the_order_exactly_once(client, f):
    oid, code = awaiting(f)
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: _confirm(client, code), range(2)))
    assert sorted(r.status_code for r in results) == [200, 409], [r.text for r in results]
    assert next(r for r in results if r.status_code == 409).json()["code"] in (
        "not_awaiting_confirmation", "state_conflict")
    with f.session() as s:
        assert len(s.scalars(select(Confirmation).where(
            Confirmation.work_order_id == oid)).all()) == 1
    assert len(events(f, oid, "transition:close")) == 1
