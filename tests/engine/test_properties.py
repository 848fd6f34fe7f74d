"""Properties of the whole engine over arbitrary Unicode: it never raises, spans stay inside the
original text, and normalisation is idempotent. Modest example counts; the engine loads once."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage.engine import Engine
from triage.engine.normalize import normalize

WORDS = ["ik", "maak", "je", "af", "kanker", "hoer", "dood", "wethouder", "K4NKER", "v3rm00rd3n", "@boos",
         "https://x.com/a", "#raad", "\u202e", "\u200b", "één", "сука", "🙂", "\x00", "\ufeff", "\n"]  # fmt: skip
# Any code point, lone surrogates and private use included, mixed with words the rules react to.
ANY_CHAR = st.characters(codec=None, categories=None)
TEXTS = st.lists(st.one_of(st.sampled_from(WORDS), st.text(ANY_CHAR, max_size=12)), max_size=30).map(" ".join)
BOUNDED = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@BOUNDED
@given(TEXTS)
def test_classify_never_raises_and_spans_stay_inside(engine: Engine, text: str) -> None:
    verdict = engine.classify(text)
    assert 0.0 <= verdict.severity_score <= 1.0
    for span in verdict.spans:
        assert 0 <= span.start <= span.end <= len(text), (span, len(text))


@BOUNDED
@given(st.text(ANY_CHAR, max_size=200))
def test_classify_never_raises_for_any_unicode_string(engine: Engine, text: str) -> None:
    verdict = engine.classify(text, recipient="de wethouder")
    assert all(0 <= s.start <= s.end <= len(text) for s in verdict.spans)


@settings(max_examples=20, deadline=None)
@given(st.lists(TEXTS, min_size=1, max_size=5))
def test_batch_and_single_agree(engine: Engine, texts: list[str]) -> None:
    batch = engine.classify_many(texts)
    assert [v.severity for v in batch] == [engine.classify(t).severity for t in texts]


@BOUNDED
@given(TEXTS)
def test_normalisation_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once.text).text == once.text
    assert len(once.starts) == len(once.ends) == len(once.text)
    assert all(0 <= s <= len(text) for s in once.starts) and all(0 <= e <= len(text) for e in once.ends)
