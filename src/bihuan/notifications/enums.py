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

# (zh-CN, en, colour): the labels /api/v1/meta serves, like the work-order enums
CHANNEL_LABELS: dict[str, tuple[str, str, str]] = {
    ChannelKind.inapp: ("站内消息", "In-app", "blue"),
    ChannelKind.wecom: ("企业微信群机器人", "WeCom group robot", "green"),
    ChannelKind.dingtalk: ("钉钉群机器人", "DingTalk robot", "blue"),
    ChannelKind.feishu: ("飞书群机器人", "Feishu bot", "cyan"),
    ChannelKind.email: ("邮件", "Email", "purple"),
    ChannelKind.sms: ("短信", "SMS", "orange"),
    ChannelKind.webhook: ("Webhook", "Webhook", "grey"),
    ChannelKind.fanout: ("分发", "Fan-out", "grey"),
}


class OutboxStatus(StrEnum):
    pending = "pending"
    sending = "sending"
    sent = "sent"
    dead = "dead"


OUTBOX_LABELS: dict[str, tuple[str, str, str]] = {
    OutboxStatus.pending: ("待发送", "Pending", "blue"),
    OutboxStatus.sending: ("发送中", "Sending", "cyan"),
    OutboxStatus.sent: ("已发送", "Sent", "green"),
    OutboxStatus.dead: ("投递失败", "Dead", "red"),
}

# the events people are told about (templates, preferences), most specific name first
EVENT_LABELS: dict[str, tuple[str, str, str]] = {
    "sla.at_risk": ("SLA 即将超时", "SLA at risk", "orange"),
    "sla.breach": ("SLA 超时升级", "SLA breach escalation", "red"),
    "order.undispatched": ("超时未派工", "Not dispatched in time", "red"),
    "order.assigned": ("新派工", "Assigned to you", "blue"),
    "order.resolved": ("完工待确认", "Resolved, awaiting confirmation", "green"),
}


LOCALES = ("zh-CN", "en")
