"""Group robots (WeCom, DingTalk, Feishu) and the generic signed webhook."""

import json
from typing import Any

import httpx

from bihuan.notifications.channels import Delivery, DeliveryError, answer, post, truncate_bytes
from bihuan.notifications.config import NotifySettings
from bihuan.notifications.signing import dingtalk_sign, feishu_sign, webhook_signature


def _errcode(body: dict[str, Any], key: str = "errcode") -> None:
    """Robots answer HTTP 200 with an error code inside: 0 is the only success."""
    code = body.get(key)
    if code != 0:
        msg = body.get("errmsg") or body.get("msg") or ""
        raise DeliveryError(f"{key} {code}: {msg}"[:300])


def send_wecom(d: Delivery, http: httpx.Client, ns: NotifySettings) -> None:
    """WeCom group robot: the key in the URL is the secret; text (with @mobiles) or markdown."""
    cfg = d.require_config()
    msgtype = cfg.settings.get("msgtype") or ("text" if d.mentions else "markdown")
    if msgtype == "markdown":
        content = f"**{d.subject}**\n{d.body}" if d.subject else d.body
        msg: dict[str, Any] = {"msgtype": "markdown",
                               "markdown": {"content": truncate_bytes(content, 4096)}}
    else:
        msg = {"msgtype": "text", "text": {"content": truncate_bytes(d.text, 2048),
                                           "mentioned_mobile_list": d.mentions}}
    _errcode(answer(post(http, d, cfg.url or "", ns, json=msg)))


def send_dingtalk(d: Delivery, http: httpx.Client, ns: NotifySettings) -> None:
    """DingTalk custom robot: timestamp (ms) and sign as query parameters when signed."""
    cfg = d.require_config()
    url = cfg.url or ""
    if cfg.secret:
        ms = int(d.now.timestamp() * 1000)
        url += f"{'&' if '?' in url else '?'}timestamp={ms}&sign={dingtalk_sign(ms, cfg.secret)}"
    msg = {"msgtype": "text", "text": {"content": truncate_bytes(d.text, 18000)},
           "at": {"atMobiles": d.mentions, "isAtAll": False}}
    _errcode(answer(post(http, d, url, ns, json=msg)))


def send_feishu(d: Delivery, http: httpx.Client, ns: NotifySettings) -> None:
    """Feishu/Lark custom bot: timestamp (s) and sign in the body when signed."""
    cfg = d.require_config()
    msg: dict[str, Any] = {"msg_type": "text",
                           "content": {"text": truncate_bytes(d.text, 18000)}}
    if cfg.secret:
        s = int(d.now.timestamp())
        msg = {"timestamp": str(s), "sign": feishu_sign(s, cfg.secret), **msg}
    body = answer(post(http, d, cfg.url or "", ns, json=msg))
    # current bots answer {"code": 0}; the older v1 hook {"StatusCode": 0}
    _errcode(body, "code" if "code" in body else "StatusCode")


def webhook_body(d: Delivery) -> bytes:
    """The exact bytes that are signed and sent."""
    doc = {"id": d.id, "event": d.event, "subject": d.subject, "body": d.body,
           "link": d.payload.get("link"), "data": d.payload.get("data") or {},
           "sent_at": d.now.isoformat()}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


def send_webhook(d: Delivery, http: httpx.Client, ns: NotifySettings) -> None:
    """Generic webhook: HMAC-SHA256 over "<timestamp>.<raw body>"; any 2xx is delivered."""
    cfg = d.require_config()
    raw = webhook_body(d)
    ts = int(d.now.timestamp())
    headers = {"Content-Type": "application/json; charset=utf-8",
               "X-Bihuan-Timestamp": str(ts), "X-Bihuan-Event": d.event}
    if cfg.secret:
        headers["X-Bihuan-Signature"] = webhook_signature(ts, raw, cfg.secret)
    post(http, d, cfg.url or "", ns, content=raw, headers=headers)
