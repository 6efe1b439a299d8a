"""Domain errors: an HTTP status, a stable code and a message in zh-CN and en."""

from typing import Any


class DomainError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(
        self,
        zh: str,
        en: str,
        *,
        code: str | None = None,
        status_code: int | None = None,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en
        if code:
            self.code = code
        if status_code:
            self.status_code = status_code
        self.details = details
        self.headers = headers

    def body(self, lang: str = "zh-CN") -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "message": self.en if lang == "en" else self.zh,
            "messages": {"zh-CN": self.zh, "en": self.en},
        }
        if self.details is not None:
            out["details"] = self.details
        return out


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


class Forbidden(DomainError):
    status_code = 403
    code = "forbidden"


class Unauthorized(DomainError):
    status_code = 401
    code = "not_authenticated"


class Conflict(DomainError):
    status_code = 409
    code = "conflict"


class BadInput(DomainError):
    status_code = 400
    code = "bad_input"


def not_found(what_zh: str, what_en: str) -> NotFound:
    return NotFound(f"{what_zh}不存在", f"{what_en} not found")


def forbidden() -> Forbidden:
    return Forbidden("当前角色无权执行此操作", "Your role is not allowed to do this")

