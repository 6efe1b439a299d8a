"""Printable QR label sheets: a real PDF (3 × 8 labels per A4 page, font embedded), each QR
pointing at <base>/r/<qr_token>; bad id lists are refused with a code, never a 500."""

import re
import zlib

import pytest
import segno

from bihuan.devices import labels
from bihuan.devices.models import Device

URL = "/api/v1/devices/labels.pdf"


def _pdf_text(pdf: bytes) -> bytes:
    """The PDF's bytes with every Flate stream inflated: WeasyPrint packs its objects (pages,
    font descriptors) into compressed object streams, so the raw file does not show them."""
    parts = [pdf]
    for m in re.finditer(rb"stream\r?\n", pdf):
        try:
            parts.append(zlib.decompressobj().decompress(pdf[m.end():]))
        except zlib.error:
            pass
    return b"\n".join(parts)


def _pages(pdf: bytes) -> int:
    try:
        import pypdf
    except ImportError:
        return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", _pdf_text(pdf)))
    import io

    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _labels(client, user, ids: str):
    return client.get(URL, headers=user.headers, params={"ids": ids})


@pytest.fixture
def agent(f):
    return f.user("agent")


def _devices(f, n: int) -> list[int]:
    cust = f.customer()
    return [f.device(cust) for _ in range(n)]


def test_one_label_is_a_one_page_pdf_with_an_embedded_font(client, f, agent):
    (d,) = _devices(f, 1)
    r = _labels(client, agent, str(d))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    assert "device-labels.pdf" in r.headers["content-disposition"]
    assert r.content.startswith(b"%PDF")
    assert _pages(r.content) == 1
    assert b"/FontFile" in _pdf_text(r.content)


@pytest.mark.parametrize("n, pages", [(24, 1), (25, 2)])
def test_twenty_four_labels_fill_one_sheet(client, f, agent, n, pages):
    ids = _devices(f, n)
    r = _labels(client, agent, ",".join(map(str, ids)))
    assert r.status_code == 200, r.text
    assert _pages(r.content) == pages


def test_qr_url_points_at_the_devices_report_page():
    d = Device(qr_token="AbC-123_xyz")
    assert labels.qr_url("https://svc.example.cn/", d) == "https://svc.example.cn/r/AbC-123_xyz"
    assert labels.qr_url("https://svc.example.cn", d) == "https://svc.example.cn/r/AbC-123_xyz"


def test_each_label_encodes_the_public_url_of_its_device(client, f, agent, settings,
                                                         monkeypatch):
    encoded: list[str] = []
    real = segno.make

    def spy(content, *a, **kw):  # type: ignore[no-untyped-def]
        encoded.append(content)
        return real(content, *a, **kw)

    monkeypatch.setattr(labels.segno, "make", spy)
    monkeypatch.setattr(settings, "public_base_url", "https://bihuan.example.cn/")
    ids = _devices(f, 2)
    assert _labels(client, agent, f"{ids[1]},{ids[0]},{ids[1]}").status_code == 200
    with f.session() as s:
        tokens = [s.get(Device, i).qr_token for i in ids]
    assert encoded == [f"https://bihuan.example.cn/r/{t}" for t in tokens]


def test_without_a_public_base_the_request_address_is_used(client, f, agent, monkeypatch):
    seen: list[str] = []
    real = segno.make
    monkeypatch.setattr(labels.segno, "make", lambda c, *a, **kw: seen.append(c) or real(c))
    (d,) = _devices(f, 1)
    assert _labels(client, agent, str(d)).status_code == 200
    with f.session() as s:
        token = s.get(Device, d).qr_token
    assert seen == [f"http://testserver/r/{token}"]


def test_unknown_ids_are_named(client, f, agent):
    (d,) = _devices(f, 1)
    r = _labels(client, agent, f"{d},999998,999999")
    assert (r.status_code, r.json()["code"]) == (400, "device_not_found")
    assert r.json()["details"]["missing"] == [999998, 999999]
    assert "999998" in r.json()["messages"]["en"]


def test_more_than_240_labels_are_refused(client, f, agent):
    r = _labels(client, agent, ",".join(str(i) for i in range(1, 242)))
    assert (r.status_code, r.json()["code"]) == (400, "too_many_labels")


@pytest.mark.parametrize("ids", [
    "", "abc", "1,,2", "1,", ",1", "1;2", "-1", "1 2", "0", "2147483648", "99999999999999999999",
])
def test_malformed_ids_are_a_client_error(client, f, agent, ids):
    r = _labels(client, agent, ids)
    assert 400 <= r.status_code < 500, (r.status_code, r.text)
    assert r.json()["code"] != "internal_error"


def test_labels_are_for_the_desk_not_engineers(client, f):
    (d,) = _devices(f, 1)
    r = _labels(client, f.user("engineer"), str(d))
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")
    assert client.get(URL, params={"ids": str(d)}).status_code == 401
