"""The QR page and the fault report: what a customer sees after scanning a device label,
and what a report leaves behind (an order, its files, its audit event), or does not."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from bihuan.attachments import storage
from bihuan.attachments.models import Attachment
from bihuan.devices.models import FaultPreset
from bihuan.kit.clock import utcnow
from bihuan.portal import texts
from bihuan.workorders.models import WorkOrder
from tests import media
from tests.portal.helpers import PHONE, P, counts, events, qr_token, report, scanned_device

GENERIC = ["no_power", "alarm", "precision", "noise", "leak", "other"]


def _presets(f, *rows: tuple[str | None, str | None, str]) -> None:
    with f.session() as s:
        s.add_all(FaultPreset(family=fam, model=model, code=code, label_zh=f"{code}中文",
                              label_en=f"{code} en", position=i)
                  for i, (fam, model, code) in enumerate(rows))


def _order_by_number(f, number: str) -> WorkOrder:
    with f.session() as s:
        o = s.scalar(select(WorkOrder).where(WorkOrder.number == number))
        s.expunge(o)
        return o


def _attachments(f, order_id: int) -> list[Attachment]:
    with f.session() as s:
        rows = list(s.scalars(select(Attachment).where(Attachment.work_order_id == order_id)
                              .order_by(Attachment.id)))
        s.expunge_all()
        return rows


# ---------------------------------------------------------------- the device page
def test_device_page_shows_the_device_its_warranty_and_the_generic_presets(client, f):
    until = utcnow().date() + timedelta(days=90)
    _, token = scanned_device(f, brand="华锐", model="HR-E3200", serial_no="HR-E3200-QR-0001",
                              warranty_until=until)
    r = client.get(f"{P}/devices/{token}")
    assert r.status_code == 200, r.text
    d = r.json()
    assert (d["brand"], d["model"], d["family"], d["serial"]) == (
        "华锐", "HR-E3200", "HR-E", "HR-E3200-QR-0001")
    assert (d["warranty_until"], d["in_warranty"]) == (until.isoformat(), True)
    assert [p["code"] for p in d["fault_presets"]] == GENERIC
    assert d["fault_presets"][0]["label"] == {"zh-CN": "无法开机", "en": "Will not power on"}
    assert d["open_orders"] == []


def test_device_page_says_out_of_warranty_once_it_has_expired(client, f):
    _, token = scanned_device(f, warranty_until=utcnow().date() - timedelta(days=1))
    assert client.get(f"{P}/devices/{token}").json()["in_warranty"] is False


def test_family_presets_replace_the_generic_ones_and_model_presets_beat_family(client, f):
    _presets(f, ("HR-E", None, "spindle"), ("HR-E", None, "coolant"), ("XK", None, "other_fam"))
    _, token = scanned_device(f, family="HR-E", model="HR-E3200")
    assert [p["code"] for p in client.get(f"{P}/devices/{token}").json()["fault_presets"]] == [
        "spindle", "coolant"]
    _presets(f, ("HR-E", "HR-E5000", "turret"))
    _, big = scanned_device(f, family="HR-E", model="HR-E5000")
    assert [p["code"] for p in client.get(f"{P}/devices/{big}").json()["fault_presets"]] == [
        "turret"]
    # a device of another family still gets the generic set
    _, other = scanned_device(f, family="VMC", model="VMC-850")
    assert [p["code"] for p in client.get(f"{P}/devices/{other}").json()["fault_presets"]] == (
        GENERIC)


def test_a_report_made_from_a_family_preset_uses_that_set(client, f):
    _presets(f, ("HR-E", None, "spindle"))
    _, token = scanned_device(f)
    assert report(client, token, fault_type="spindle").status_code == 201
    r = report(client, token, fault_type="noise")  # generic, but not offered for this family
    assert (r.status_code, r.json()["code"]) == (400, "fault_type_invalid")
    assert r.json()["details"]["allowed"] == ["spindle"]


def test_device_page_lists_the_reports_still_open(client, f):
    _, token = scanned_device(f)
    number = report(client, token).json()["number"]
    opened = client.get(f"{P}/devices/{token}").json()["open_orders"]
    assert [(o["number"], o["state"]) for o in opened] == [(number, "new")]
    assert opened[0]["state_label"]["zh-CN"]


def test_an_unknown_qr_token_is_404_and_reveals_nothing(client, f):
    scanned_device(f)
    r = client.get(f"{P}/devices/not-a-real-token")
    assert (r.status_code, r.json()["code"]) == (404, "device_not_found")
    assert set(r.json()) == {"code", "message", "messages"}
    r = report(client, "not-a-real-token")
    assert (r.status_code, r.json()["code"]) == (404, "device_not_found")


# ---------------------------------------------------------------- the report
def test_a_report_creates_a_repair_order_for_the_device_and_its_customer(client, f):
    device, token = scanned_device(f)
    before = counts(f)
    r = report(client, token, phone="+86 138-1234-5678", name="李经理", description="主轴有异响")
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["progress_url"] == f"/t/{out['tracking_code']}"
    o = _order_by_number(f, out["number"])
    assert (o.type, o.state, o.fault_type, o.tracking_code) == (
        "repair", "new", "noise", out["tracking_code"])
    assert (o.reporter_phone, o.reporter_name, o.description) == (PHONE, "李经理", "主轴有异响")
    assert o.device_id == device and o.customer_id is not None and o.reporter_id is None
    assert counts(f)["WorkOrder"] == before["WorkOrder"] + 1
    track = client.get(f"{P}/track/{out['tracking_code']}").json()
    assert (track["number"], track["state"]) == (out["number"], "new")


def test_the_report_is_audited_as_the_customer_with_a_masked_phone(client, f):
    _, token = scanned_device(f)
    o = _order_by_number(f, report(client, token).json()["number"])
    (create,) = events(f, o.id, "create")
    assert (create.actor_role, create.actor_id) == ("customer", None)
    assert create.actor_name == "customer:138****5678"
    assert PHONE not in create.actor_name


def test_customer_photos_and_a_short_video_attach_but_are_not_repair_evidence(client, f):
    _, token = scanned_device(f)
    r = report(client, token, files=[("a.jpg", media.jpeg(), "image/jpeg"),
                                     ("b.png", media.png(), "image/png"),
                                     ("clip.mp4", media.mp4(29), "video/mp4")])
    assert r.status_code == 201, r.text
    o = _order_by_number(f, r.json()["number"])
    files = _attachments(f, o.id)
    assert [(a.kind, a.content_type, a.source) for a in files] == [
        ("photo", "image/jpeg", "customer"), ("photo", "image/png", "customer"),
        ("video", "video/mp4", "customer")]
    assert files[2].duration_seconds == pytest.approx(29, abs=0.5)
    assert o.photo_refs == []


@pytest.mark.parametrize("upload, status, code", [
    (("long.mp4", media.mp4(42), "video/mp4"), 400, "video_too_long"),
    (("notes.jpg", b"just some text, not a photo\n" * 20, "image/jpeg"), 400,
     "file_type_not_allowed"),
], ids=["video_42s", "text_renamed_jpg"])
def test_a_bad_file_rejects_the_whole_report_and_creates_nothing(client, f, upload, status, code):
    _, token = scanned_device(f)
    before = counts(f)
    r = report(client, token, files=[("ok.png", media.png(), "image/png"), upload])
    assert (r.status_code, r.json()["code"]) == (status, code), r.text
    assert counts(f) == before


def test_a_file_over_the_size_limit_is_413_and_creates_nothing(client, f, monkeypatch):
    monkeypatch.setattr(storage, "MAX_BYTES", 1024)
    _, token = scanned_device(f)
    before = counts(f)
    r = report(client, token, files=[("big.png", media.png((400, 400), "white") + bytes(2048),
                                      "image/png")])
    assert (r.status_code, r.json()["code"]) == (413, "file_too_large")
    assert counts(f) == before


@pytest.mark.parametrize("phone", ["12345", "88889999", "phone-me"])
def test_a_bad_phone_is_refused_with_an_example_in_both_languages(client, f, phone):
    _, token = scanned_device(f)
    before = counts(f)
    r = report(client, token, phone=phone)
    assert 400 <= r.status_code < 500, r.text
    body = r.json()
    assert body["details"][0]["field"] == "phone"
    assert "示例" in body["messages"]["zh-CN"] and "e.g." in body["messages"]["en"]
    assert any(ex in body["messages"]["en"] for ex in ("13812345678", "0755-88889999"))
    assert counts(f) == before


def test_an_unknown_fault_type_is_refused(client, f):
    _, token = scanned_device(f)
    before = counts(f)
    r = report(client, token, fault_type="exploded")
    assert (r.status_code, r.json()["code"]) == (400, "fault_type_invalid")
    assert r.json()["details"]["allowed"] == sorted(
        ["no_power", "alarm", "precision", "noise", "leak", "other"])
    assert counts(f) == before


def test_a_report_without_a_phone_is_refused(client, f):
    _, token = scanned_device(f)
    before = counts(f)
    r = client.post(f"{P}/devices/{token}/reports", data={"fault_type": "noise"})
    assert 400 <= r.status_code < 500
    assert r.json()["details"][0]["field"] == "phone"
    assert counts(f) == before


def test_a_device_of_our_own_line_gets_a_maintenance_order(client, f):
    token = qr_token(f, f.device(None))
    r = report(client, token)
    assert r.status_code == 201, r.text
    o = _order_by_number(f, r.json()["number"])
    assert (o.type, o.customer_id) == ("maintenance", None)


# ---------------------------------------------------------------- how the engineer is named
@pytest.mark.parametrize("full, shown", [
    ("王伟", "王工"), ("欧阳娜娜", "欧阳工"), ("Wang Wei", "Wang"), ("", "工程师"),
    ("  李 ", "李工"),
])
def test_engineer_display_keeps_only_the_surname(full, shown):
    assert texts.engineer_display(full) == shown
