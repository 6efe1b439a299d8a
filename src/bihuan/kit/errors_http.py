"""Turn every error into {"code", "message", "messages"}; never leak a stack trace."""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from bihuan.errors import DomainError

log = logging.getLogger("bihuan")

# zh-CN for Pydantic's common error types; en comes from Pydantic itself
_ZH = {
    "missing": "必填", "string_too_short": "太短", "string_too_long": "太长",
    "string_pattern_mismatch": "格式不正确", "int_parsing": "应为整数",
    "float_parsing": "应为数字", "enum": "不是允许的取值", "extra_forbidden": "不允许的字段",
    "greater_than_equal": "太小", "less_than_equal": "太大", "too_short": "条目太少",
    "too_long": "条目太多", "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_parsing": "日期格式应为 YYYY-MM-DD", "datetime_parsing": "时间格式应为 ISO 8601",
    "datetime_from_date_parsing": "时间格式应为 ISO 8601", "bool_parsing": "应为 true/false",
    "json_invalid": "JSON 格式错误", "model_attributes_type": "应为对象",
    "string_type": "应为文本", "int_type": "应为整数", "list_type": "应为列表",
    "dict_type": "应为对象",
}


def lang_of(request: Request) -> str:
    return "en" if request.headers.get("accept-language", "").lower().startswith("en") else "zh-CN"


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def _detail(err: dict[str, Any]) -> dict[str, str]:
    field = _field(tuple(err.get("loc", ())))
    ctx = err.get("ctx") or {}
    if "zh" in ctx and "en" in ctx:
        zh, en = ctx["zh"], ctx["en"]
    else:
        en = str(err.get("msg", "invalid"))
        zh = _ZH.get(err.get("type", ""), "取值无效") + f"({en})"
    return {"field": field, "code": str(err.get("type")), "zh-CN": f"{field}:{zh}",
            "en": f"{field}: {en}"}


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> JSONResponse:
        return JSONResponse(exc.body(lang_of(request)), status_code=exc.status_code,
                            headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [_detail(e) for e in exc.errors()]
        first = details[0] if details else {"zh-CN": "请求无效", "en": "Invalid request"}
        body = {"code": "validation_error",
                "message": first["en"] if lang_of(request) == "en" else first["zh-CN"],
                "messages": {"zh-CN": first["zh-CN"], "en": first["en"]}, "details": details}
        return JSONResponse(body, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        zh, en, code = {
            404: ("接口不存在", "No such endpoint", "not_found"),
            405: ("不支持该请求方法", "Method not allowed", "method_not_allowed"),
        }.get(exc.status_code, ("请求失败", str(exc.detail), f"http_{exc.status_code}"))
        body = {"code": code, "message": en if lang_of(request) == "en" else zh,
                "messages": {"zh-CN": zh, "en": en}}
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        body = {"code": "internal_error", "message": "服务器内部错误,已记录",
                "messages": {"zh-CN": "服务器内部错误,已记录",
                             "en": "Internal error; it has been logged"}}
        return JSONResponse(body, status_code=500)
