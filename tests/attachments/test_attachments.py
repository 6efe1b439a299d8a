"""Staff attachments: upload repair evidence (checked by content, stored by hash), read it
back, and who may do either."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from bihuan.attachments import storage
from bihuan.attachments.models import Attachment
from bihuan.workorders.models import WorkOrder
from tests import media
from tests.audit.helpers import events_since, last_seq

WO = "/api/v1/work-orders"


def _upload(client, user, order_id: int, data: bytes, name: str = "p.png",
            ctype: str = "image/png"):
    return client.post(f"{WO}/{order_id}/attachments", headers=user.headers,
                       files={"file": (name, data, ctype)})


def _content(client, user, att_id: int):
    return client.get(f"/api/v1/attachments/{att_id}/content", headers=user.headers)


def _stored_files(data_dir: Path) -> list[Path]:
    root = data_dir / "files"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _rows(f, order_id: int) -> int:
    with f.session() as s:
        return s.scalar(select(func.count()).select_from(Attachment)
                        .where(Attachment.work_order_id == order_id)) or 0


@pytest.fixture
def eng(f):
    return f.user("engineer")


@pytest.fixture
def working(f, eng) -> int:
    """An order in progress, assigned to `eng`, without any photo yet."""
    return f.order("in_progress", assignee=eng)


def test_an_engineers_photo_becomes_repair_evidence_and_unblocks_resolve(client, f, eng,
                                                                         working):
    r = client.patch(f"{WO}/{working}", headers=eng.headers,
                     json={"repair_note": "更换主轴轴承,试机正常"})
    assert r.status_code == 200, r.text
    r = client.post(f"{WO}/{working}/transitions", headers=eng.headers, json={"action": "resolve"})
    assert (r.status_code, r.json()["code"]) == (409, "photo_required")

    data = media.png()
    r = _upload(client, eng, working, data, name="现场.png")
    assert r.status_code == 201, r.text
    att = r.json()
    assert (att["work_order_id"], att["kind"], att["source"], att["content_type"]) == (
        working, "photo", "staff", "image/png")
    assert (att["size"], att["original_name"]) == (len(data), "现场.png")
    assert att["url"] == f"/api/v1/attachments/{att['id']}/content"
    detail = client.get(f"{WO}/{working}", headers=eng.headers).json()
    assert detail["photo_refs"] == [f"attachment:{att['id']}"]
    r = client.post(f"{WO}/{working}/transitions", headers=eng.headers, json={"action": "resolve"})
    assert (r.status_code, r.json()["state"]) == (200, "awaiting_confirmation")


def test_the_upload_is_audited(client, f, db, eng, working):
    seq = last_seq(db)
    att = _upload(client, eng, working, media.png()).json()
    new = events_since(db, seq)
    assert [e.action for e in new] == ["attachment:add", "update"]
    assert all((e.actor_id, e.entity_id) == (eng.id, working) for e in new)
    assert new[0].changes["attachment"][1]["sha256"] == att["sha256"]
    assert new[1].changes["photo_refs"] == [[], [f"attachment:{att['id']}"]]


@pytest.mark.parametrize("data, name, claimed, detected", [
    (media.png(), "a.png", "image/png", "image/png"),
    (media.jpeg(), "b.png", "text/plain", "image/jpeg"),
], ids=["png", "jpeg_named_png"])
def test_content_is_served_back_with_the_type_its_bytes_have(client, f, eng, working, data,
                                                             name, claimed, detected):
    att = _upload(client, eng, working, data, name, claimed).json()
    assert att["content_type"] == detected
    for who in (eng, f.user("admin"), f.user("director")):
        r = _content(client, who, att["id"])
        assert r.status_code == 200, r.text
        assert (r.content, r.headers["content-type"]) == (data, detected)


def test_a_staff_video_is_kept_but_is_not_photo_evidence(client, f, eng, working):
    att = _upload(client, eng, working, media.mp4(12), "clip.mp4", "video/mp4").json()
    assert (att["kind"], att["content_type"]) == ("video", "video/mp4")
    assert att["duration_seconds"] == pytest.approx(12, abs=0.5)
    assert client.get(f"{WO}/{working}", headers=eng.headers).json()["photo_refs"] == []


@pytest.mark.parametrize("data, name, code", [
    (b"not an image at all\n" * 10, "fake.jpg", "file_type_not_allowed"),
    (media.mp4(42), "long.mp4", "video_too_long"),
    (b"", "empty.png", "file_empty"),
], ids=["text_as_jpg", "video_42s", "empty"])
def test_a_bad_upload_is_400_and_records_nothing(client, f, eng, working, data, name, code):
    r = _upload(client, eng, working, data, name)
    assert (r.status_code, r.json()["code"]) == (400, code)
    assert _rows(f, working) == 0
    assert client.get(f"{WO}/{working}", headers=eng.headers).json()["photo_refs"] == []


def test_an_upload_over_the_size_limit_is_413(client, f, eng, working, monkeypatch):
    monkeypatch.setattr(storage, "MAX_BYTES", 512)
    r = _upload(client, eng, working, media.png((200, 200), "white") + bytes(1024))
    assert (r.status_code, r.json()["code"]) == (413, "file_too_large")
    assert _rows(f, working) == 0


def test_another_engineer_gets_404_for_upload_and_content(client, f, eng, working):
    stranger = f.user("engineer", "stranger")
    att = _upload(client, eng, working, media.png()).json()
    r = _upload(client, stranger, working, media.png((4, 4)))
    assert (r.status_code, r.json()["code"]) == (404, "not_found")
    r = _content(client, stranger, att["id"])
    assert (r.status_code, r.json()["code"]) == (404, "not_found")
    assert _rows(f, working) == 1


def test_a_director_may_look_but_not_upload(client, f, working):
    r = _upload(client, f.user("director"), working, media.png())
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")
    assert _rows(f, working) == 0


def test_no_token_no_file(client, f, eng, working):
    att = _upload(client, eng, working, media.png()).json()
    assert client.get(f"/api/v1/attachments/{att['id']}/content").status_code == 401
    r = client.post(f"{WO}/{working}/attachments", files={"file": ("p.png", media.png())})
    assert r.status_code == 401


@pytest.mark.parametrize("state", ["closed", "cancelled"])
def test_a_closed_or_cancelled_order_takes_no_more_files(client, f, state):
    oid = f.order(state)
    with f.session() as s:
        refs = s.get(WorkOrder, oid).photo_refs
    r = _upload(client, f.user("admin"), oid, media.png())
    assert (r.status_code, r.json()["code"]) == (409, "order_locked")
    assert _rows(f, oid) == 0
    with f.session() as s:
        assert s.get(WorkOrder, oid).photo_refs == refs


def test_the_same_bytes_twice_make_two_rows_and_one_file(client, f, settings, eng, working):
    data = media.png((12, 12), "purple")
    a = _upload(client, eng, working, data, "one.png").json()
    b = _upload(client, eng, working, data, "two.png").json()
    assert a["id"] != b["id"] and a["sha256"] == b["sha256"]
    files = _stored_files(settings.data_dir)
    assert [p.name for p in files] == [a["sha256"]]
    assert files[0].read_bytes() == data
    assert _content(client, eng, b["id"]).content == data
    detail = client.get(f"{WO}/{working}", headers=eng.headers).json()
    assert detail["photo_refs"] == [f"attachment:{a['id']}", f"attachment:{b['id']}"]


def test_the_detail_lists_every_attachment(client, f, eng, working):
    ids = [_upload(client, eng, working, media.png((i + 2, i + 2))).json()["id"]
           for i in range(2)]
    ids.append(_upload(client, eng, working, media.mp4(5), "v.mp4").json()["id"])
    listed = client.get(f"{WO}/{working}", headers=eng.headers).json()["attachments"]
    assert [(a["id"], a["kind"]) for a in listed] == list(zip(ids, ["photo", "photo", "video"],
                                                              strict=True))
    assert all(a["url"] == f"/api/v1/attachments/{a['id']}/content" for a in listed)


def test_unknown_attachment_is_404(client, f):
    r = _content(client, f.user("admin"), 987654)
    assert (r.status_code, r.json()["code"]) == (404, "not_found")
