"""What the customer reads: plain words for states and steps, and "王工" for the engineer."""

from bihuan.portal.schemas import PortalEngineer

Label = dict[str, str]

# two-character surnames; every other Chinese name starts with a one-character surname
_COMPOUND_SURNAMES = frozenset({"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙",
                                "慕容", "长孙", "宇文", "司徒", "夏侯", "令狐", "澹台", "端木"})


def engineer_display(full_name: str) -> str:
    """王伟 → 王工; 欧阳娜娜 → 欧阳工; Wang Wei → Wang. Never the full name."""
    name = full_name.strip()
    if not name:
        return "工程师"
    if "\u4e00" <= name[0] <= "\u9fff":
        surname = name[:2] if name[:2] in _COMPOUND_SURNAMES else name[:1]
        return f"{surname}工"
    return name.split()[0]


def _who(engineer: PortalEngineer | None) -> tuple[str, str]:
    return (engineer.display, engineer.display) if engineer else ("工程师", "The engineer")


def status_text(state: str, engineer: PortalEngineer | None) -> Label:
    zh_who, en_who = _who(engineer)
    texts = {
        "new": ("我们已收到您的报修,正在安排处理", "We have your report and are arranging it"),
        "dispatching": ("正在为您安排工程师", "We are finding an engineer for you"),
        "assigned": (f"{zh_who}已接到任务,会尽快联系您",
                     f"{en_who} has the job and will contact you soon"),
        "in_progress": (f"{zh_who}正在维修", f"{en_who} is working on it"),
        "on_hold": ("暂停中:在等配件或您的回复", "Paused: waiting for parts or for your reply"),
        "awaiting_confirmation": ("维修已完成,请查看并签字确认",
                                  "The repair is done: please check it and sign"),
        "closed": ("已完成,感谢您的确认", "Done and confirmed. Thank you"),
        "cancelled": ("此报修已取消", "This report was cancelled"),
    }
    zh, en = texts.get(state, (state, state))
    return {"zh-CN": zh, "en": en}


def step_label(action: str, engineer: PortalEngineer | None) -> Label | None:
    """A timeline line for one audit event, or None for events a customer need not see."""
    zh_who, en_who = _who(engineer)
    steps = {
        "create": ("报修已提交", "Report received"),
        "transition:dispatch": ("正在安排工程师", "Finding an engineer"),
        "transition:assign": (f"已安排{zh_who}", f"{en_who} assigned"),
        "transition:accept": ("工程师已接单", "The engineer accepted the job"),
        "transition:decline": ("正在重新安排工程师", "Finding another engineer"),
        "transition:start": ("工程师开始维修", "Repair started"),
        "transition:hold": ("暂停处理", "Paused"),
        "transition:resume": ("继续处理", "Resumed"),
        "transition:resolve": ("维修完成,等待您确认", "Repair done, waiting for your confirmation"),
        "transition:reopen": ("已退回重新维修", "Sent back for more work"),
        "transition:close": ("您已确认完工", "You confirmed the repair"),
        "transition:cancel": ("报修已取消", "Report cancelled"),
    }
    found = steps.get(action)
    return {"zh-CN": found[0], "en": found[1]} if found else None
