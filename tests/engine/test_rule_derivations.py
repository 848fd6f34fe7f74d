from pathlib import Path

import pytest

from triage.engine.normalize import normalize
from triage.engine.rules import RuleSet
from triage.engine.rules.derivations import cache_file
from triage.engine.tokenize import build_tokenizer

TEXTS = [
    "Ik ga je vermoorden, vuile kankerhoer. Ik weet waar je woont: Lindelaan 12, 3512 AB.",
    "Die motie gaat de oppositie afmaken.",
    "Stelletje landverraders in de raad, hopelijk krepeert hij.",
]


def test_cached_derivations_give_the_same_hits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(tmp_path))
    nlp = build_tokenizer()
    fresh = RuleSet.load()
    assert cache_file().is_file()
    cached = RuleSet.load()
    for text in TEXTS:
        normalized = normalize(text)
        doc = nlp(normalized.text)
        assert cached.apply(normalized, doc) == fresh.apply(normalized, doc)


def test_a_damaged_cache_is_recomputed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(tmp_path))
    cache_file().write_text("{not json", encoding="utf-8")
    rules = RuleSet.load()
    assert rules.rule_ids
    assert cache_file().read_text(encoding="utf-8").startswith("{")


def test_a_token_matches_every_anchor_it_starts_with() -> None:
    from triage.engine.rules.anchors import AnchorIndex

    index = AnchorIndex([[frozenset({"🪓"})], [frozenset({"moord", "moor"})], [frozenset({"kanker"})]])
    assert index.candidates(["🪓🪓🪓", "voor", "kevin"]) == {0}  # a repeated emoji starts with the emoji
    assert index.candidates(["moordenaar"]) == {1}
    assert index.candidates(["kank", "moo"]) == set()


def test_a_repeated_weapon_emoji_is_read_as_one() -> None:
    from triage.engine.analyzer import Analyzer

    (analysis,) = Analyzer.build().analyse_many(["🪓🪓 voor kevin"])
    assert analysis.active_hits("cue:violence_emoji")


@pytest.mark.parametrize(
    ("regex", "anchors"),
    [
        # a lookahead takes no text; nested alternatives each give their most selective word
        (
            r"\b(?!op\s?wachten\b)(?:(?:vermoord\w*|in elkaar slaan)|de\s+nek\s+omdraaien|dood)\b",
            {"vermoord", "elkaar", "omdraaien", "dood"},
        ),
        (r"\b(?:af maken|te grazen nemen)\b", {"maken", "grazen"}),
        (r"\b(?:oe+h\s+oe+h|apengeluiden)\b", {"oe", "apengeluiden"}),
    ],
)
def test_alternatives_are_gated_by_their_most_selective_words(regex: str, anchors: set[str]) -> None:
    from triage.engine.rules.anchors import _derive_anchors

    assert _derive_anchors(regex) == [frozenset(anchors)]


def test_an_alternative_without_a_usable_word_makes_the_regex_always_run() -> None:
    from triage.engine.rules.anchors import _derive_anchors

    assert _derive_anchors(r"\b(?:\w+|dood)\b") == []
