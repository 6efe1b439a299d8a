"""Channels and outbox states: the single source of their labels."""

from enum import StrEnum


class ChannelKind(StrEnum):
    inapp = "inapp"
    wecom = "wecom"
    dingtalk = "dingtalk"
    feishu = "feishu"
    email = "email"
    sms = "sms"
    webhook = "webhook"
    # not a channel people receive: one row that the relay expands into per-person and
    # per-robot rows after commit (the SLA sweeper writes one per escalation)
    fanout = "fanout"


# what an admin configures in notification_channels (in-app needs no configuration)
CONFIGURABLE = frozenset(ChannelKind) - {ChannelKind.inapp, ChannelKind.fanout}
# group robots: one target is one chat, limited per minute by the vendor
ROBOTS = frozenset({ChannelKind.wecom, ChannelKind.dingtalk, ChannelKind.feishu})

CHANNEL_LABELS: dict[str, dict[str, str]] = {
    ChannelKind.inapp: {"zh-CN": "站内消息", "en": "In-app"},
    ChannelKind.wecom: {"zh-CN": "企业微信群机器人", "en": "WeCom group robot"},
    ChannelKind.dingtalk: {"zh-CN": "钉钉群机器人", "en": "DingTalk robot"},
    ChannelKind.feishu: {"zh-CN": "飞书群机器人", "en": "Feishu bot"},
    ChannelKind.email: {"zh-CN": "邮件", "en": "Email"},
    ChannelKind.sms: {"zh-CN": "短信", "en": "SMS"},
    ChannelKind.webhook: {"zh-CN": "Webhook", "en": "Webhook"},
    ChannelKind.fanout: {"zh-CN": "分发", "en": "Fan-out"},
}


class OutboxStatus(StrEnum):
    pending = "pending"
    sending = "sending"
    sent = "sent"
    dead = "dead"


LOCALES = ("zh-CN", "en")
