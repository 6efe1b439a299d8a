"""Email over SMTP (stdlib smtplib): STARTTLS or implicit TLS, optional login."""

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime

import httpx

from bihuan.notifications.channels import DELIVERY_HEADER, Delivery, DeliveryError
from bihuan.notifications.config import NotifySettings


def build_message(d: Delivery) -> EmailMessage:
    cfg = d.require_config()
    sender = cfg.settings.get("sender")
    if not d.recipient or not sender:
        raise DeliveryError("email needs a recipient and the channel's sender", permanent=True)
    msg = EmailMessage()
    msg["Subject"] = d.subject or d.event
    msg["From"] = str(sender)
    msg["To"] = d.recipient
    msg["Date"] = format_datetime(d.now)
    # stable across redeliveries, so a mail client can drop the duplicate
    msg["Message-ID"] = f"<outbox-{d.id}@bihuan>"
    msg[DELIVERY_HEADER] = str(d.id)
    link = d.payload.get("link")
    msg.set_content(d.body + (f"\n\n{link}" if isinstance(link, str) and link else ""))
    return msg


def send_email(d: Delivery, http: httpx.Client, ns: NotifySettings) -> None:
    """Host, port, user, starttls/ssl and sender come from the channel's settings; the
    password is the channel's secret."""
    cfg = d.require_config()
    s = cfg.settings
    host, port = s.get("host"), int(s.get("port") or (465 if s.get("ssl") else 25))
    if not host:
        raise DeliveryError("email channel has no SMTP host", permanent=True)
    msg = build_message(d)
    context = ssl.create_default_context()
    try:
        smtp: smtplib.SMTP = (smtplib.SMTP_SSL(host, port, timeout=ns.smtp_timeout_seconds,
                                               context=context) if s.get("ssl")
                              else smtplib.SMTP(host, port, timeout=ns.smtp_timeout_seconds))
        with smtp:
            if s.get("starttls") and not s.get("ssl"):
                smtp.starttls(context=context)
            if s.get("user"):
                smtp.login(str(s["user"]), cfg.secret or "")
            refused = smtp.send_message(msg)
    except (smtplib.SMTPException, OSError) as e:
        raise DeliveryError(f"SMTP: {type(e).__name__}: {e}") from e
    if refused:
        raise DeliveryError(f"SMTP refused: {refused}")
