"""A printable A4 sheet of QR labels: model, serial, and the QR that opens /r/<token>.

WeasyPrint lays the sheet out from HTML and embeds the font subset it used (Noto Sans CJK
from the system), so the Chinese text prints the same on any viewer. segno draws the QR
as SVG, which stays sharp at any printer resolution."""

from html import escape

import segno

from bihuan.devices.models import Device

# 3 × 8 labels of 70 × 37 mm: the common A4 label sheet (e.g. Avery 3474 layout)
_CSS = """
@page { size: A4; margin: 0; }
body { margin: 0; font-family: 'Noto Sans CJK SC', 'Noto Sans SC', 'WenQuanYi Zen Hei', sans-serif; }
.sheet { display: flex; flex-wrap: wrap; width: 210mm; }
.label { box-sizing: border-box; width: 70mm; height: 37.125mm; padding: 3mm;
         display: flex; align-items: center; gap: 2.5mm; overflow: hidden;
         break-inside: avoid; }
.qr { width: 31mm; height: 31mm; flex: none; }
.qr svg { width: 31mm; height: 31mm; }
.text { font-size: 8.5pt; line-height: 1.35; min-width: 0; }
.brand { font-weight: 700; font-size: 9.5pt; }
.serial { font-family: 'DejaVu Sans Mono', monospace; font-size: 8pt; word-break: break-all; }
.cta { margin-top: 1.5mm; font-size: 8pt; color: #333; }
"""


def qr_url(base_url: str, device: Device) -> str:
    return f"{base_url.rstrip('/')}/r/{device.qr_token}"


def _label(base_url: str, d: Device) -> str:
    svg = segno.make(qr_url(base_url, d), error="m").svg_inline(scale=4, border=1)
    return (f'<div class="label"><div class="qr">{svg}</div><div class="text">'
            f'<div class="brand">{escape(d.brand)}</div>'
            f'<div>型号 Model: {escape(d.model)}</div>'
            f'<div class="serial">S/N: {escape(d.serial_no)}</div>'
            f'<div class="cta">扫码报修 · Scan to report a fault</div></div></div>')


def labels_pdf(base_url: str, devices: list[Device]) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango costs ~0.3 s at start-up

    body = "".join(_label(base_url, d) for d in devices)
    html = (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            f'<style>{_CSS}</style></head><body><div class="sheet">{body}</div></body></html>')
    return HTML(string=html).write_pdf()
