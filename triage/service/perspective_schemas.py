"""Request and response bodies of the Perspective-compatible endpoint, in Perspective's JSON shape.

Field names are Perspective's (lowerCamelCase); like Google's JSON parser the request also takes the
proto's snake_case names. Unknown fields are refused (400), as Perspective does.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

_REQUEST = ConfigDict(extra="forbid", alias_generator=to_camel, validate_by_name=True, validate_by_alias=True)


class TextEntry(BaseModel):
    model_config = _REQUEST

    text: str = Field(
        max_length=1_000_000,
        description="The comment. Required and non-empty; at most the service's limit "
        "(TRIAGE_MAX_TEXT_CHARS, and never more than the engine reads: 20,000 code points).",
    )
    type: Literal["PLAIN_TEXT", "HTML", "TEXT_TYPE_UNSPECIFIED"] = Field(
        default="PLAIN_TEXT", description="Only PLAIN_TEXT is scored; HTML is refused with 400."
    )


class ContextEntry(BaseModel):
    model_config = _REQUEST

    text: str = Field(default="", max_length=1_000_000)
    type: Literal["PLAIN_TEXT", "HTML", "TEXT_TYPE_UNSPECIFIED"] = "PLAIN_TEXT"


class Context(BaseModel):
    """Accepted for compatibility and not used (Perspective's production models did not use it either)."""

    model_config = _REQUEST

    entries: list[ContextEntry] = Field(default_factory=list, max_length=100)


class AttributeParameters(BaseModel):
    model_config = _REQUEST

    score_type: str | None = Field(default=None, max_length=100, description="Only PROBABILITY.")
    score_threshold: float | None = Field(
        default=None, ge=0.0, le=1.0, description="Leave out scores below this value."
    )


class AnalyzeCommentRequest(BaseModel):
    model_config = _REQUEST

    comment: TextEntry
    context: Context | None = None
    requested_attributes: dict[str, AttributeParameters] = Field(
        max_length=50,
        description="TOXICITY, SEVERE_TOXICITY, IDENTITY_ATTACK, INSULT, PROFANITY, THREAT, "
        "SEXUALLY_EXPLICIT (or the same with _EXPERIMENTAL), each with optional parameters.",
    )
    span_annotations: bool = Field(default=False, description="Also return spanScores.")
    languages: list[str] = Field(
        default_factory=list, max_length=20, description="nl and en are supported (BCP 47)."
    )
    do_not_store: bool = Field(default=False, description="Nothing is ever stored on this endpoint.")
    client_token: str | None = Field(default=None, max_length=10_000, description="Echoed back.")
    session_id: str | None = Field(default=None, max_length=10_000, description="Ignored.")
    community_id: str | None = Field(default=None, max_length=10_000, description="Ignored.")


class Score(BaseModel):
    value: float
    type: Literal["PROBABILITY"] = "PROBABILITY"


class SpanScore(BaseModel):
    begin: int = Field(description="Start offset in the original text, in Unicode code points.")
    end: int = Field(description="End offset (exclusive), in Unicode code points.")
    score: Score


class AttributeScore(BaseModel):
    summaryScore: Score
    spanScores: list[SpanScore] | None = None


class AnalyzeCommentResponse(BaseModel):
    attributeScores: dict[str, AttributeScore]
    languages: list[str]
    detectedLanguages: list[str]
    clientToken: str | None = None


class GoogleError(BaseModel):
    code: int
    message: str
    status: str
    details: list[dict[str, object]] = Field(default_factory=list)


class GoogleErrorBody(BaseModel):
    """Google's API error shape, on every error of this endpoint."""

    error: GoogleError
