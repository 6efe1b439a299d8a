"""Page-load benchmark for the customer's phone pages, on a mid-range phone profile.

    bench/web.py              # 7 runs per page, writes the web section of bench/RESULTS.md
    bench/web.py --runs 15

Starts `bihuan demo` on a free loopback port, then loads the QR intake page (/r/<token>) and
the progress page (/t/<code>) in Debian's Chromium with Lighthouse's mobile profile: CPU
slowed 4× and the network held to 150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up, with an empty
cache each run. "Interactive" is the moment the form can be used: the fault-type chips and
the submit button are on screen with the device's data (seen by a MutationObserver inside
the page, so no remote round trip is counted). The baseline, in the same runs, is a bare
navigation to /api/v1/health under the same throttling: what the network alone costs.
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VENV_PY = ROOT / ".venv" / "bin" / "python"
if Path(sys.executable).resolve() != VENV_PY.resolve() and VENV_PY.exists():
    os.execv(str(VENV_PY), [str(VENV_PY), *sys.argv])

WEB_MARK = "<!-- web page loads: written by bench/web.py -->"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update"]
# Lighthouse's "slow 4G / mid-tier mobile" settings
NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8 * 0.9,
           "uploadThroughput": 750e3 / 8 * 0.9}
CPU_SLOWDOWN = 4
BUDGET_JS_GZ = 300 * 1024
BUDGET_MS = 1500

# set the moment the selector shows up, from inside the page
READY_PROBE = """
(() => {
  const want = %r;
  const check = () => {
    if (!window.__ready && want.every(s => document.querySelector(s))) {
      window.__ready = performance.now();
    }
  };
  new MutationObserver(check).observe(document, {childList: true, subtree: true});
  document.addEventListener('DOMContentLoaded', check);
})();
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"server did not come up at {url}")


def measure(browser: Any, url: str, ready: list[str]) -> dict[str, float]:
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                              has_touch=True, device_scale_factor=2, locale="zh-CN")
    page = ctx.new_page()
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", NETWORK)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    if ready:
        page.add_init_script(READY_PROBE % ready)
    page.goto(url, wait_until="load", timeout=60_000)
    if ready:
        page.wait_for_function("window.__ready !== undefined", timeout=60_000)
    nav = page.evaluate("""() => {
        const n = performance.getEntriesByType('navigation')[0];
        const fcp = performance.getEntriesByName('first-contentful-paint')[0];
        const js = performance.getEntriesByType('resource').filter(r => r.name.endsWith('.js'));
        return {dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd,
                fcp: fcp ? fcp.startTime : null, ready: window.__ready ?? null,
                js_wire: js.reduce((a, r) => a + r.encodedBodySize, 0),
                js_raw: js.reduce((a, r) => a + r.decodedBodySize, 0), js_files: js.length};
    }""")
    ctx.close()
    return {k: float(v) for k, v in nav.items() if v is not None}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--results-md", default=str(BENCH / "RESULTS.md"))
    args = ap.parse_args()
    dist = ROOT / "web" / "dist"
    if not (dist / "portal.html").exists():
        raise SystemExit("build the web app first: make web")
    from playwright.sync_api import sync_playwright

    port = free_port()
    data_dir = Path(tempfile.mkdtemp(prefix="bihuan-web-bench-"))
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "bihuan"), "demo", "--port", str(port), "--data-dir",
         str(data_dir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_up(f"{base}/api/v1/health")
        db = sqlite3.connect(data_dir / "bihuan.db")
        token = db.execute("SELECT qr_token FROM devices ORDER BY id LIMIT 1").fetchone()[0]
        code = db.execute("SELECT tracking_code FROM work_orders WHERE state = "
                          "'awaiting_confirmation' ORDER BY id LIMIT 1").fetchone()[0]
        pages = {
            "baseline: /api/v1/health": (f"{base}/api/v1/health", []),
            "QR intake /r/<token>": (f"{base}/r/{token}",
                                     ['[data-testid="intake-submit"]', '[data-testid^="fault-"]']),
            "progress /t/<code>": (f"{base}/t/{code}", ['[data-testid="progress-state"]']),
        }
        runs: dict[str, list[dict[str, float]]] = {k: [] for k in pages}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            for _ in range(args.runs):  # interleaved, so load on the machine hits all alike
                for name, (url, ready) in pages.items():
                    runs[name].append(measure(browser, url, ready))
            browser.close()
    finally:
        server.terminate()
        server.wait(10)
    write(Path(args.results_md), runs, args.runs)


def write(path: Path, runs: dict[str, list[dict[str, float]]], n: int) -> None:
    def med(name: str, key: str) -> float | None:
        vals = [r[key] for r in runs[name] if key in r]
        return statistics.median(vals) if vals else None

    def ms(v: float | None) -> str:
        return "–" if v is None else f"{v:,.0f}"

    base_load = med("baseline: /api/v1/health", "load") or 1.0
    intake = "QR intake /r/<token>"
    js_wire, js_raw = med(intake, "js_wire") or 0, med(intake, "js_raw") or 0
    js_files = med(intake, "js_files") or 0
    load = os.getloadavg()
    lines = [
        WEB_MARK, "", "## Customer phone pages: load on a mid-range phone profile", "",
        (f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `bench/web.py`, {n} runs per page, "
        f"interleaved; medians. Chromium {CHROMIUM} headless, CPU slowed {CPU_SLOWDOWN}×, "
        "150 ms RTT, 1.6 Mbit/s down, cache disabled. Machine: "
        f"{platform.machine()}, {os.cpu_count()} cores, load average "
        f"{load[0]:.2f}/{load[1]:.2f}/{load[2]:.2f}."), "",
        (f"JavaScript the intake page loads (entry and its lazy chunks, as sent: gzip): "
        f"**{js_wire / 1024:.1f} KB** in {js_files:.0f} files, {js_raw / 1024:.1f} KB unpacked "
        f"(budget {BUDGET_JS_GZ // 1024} KB gzipped: "
        f"{'within' if js_wire <= BUDGET_JS_GZ else 'OVER'})."), "",
        ("| page | first contentful paint ms | DOMContentLoaded ms | interactive ms | "
        "load ms | load ÷ baseline |"),
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name in runs:
        lines.append(f"| {name} | {ms(med(name, 'fcp'))} | {ms(med(name, 'dcl'))} | "
                     f"{ms(med(name, 'ready'))} | {ms(med(name, 'load'))} | "
                     f"{(med(name, 'load') or 0) / base_load:.1f}× |")
    ready = med("QR intake /r/<token>", "ready")
    lines += ["", (f"Interactive = the fault chips and the submit button are on screen with the "
              f"device's data. Target ≤ {BUDGET_MS} ms for the intake page: "
              f"**{'met' if ready is not None and ready <= BUDGET_MS else 'missed'}** "
              f"({ms(ready)} ms)."), ""]
    old = path.read_text() if path.exists() else ""
    tail = ""
    if WEB_MARK in old:  # replace this section only; other tools own the ones after it
        head, rest = old.split(WEB_MARK, 1)
        nxt = rest.find("<!-- ")
        tail = rest[nxt:] if nxt >= 0 else ""
        old = head
    path.write_text(old.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"
                    + ("\n" + tail if tail else ""))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
