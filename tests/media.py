"""Small real files for upload tests: images from Pillow, MP4 headers with a chosen length."""

import io
import struct

from PIL import Image


def png(size: tuple[int, int] = (8, 8), color: str = "red") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


def jpeg(size: tuple[int, int] = (16, 16)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, "blue").save(buf, "JPEG")
    return buf.getvalue()


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4(seconds: float) -> bytes:
    """An MP4 container whose movie header says `seconds` long (what a phone records)."""
    timescale = 1000
    ftyp = _box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isomiso2mp41")
    mvhd = _box(b"mvhd", bytes(4) + struct.pack(">IIII", 0, 0, timescale, int(seconds * 1000))
                + struct.pack(">IH", 0x00010000, 0x0100) + bytes(10)
                + struct.pack(">9I", 0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000)
                + bytes(24) + struct.pack(">I", 2))
    return ftyp + _box(b"moov", mvhd) + _box(b"mdat", bytes(64))


def signature_png_data_url() -> str:
    import base64

    return "data:image/png;base64," + base64.b64encode(png((300, 120), "white")).decode()


STROKES = [{"penColor": "black", "points": [
    {"x": 10 + i, "y": 20 + (i % 7), "time": 1_700_000_000_000 + i * 16, "pressure": 0.5}
    for i in range(40)]}]
