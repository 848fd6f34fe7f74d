"""Perspective API compatibility: our seven labels as Perspective's attributes, and the checks on a request.

Perspective (closing 31 Dec 2026) scores a comment on attributes; our engine gives seven label
probabilities, a severity and evidence spans. The mapping, and why:

- TOXICITY ("rude, disrespectful or unreasonable; likely to make someone leave a discussion") is the
  highest of the attack labels (threat, incitement, doxxing, sexual, identity_hate, insult) and 0.8 x
  profanity. The maximum, not a noisy-OR: the labels are strongly correlated (a threat usually comes
  with an insult), and a noisy-OR would push two middling labels over a client's threshold. Swearing
  alone is toxic in Perspective's sense, so it counts, but a little below an attack.
- SEVERE_TOXICITY ("very hateful, aggressive; much less sensitive to mild profanity") is the engine's
  severity_score: the rubric's level in bands of 0.2 (none < 0.2, low < 0.4, medium < 0.6, high < 0.8,
  critical >= 0.8), placed in its band by the confidence of the flags that earned it. Swearing and
  plain insults stay below 0.4; a threat scores >= 0.6; a threat with an address >= 0.8.
- IDENTITY_ATTACK = identity_hate; INSULT = insult; PROFANITY = profanity; SEXUALLY_EXPLICIT = sexual
  (ours is sexual harassment and sexualised abuse, the part of Perspective's attribute that matters here).
- THREAT = max(threat, incitement): Perspective's THREAT ("an intention to inflict pain, injury or
  violence against an individual or group") includes calling on others to do it.
- The `_EXPERIMENTAL` names Perspective once had (TOXICITY_EXPERIMENTAL, ...) give the same scores.

Span scores: for each evidence span whose label counts for the attribute, its label's weight x the
label's probability (for SEVERE_TOXICITY: severity_score x the label's probability); overlapping spans
are merged (the higher score), so the spans are disjoint like Perspective's. Where the engine found no
evidence for an attribute, one span covers the whole text with the summary score (Perspective's spans
also cover the text). Offsets are Python string indices into the original text: Unicode code points,
as Perspective counts them.

Languages: the engine scores Dutch and English. `languages` in a request (BCP 47: `nl`, `nl-BE`,
`en-US`) must be among them; without it the detected language must be (a text too short to tell is
taken as Dutch). Otherwise the answer is Perspective's LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from triage.engine.analyzer import MAX_CHARS
from triage.engine.verdict import Verdict
from triage.errors import InvalidInput, UnsupportedLanguage
from triage.service.perspective_schemas import (
    AnalyzeCommentRequest,
    AnalyzeCommentResponse,
    AttributeParameters,
    AttributeScore,
    Score,
    SpanScore,
)

SCORE_TYPE: Final = "PROBABILITY"
SUPPORTED_LANGUAGES: Final = ("nl", "en")
EXPERIMENTAL: Final = "_EXPERIMENTAL"
PROFANITY_IN_TOXICITY: Final = 0.8
ATTACKS: Final = ("threat", "incitement", "doxxing", "sexual", "identity_hate", "insult")


@dataclass(frozen=True, slots=True)
class Attribute:
    """A Perspective attribute: the highest of weight x probability over `weights` (our labels), or,
    with `severity`, the engine's severity_score (the labels then say which spans count)."""

    weights: Mapping[str, float]
    severity: bool = False


ATTRIBUTES: Final[Mapping[str, Attribute]] = {
    "TOXICITY": Attribute({**dict.fromkeys(ATTACKS, 1.0), "profanity": PROFANITY_IN_TOXICITY}),
    "SEVERE_TOXICITY": Attribute(
        dict.fromkeys(("threat", "incitement", "doxxing", "identity_hate", "sexual"), 1.0), severity=True
    ),
    "IDENTITY_ATTACK": Attribute({"identity_hate": 1.0}),
    "INSULT": Attribute({"insult": 1.0}),
    "PROFANITY": Attribute({"profanity": 1.0}),
    "THREAT": Attribute({"threat": 1.0, "incitement": 1.0}),
    "SEXUALLY_EXPLICIT": Attribute({"sexual": 1.0}),
}


def attribute(name: str) -> Attribute | None:
    return ATTRIBUTES.get(name.removesuffix(EXPERIMENTAL))


def text_limit(service_limit: int) -> int:
    """The longest comment scored, in code points: the service's limit, and never more than the engine
    reads (it would score only the start of a longer text)."""
    return min(service_limit, MAX_CHARS)


def check_request(request: AnalyzeCommentRequest, max_chars: int) -> list[str]:
    """Refuses what Perspective refuses, before the engine runs; returns the requested attribute names."""
    comment = request.comment
    if comment.type == "HTML":
        raise InvalidInput("Comment type HTML is not supported; send the text as PLAIN_TEXT.")
    if not comment.text.strip():
        raise InvalidInput("Comment must be non-empty.")
    if len(comment.text) > max_chars:
        raise InvalidInput(f"Comment text too long: at most {max_chars} characters (Unicode code points).")
    try:
        comment.text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput("Comment text is not valid Unicode (a lone surrogate).") from None
    names = list(request.requested_attributes)
    if not names:
        raise InvalidInput("requestedAttributes must name at least one attribute.")
    for name, parameters in request.requested_attributes.items():
        if attribute(name) is None:
            known = ", ".join(ATTRIBUTES)
            raise InvalidInput(f"Unknown attribute: {name}. This server scores {known}.")
        if parameters.score_type not in (None, SCORE_TYPE, "SCORE_TYPE_UNSPECIFIED"):
            raise InvalidInput(f"Score type {parameters.score_type} is not supported; only {SCORE_TYPE}.")
    for language in request.languages:
        if _primary(language) not in SUPPORTED_LANGUAGES:
            raise _unsupported(names[0], [language])
    return names


def build_response(
    request: AnalyzeCommentRequest, names: Sequence[str], verdict: Verdict
) -> AnalyzeCommentResponse:
    detected = [] if verdict.language == "und" else [verdict.language]
    if not request.languages and detected and detected[0] not in SUPPORTED_LANGUAGES:
        raise _unsupported(names[0], detected)
    scores: dict[str, AttributeScore] = {}
    for name in names:
        parameters = request.requested_attributes[name]
        found = attribute(name)
        assert found is not None  # check_request refused unknown names
        summary = _summary(found, verdict)
        threshold = _threshold(parameters)
        if summary < threshold:
            continue  # Perspective leaves out an attribute below the requested threshold
        spans = (
            _spans(found, verdict, summary, len(request.comment.text)) if request.span_annotations else None
        )
        scores[name] = AttributeScore(
            summaryScore=Score(value=round(summary, 4)),
            spanScores=None if spans is None else [s for s in spans if s.score.value >= threshold],
        )
    return AnalyzeCommentResponse(
        attributeScores=scores,
        languages=list(request.languages) or detected or ["nl"],
        detectedLanguages=detected,
        clientToken=request.client_token,
    )


def _primary(language: str) -> str:
    return language.replace("_", "-").split("-", 1)[0].strip().lower()


def _unsupported(name: str, languages: list[str]) -> UnsupportedLanguage:
    return UnsupportedLanguage(
        f"Attribute {name} does not support request languages: {', '.join(languages)}", languages, name
    )


def _threshold(parameters: AttributeParameters) -> float:
    return parameters.score_threshold if parameters.score_threshold is not None else 0.0


def _summary(found: Attribute, verdict: Verdict) -> float:
    if found.severity:
        return verdict.severity_score
    return max(weight * verdict.labels.get(label, 0.0) for label, weight in found.weights.items())


def _spans(found: Attribute, verdict: Verdict, summary: float, text_length: int) -> list[SpanScore]:
    scale = verdict.severity_score if found.severity else 1.0
    parts = sorted(
        (span.start, span.end, scale * found.weights[span.label] * verdict.labels.get(span.label, 0.0))
        for span in verdict.spans
        if span.label in found.weights and span.end > span.start
    )
    merged: list[tuple[int, int, float]] = []
    for start, end, score in parts:
        if merged and start < merged[-1][1]:  # overlaps the previous one: one span, the higher score
            begin, last_end, last_score = merged[-1]
            merged[-1] = (begin, max(last_end, end), max(last_score, score))
        else:
            merged.append((start, end, score))
    if not merged:
        merged = [(0, text_length, summary)]
    return [SpanScore(begin=b, end=e, score=Score(value=round(v, 4))) for b, e, v in merged]
