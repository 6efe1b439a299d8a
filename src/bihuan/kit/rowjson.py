"""JSON answers for rows read from our own database, without validating them again.

A list page is 20 rows of 30-odd fields. Validating them into models and dumping those cost
about a sixth of a list request's CPU, more than reading the rows. The rows already have the
model's types (they come from typed columns and our own code), so `dumps` writes each field in
the model's order, with its default where a row lacks it, nested models alike; a float field
gets a float (0 → 0.0, as validation makes it); extra keys are left out, as validation leaves
them. orjson writes an aware UTC time with "Z", as pydantic does. `tests/test_rowjson.py`
holds the output equal, byte for byte, to pydantic's for orders of every kind.

Models with aliases, serializers or computed fields are refused: their JSON is not just their
fields.
"""

from collections.abc import Callable
from functools import cache
from types import NoneType, UnionType
from typing import Any, Union, get_args, get_origin

import orjson
from fastapi import Response
from pydantic import BaseModel

_MISSING = object()
# (name, default or _MISSING when required, default factory, ("model"|"list"|"float", model))
_Field = tuple[str, Any, Callable[[], Any] | None, tuple[str, Any] | None]


def _unwrap(tp: Any) -> Any:
    """X from X | None."""
    if get_origin(tp) in (Union, UnionType):
        rest = [a for a in get_args(tp) if a is not NoneType]
        if len(rest) == 1:
            return rest[0]
    return tp


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


@cache
def _plan(model: type[BaseModel]) -> tuple[_Field, ...]:
    deco = model.__pydantic_decorators__
    if deco.field_serializers or deco.model_serializers or deco.computed_fields:
        raise TypeError(f"{model.__name__} has its own serialisation")
    plan = []
    for name, f in model.model_fields.items():
        if f.alias or f.serialization_alias or f.exclude:
            raise TypeError(f"{model.__name__}.{name} is renamed or left out in JSON")
        tp, kind = _unwrap(f.annotation), None
        if _is_model(tp):
            kind = ("model", tp)
        elif get_origin(tp) is list and _is_model(get_args(tp)[0]):
            kind = ("list", get_args(tp)[0])
        elif tp is float:
            kind = ("float", None)
        default = _MISSING if f.is_required() else f.default
        plan.append((name, default, f.default_factory, kind))  # type: ignore[arg-type]
    return tuple(plan)


def shape(model: type[BaseModel], row: dict[str, Any]) -> dict[str, Any]:
    """`row` as `model` would dump it (a required field missing raises KeyError)."""
    out = {}
    for name, default, factory, kind in _plan(model):
        value = row.get(name, _MISSING)
        if value is _MISSING:
            if default is _MISSING and factory is None:
                raise KeyError(f"{model.__name__}.{name}")
            value = factory() if factory is not None else default  # type: ignore[call-arg]
        if value is not None and kind is not None:
            how, sub = kind
            if how == "model":
                value = shape(sub, value)
            elif how == "list":
                value = [shape(sub, v) for v in value]
            elif type(value) is int:
                value = float(value)
        out[name] = value
    return out


def response(model: type[BaseModel], row: dict[str, Any], status_code: int = 200) -> Response:
    """The JSON answer for `row` as `model`."""
    return Response(orjson.dumps(shape(model, row), option=orjson.OPT_UTC_Z),
                    status_code=status_code, media_type="application/json")
