"""API shapes shared by every domain."""

from typing import Any

from fastapi import Response
from pydantic import BaseModel, ConfigDict, Field


class ErrorBody(BaseModel):
    code: str = Field(description="stable machine-readable error code")
    message: str = Field(description="message in the request's language (zh-CN default)")
    messages: dict[str, str] = Field(description="the message in zh-CN and en")
    details: Any | None = None


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entry declaring our error body for the given statuses."""
    return {s: {"model": ErrorBody} for s in statuses}


def json_response(model: BaseModel, status_code: int = 200) -> Response:
    """The model as the JSON answer. A route that returns a Response skips FastAPI's second
    validation of a value that already is its response model; the route keeps
    `response_model=` for the OpenAPI document."""
    return Response(model.model_dump_json(), status_code=status_code,
                    media_type="application/json")


class GPS(BaseModel):
    # inf/NaN are not JSON: PostgreSQL's JSONB refuses them, so refuse them here
    model_config = ConfigDict(allow_inf_nan=False)
    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)
    accuracy: float | None = Field(default=None, ge=0, description="metres")
