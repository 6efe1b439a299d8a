"""Request signatures of each vendor (pure functions: the adapters sign, tests verify)."""

import base64
import hashlib
import hmac
from urllib.parse import quote, quote_plus


def dingtalk_sign(timestamp_ms: int, secret: str) -> str:
    """urlencode(base64(HMAC-SHA256(key=secret, msg=f"{ms}\\n{secret}")))."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256)
    return quote_plus(base64.b64encode(digest.digest()))


def feishu_sign(timestamp_s: int, secret: str) -> str:
    """base64(HMAC-SHA256(key=f"{s}\\n{secret}", msg=b"")): key and message swapped vs DingTalk."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256)
    return base64.b64encode(digest.digest()).decode()


def webhook_signature(timestamp_s: int, raw_body: bytes, secret: str) -> str:
    """X-Bihuan-Signature: sha256=<hex HMAC-SHA256(secret, f"{timestamp}.{raw_body}")>."""
    msg = f"{timestamp_s}.".encode() + raw_body
    return "sha256=" + hmac.new(secret.encode(), msg, hashlib.sha256).hexdigest()


def _pct(value: str) -> str:
    # Aliyun's POP encoding: RFC 3986 (space %20, * %2A, ~ kept)
    return quote(value, safe="-_.~")


def aliyun_signature(params: dict[str, str], secret: str, method: str = "POST") -> str:
    """Aliyun RPC signature v1: base64(HMAC-SHA1(secret + "&", METHOD&%2F&pct(sorted query)))."""
    canonical = "&".join(f"{_pct(k)}={_pct(v)}" for k, v in sorted(params.items()))
    to_sign = f"{method}&{_pct('/')}&{_pct(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1)
    return base64.b64encode(digest.digest()).decode()
