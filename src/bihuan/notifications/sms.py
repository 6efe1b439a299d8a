"""SMS through an Aliyun-shaped SendSms endpoint (RPC style, HMAC-SHA1 signature v1)."""

import json
import uuid
from datetime import UTC

import httpx

from bihuan.notifications.channels import Delivery, DeliveryError, answer, post
from bihuan.notifications.config import NotifySettings
from bihuan.notifications.signing import aliyun_signature

DEFAULT_ENDPOINT = "https://dysmsapi.aliyuncs.com/"


def template_params(d: Delivery, names: list[str] | None) -> dict[str, str]:
    """The template's variables: the event data's scalars (already phone-masked), as strings."""
    data = d.payload.get("data") or {}
    keys = names if names is not None else [k for k, v in data.items()
                                            if isinstance(v, str | int | float)]
    return {k: str(data.get(k, ""))[:64] for k in keys}


def build_params(d: Delivery) -> dict[str, str]:
    """The signed request parameters (without Signature)."""
    cfg = d.require_config()
    s = cfg.settings
    if not d.recipient:
        raise DeliveryError("SMS without a phone number", permanent=True)
    if not cfg.secret or not s.get("access_key_id") or not s.get("sign_name"):
        raise DeliveryError("SMS channel needs access_key_id, sign_name and a secret",
                            permanent=True)
    templates = s.get("templates") or {}
    code = next((templates[e] for e in _chain(d.event) if e in templates),
                s.get("template_code"))
    if not code:
        raise DeliveryError(f"no SMS template code for {d.event}", permanent=True)
    return {
        "AccessKeyId": str(s["access_key_id"]), "Action": "SendSms", "Format": "JSON",
        "RegionId": str(s.get("region_id") or "cn-hangzhou"), "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": uuid.uuid4().hex, "SignatureVersion": "1.0",
        "Timestamp": d.now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "Version": "2017-05-25", "PhoneNumbers": d.recipient, "SignName": str(s["sign_name"]),
        "TemplateCode": str(code), "OutId": str(d.id),
        "TemplateParam": json.dumps(template_params(d, s.get("params")), ensure_ascii=False,
                                    separators=(",", ":")),
    }


def _chain(event: str) -> list[str]:
    parts = event.split(".")
    return [".".join(parts[:i]) for i in range(len(parts), 0, -1)]


def send_sms(d: Delivery, http: httpx.Client, ns: NotifySettings) -> None:
    """POST the signed form; the answer's Code must be "OK"."""
    cfg = d.require_config()
    params = build_params(d)
    params["Signature"] = aliyun_signature(params, cfg.secret or "")
    body = answer(post(http, d, cfg.url or DEFAULT_ENDPOINT, ns, data=params))
    if body.get("Code") != "OK":
        raise DeliveryError(f"SMS {body.get('Code')}: {body.get('Message', '')}"[:300])
