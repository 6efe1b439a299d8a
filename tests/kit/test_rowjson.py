"""kit.rowjson writes rows as pydantic would dump the model validated from them."""

from datetime import UTC, datetime

import pytest
from pydantic import BaseModel, Field, computed_field

from bihuan.kit import rowjson


class Inner(BaseModel):
    seconds: float = 0.0
    note: str | None = None


class Outer(BaseModel):
    id: int
    at: datetime
    ratio: float | None
    inner: Inner | None = None
    inners: list[Inner] = Field(default_factory=list)
    tags: list[str]


ROWS = [
    {"id": 1, "at": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), "ratio": 2, "tags": ["a", "中"],
     "inner": {"seconds": 3}, "inners": [{"note": "x"}, {"seconds": 1.5}], "extra": "dropped"},
    {"id": 2, "at": datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=UTC), "ratio": None,
     "tags": [], "inner": None},
]


@pytest.mark.parametrize("row", ROWS)
def test_same_bytes_as_pydantic(row: dict) -> None:  # type: ignore[type-arg]
    expected = Outer.model_validate(row).model_dump_json().encode()
    assert bytes(rowjson.response(Outer, row).body) == expected


def test_a_missing_required_field_raises() -> None:
    with pytest.raises(KeyError, match="Outer.tags"):
        rowjson.shape(Outer, {"id": 1, "at": ROWS[0]["at"], "ratio": None})


def test_models_whose_json_is_not_their_fields_are_refused() -> None:
    class Renamed(BaseModel):
        a: int = Field(serialization_alias="b")

    class Computed(BaseModel):
        a: int

        @computed_field  # type: ignore[prop-decorator]
        @property
        def b(self) -> int:
            return self.a

    for model in (Renamed, Computed):
        with pytest.raises(TypeError):
            rowjson.shape(model, {"a": 1})


def test_a_missing_field_with_a_default_factory_gets_its_default() -> None:
    row = {k: v for k, v in ROWS[0].items() if k != "inners"}
    expected = Outer.model_validate(row).model_dump_json().encode()
    assert bytes(rowjson.response(Outer, row).body) == expected
