"""A loopback HTTP receiver playing WeCom, DingTalk, Feishu, Aliyun SMS and a webhook consumer.

It checks each request the way the vendor does, with its own code (not the adapters'), and
answers in the vendor's shape: a bad signature gets the vendor's error answer, so an adapter
that signs wrongly fails the test. Requests are recorded with a `verified` flag.
"""

import base64
import hashlib
import hmac
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

from bihuan.kit.clock import utcnow


@dataclass
class Received:
    kind: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    raw: bytes
    verified: bool
    problem: str | None = None

    @property
    def json(self) -> Any:
        return json.loads(self.raw)

    @property
    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.raw.decode()))

    @property
    def delivery(self) -> str | None:
        return self.headers.get("x-bihuan-delivery")


@dataclass
class Receiver:
    secrets: dict[str, str] = field(default_factory=lambda: {
        "dingtalk": "SECd1ng", "feishu": "f31shu-secret", "webhook": "whsec-123",
        "sms": "aliyun-secret", "wecom": "wecom-key-1"})
    url: str = ""
    requests: list[Received] = field(default_factory=list)
    # answer HTTP 500 to the next n requests of a kind
    fail: dict[str, int] = field(default_factory=dict)
    # while set, requests of these kinds wait for `release` before being answered
    hold: set[str] = field(default_factory=set)
    release: threading.Event = field(default_factory=threading.Event)
    arrived: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def of(self, kind: str) -> list[Received]:
        return [r for r in self.requests if r.kind == kind]

    def deliveries(self, kind: str | None = None) -> list[int]:
        return [int(r.delivery) for r in self.requests if r.delivery is not None
                and (kind is None or r.kind == kind) and r.verified]

    # ------------------------------------------------------------ vendor checks
    def check(self, kind: str, query: dict[str, str], headers: dict[str, str],
              raw: bytes) -> str | None:
        """None if the request is what the vendor accepts, else why not."""
        if "x-bihuan-delivery" not in headers:
            return "no X-Bihuan-Delivery header"
        secret = self.secrets[kind]
        if kind == "wecom":
            body = json.loads(raw)
            if query.get("key") != secret:
                return "invalid webhook url (key)"
            if body.get("msgtype") not in ("text", "markdown") or not body[body["msgtype"]].get(
                    "content"):
                return "bad body"
            return None
        if kind == "dingtalk":
            ts, sign = query.get("timestamp", ""), query.get("sign", "")
            mac = hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256)
            if not hmac.compare_digest(base64.b64encode(mac.digest()).decode(), sign):
                return "sign not match"
            if abs(int(ts) / 1000 - utcnow().timestamp()) > 3600:
                return "timestamp too old"
            body = json.loads(raw)
            return None if body.get("msgtype") == "text" and body["text"]["content"] else "body"
        if kind == "feishu":
            body = json.loads(raw)
            ts = body.get("timestamp", "")
            mac = hmac.new(f"{ts}\n{secret}".encode(), b"", hashlib.sha256)
            if not hmac.compare_digest(base64.b64encode(mac.digest()).decode(),
                                       body.get("sign", "")):
                return "sign match fail"
            if abs(int(ts) - utcnow().timestamp()) > 3600:
                return "timestamp too old"
            return None if body.get("msg_type") == "text" and body["content"]["text"] else "body"
        if kind == "webhook":
            ts = headers.get("x-bihuan-timestamp", "")
            mac = hmac.new(secret.encode(), f"{ts}.".encode() + raw, hashlib.sha256)
            if not hmac.compare_digest("sha256=" + mac.hexdigest(),
                                       headers.get("x-bihuan-signature", "")):
                return "bad signature"
            return None
        if kind == "sms":
            params = dict(parse_qsl(raw.decode(), keep_blank_values=True))
            given = params.pop("Signature", "")

            def pct(s: str) -> str:
                return quote(s, safe="-_.~")

            canonical = "&".join(f"{pct(k)}={pct(v)}" for k, v in sorted(params.items()))
            mac = hmac.new(f"{secret}&".encode(), f"POST&%2F&{pct(canonical)}".encode(),
                           hashlib.sha1)
            if not hmac.compare_digest(base64.b64encode(mac.digest()).decode(), given):
                return "SignatureDoesNotMatch"
            for name in ("PhoneNumbers", "SignName", "TemplateCode", "TemplateParam"):
                if not params.get(name):
                    return f"MissingParameter {name}"
            json.loads(params["TemplateParam"])
            return None
        return f"unknown kind {kind}"

    def answer(self, kind: str, problem: str | None) -> tuple[int, dict[str, Any]]:
        ok = problem is None
        if kind == "wecom":
            return 200, {"errcode": 0 if ok else 93000, "errmsg": "ok" if ok else problem}
        if kind == "dingtalk":
            return 200, {"errcode": 0 if ok else 310000, "errmsg": "ok" if ok else problem}
        if kind == "feishu":
            return 200, {"code": 0 if ok else 19021, "msg": "success" if ok else problem,
                         "data": {}}
        if kind == "sms":
            return 200, ({"Code": "OK", "Message": "OK", "BizId": "9", "RequestId": "r"} if ok
                         else {"Code": problem or "Error", "Message": problem})
        return (200, {"ok": True}) if ok else (401, {"error": problem})


def _handler(recv: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            parts = urlsplit(self.path)
            kind = parts.path.strip("/").split("/")[0]
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            query = dict(parse_qsl(parts.query))
            try:
                problem = recv.check(kind, query, headers, raw)
            except (ValueError, KeyError, TypeError) as e:
                problem = f"malformed: {e}"
            with recv.lock:
                failing = recv.fail.get(kind, 0) > 0
                if failing:
                    recv.fail[kind] -= 1
                recv.requests.append(Received(kind, parts.path, query, headers, raw,
                                              problem is None and not failing, problem))
            recv.arrived.set()
            if kind in recv.hold:
                recv.release.wait(30)
            status, body = (500, {"error": "boom"}) if failing else recv.answer(kind, problem)
            data = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the sender is gone (killed relay)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


class ReceiverServer:
    def __init__(self, recv: Receiver) -> None:
        self.recv = recv
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(recv))
        self.server.daemon_threads = True
        recv.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self.recv

    def __exit__(self, *exc: object) -> None:
        self.recv.release.set()
        self.server.shutdown()
        self.server.server_close()
