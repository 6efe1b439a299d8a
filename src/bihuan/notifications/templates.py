"""Default wording per event (zh-CN, en), a renderer that never raises, and phone masking."""

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bihuan.kit.validators import mask_phone


@dataclass(frozen=True)
class Template:
    subject: str
    body: str


# {placeholders} come from the event's data; sla.breach carries level 1/2/3 and level_label
DEFAULTS: dict[str, dict[str, Template]] = {
    "sla.at_risk": {
        "zh-CN": Template("【即将超时】{number} {title}",
                          "工单 {number}「{title}」的{kind_label}时限将于 {due_at} 到期,"
                          "请尽快处理。负责人:{assignee}"),
        "en": Template("[SLA at risk] {number} {title}",
                       "Work order {number} \"{title}\": the {kind_label} deadline is {due_at}. "
                       "Assignee: {assignee}"),
    },
    "sla.breach": {
        "zh-CN": Template("【超时·{level}级升级】{number} {title}",
                          "工单 {number}「{title}」已超过{kind_label}时限(应于 {due_at} 前),"
                          "已升级至第 {level} 级({level_label})。负责人:{assignee}"),
        "en": Template("[SLA breach · level {level}] {number} {title}",
                       "Work order {number} \"{title}\" missed its {kind_label} deadline "
                       "({due_at}); escalated to level {level} ({level_label}). "
                       "Assignee: {assignee}"),
    },
    "order.undispatched": {
        "zh-CN": Template("【待派工】{number} {title}",
                          "工单 {number}「{title}」创建于 {created_at},至今未派工。客户:{customer}"),
        "en": Template("[Not dispatched] {number} {title}",
                       "Work order {number} \"{title}\" was created at {created_at} and is still "
                       "not dispatched. Customer: {customer}"),
    },
    "order.assigned": {
        "zh-CN": Template("【新派工】{number} {title}",
                          "你有新工单 {number}「{title}」。客户:{customer},地址:{address},"
                          "联系电话:{phone}"),
        "en": Template("[Assigned to you] {number} {title}",
                       "New work order {number} \"{title}\". Customer: {customer}, address: "
                       "{address}, phone: {phone}"),
    },
    "order.resolved": {
        "zh-CN": Template("【待确认】{number} {title}",
                          "工单 {number}「{title}」已由 {engineer} 完工,等待确认。"),
        "en": Template("[Resolved] {number} {title}",
                       "Work order {number} \"{title}\" was resolved by {engineer} and awaits "
                       "confirmation."),
    },
}

FALLBACK = {"zh-CN": Template("通知:{event}", "{event}"), "en": Template("Notice: {event}",
                                                                       "{event}")}

LEVEL_LABELS = {
    "zh-CN": {1: "工程师", 2: "主管", 3: "总监"},
    "en": {1: "engineer", 2: "supervisor", 3: "director"},
}
KIND_LABELS = {
    "zh-CN": {"response": "响应", "resolution": "解决", "confirmation": "客户确认"},
    "en": {"response": "response", "resolution": "resolution",
           "confirmation": "customer confirmation"},
}


def event_chain(event: str) -> list[str]:
    """sla.breach.response -> [sla.breach.response, sla.breach, sla]: the most specific wins."""
    parts = event.split(".")
    return [".".join(parts[:i]) for i in range(len(parts), 0, -1)]


def default_for(event: str, locale: str) -> Template:
    for name in event_chain(event):
        if name in DEFAULTS:
            return DEFAULTS[name].get(locale) or DEFAULTS[name]["zh-CN"]
    return FALLBACK.get(locale, FALLBACK["zh-CN"])


def derived(event: str, locale: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The data plus labels the defaults use: level_label, kind_label, event."""
    out: dict[str, Any] = {"event": event, **data}
    level = data.get("level")
    if isinstance(level, int) and "level_label" not in data:
        out["level_label"] = LEVEL_LABELS.get(locale, LEVEL_LABELS["zh-CN"]).get(level, level)
    kind = data.get("kind") or (event.rsplit(".", 1)[-1] if event.count(".") >= 2 else None)
    if kind and "kind_label" not in data:
        out["kind_label"] = KIND_LABELS.get(locale, KIND_LABELS["zh-CN"]).get(kind, kind)
    return out


class _Formatter(string.Formatter):
    """Plain {name} placeholders only: unknown names, attribute or index access, positional
    fields and bad format specs are left in the text as written, never raised."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data

    def vformat(self, fmt: str, args: Any, kwargs: Any) -> str:  # type: ignore[override]
        out = []
        try:
            parsed = list(self.parse(fmt))
        except ValueError:  # unbalanced braces: show the template as it is
            return fmt
        for literal, field, spec, conv in parsed:
            out.append(literal)
            if field is None:
                continue
            raw = "{" + field + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "") + "}"
            if not field.isidentifier() or field not in self.data:
                out.append(raw)
                continue
            value = self.data[field]
            try:
                value = self.convert_field(value, conv) if conv else value
                out.append(format(value, spec or ""))
            except (ValueError, TypeError):
                out.append(str(value))
        return "".join(out)


def render_text(fmt: str, data: Mapping[str, Any]) -> str:
    """str.format_map semantics over `data`, except that it never raises."""
    return _Formatter(data).vformat(fmt, (), {})


# mobiles 13812345678 (+86 optional) and landlines 0755-88889999, not inside longer numbers
_MOBILE = re.compile(r"(?<![\d])(?:\+?86[- ]?)?(1[3-9]\d{9})(?![\d])")
_LANDLINE = re.compile(r"(?<![\d-])(0\d{2,3}-\d{7,8})(?![\d])")


def mask_text(text: str) -> str:
    """Every phone number in the text as 138****1234 / 0755-****9999 (PIPL: minimum PI)."""
    text = _MOBILE.sub(lambda m: mask_phone(m.group(1)) or "", text)
    return _LANDLINE.sub(lambda m: mask_phone(m.group(1)) or "", text)


def mask_data(value: Any) -> Any:
    """mask_text over every string in a JSON-like value."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {k: mask_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_data(v) for v in value]
    return value
