"""Field validators whose errors say what is wrong and show an example (zh-CN and en)."""

import re
from typing import Annotated

from annotated_types import Interval
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

# row ids are 32-bit integers; larger values must fail validation, not overflow the driver
DbId = Annotated[int, Interval(ge=1, le=2**31 - 1)]

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-\d{7,8}(-\d{1,6})?$")


def bilingual_error(code: str, zh: str, en: str) -> PydanticCustomError:
    return PydanticCustomError(code, "{zh} / {en}", {"zh": zh, "en": en})


def normalize_phone(raw: str) -> str:
    """Accept mobiles (13812345678) and landlines with area code (0755-88889999)."""
    v = re.sub(r"[\s()（）]", "", raw)
    v = re.sub(r"^(\+?86-?)", "", v)
    example_zh = "示例:0755-88889999 或 13812345678"
    example_en = "e.g. 0755-88889999 or 13812345678"
    if not v:
        raise bilingual_error("phone_required", f"请填写电话,{example_zh}",
                              f"Phone number is required, {example_en}")
    if not re.fullmatch(r"[\d-]+", v):
        raise bilingual_error("phone_chars", f"电话只能包含数字和“-”,{example_zh}",
                              f"Phone may contain only digits and '-', {example_en}")
    digits = v.replace("-", "")
    if _MOBILE.match(digits):
        return digits
    if digits.startswith("1") and len(digits) == 11:
        raise bilingual_error("phone_mobile_prefix", "手机号第二位应为3–9,示例:13812345678",
                              "A mobile number starts 13–19, e.g. 13812345678")
    if digits.startswith("1"):
        raise bilingual_error("phone_mobile_length",
                              f"手机号应为11位(当前{len(digits)}位),示例:13812345678",
                              f"A mobile number has 11 digits (got {len(digits)}), "
                              "e.g. 13812345678")
    if not digits.startswith("0") and len(digits) in (7, 8):
        raise bilingual_error("phone_area_code", "客户电话需含区号,示例:0755-88889999",
                              "Include the area code, e.g. 0755-88889999")
    if _LANDLINE.match(v):
        return v
    if digits.startswith("0") and 10 <= len(digits) <= 12 and "-" not in v:
        for area in (3, 4):  # 010/020… are 3 digits, 0755… are 4
            if len(digits) - area in (7, 8) and (area == 3) == (digits[1] in "12"):
                return f"{digits[:area]}-{digits[area:]}"
    raise bilingual_error("phone_format", f"电话格式不正确,{example_zh}",
                          f"Phone number is not valid, {example_en}")


Phone = Annotated[str, AfterValidator(normalize_phone)]


def mask_phone(phone: str | None) -> str | None:
    """138****1234 for mobiles, 0755-****9999 for landlines."""
    if not phone:
        return phone
    if len(phone) == 11 and phone.isdigit():
        return f"{phone[:3]}****{phone[-4:]}"
    head, _, tail = phone.rpartition("-")
    return f"{head}-****{tail[-4:]}" if head else "****" + phone[-4:]


def _not_null(v: object) -> object:
    if v is None:
        raise bilingual_error("null_not_allowed", "不能为空(null);不修改请省略该字段",
                              "may not be null; leave the field out to keep its value")
    return v


# for PATCH fields whose column is NOT NULL: omitted = unchanged, explicit null = 422
NotNull = AfterValidator(_not_null)
