"""A group defended against a derogatory claim: the `cue:defence` scope and what scoring does with it.

The model reads "transgenders zijn geen gevaar" as it reads "transgenders zijn een gevaar" (the
same words but one); the cue damps its identity hate where the sentence denies the claim, and not
where a "maar" takes the denial back or the predicate is itself derogatory."""

from __future__ import annotations

import numpy as np
import pytest
from spacy.language import Language

from triage.engine.analysis import Analysis, RuleHit
from triage.engine.labels import LABELS
from triage.engine.normalize import normalize
from triage.engine.rules import RuleSet
from triage.engine.scoring import SUPPRESSED_FACTOR, combine


def defended(ruleset: RuleSet, nlp: Language, text: str) -> bool:
    normalized = normalize(text)
    hits = ruleset.apply(normalized, nlp(normalized.text))
    return any(hit.label == "cue:defence" for hit in hits)


@pytest.mark.parametrize(
    "text",
    [
        "Transgenders zijn absoluut geen gevaar voor kinderen.",
        "Joden zijn niet de oorzaak van de woningnood.",
        "Vluchtelingen zijn geen criminelen, ze zijn mensen op de vlucht.",
        "Het is niet zo dat gehandicapten een last zijn voor de samenleving.",
        "Niemand zou mogen zeggen dat vrouwen niet kunnen besturen.",
        "Ik zou nooit beweren dat homo's ziek zijn.",
        "Het is een mythe dat Marokkanen lui zijn.",
    ],
)
def test_a_denied_claim_about_a_group_is_a_defence(ruleset: RuleSet, nlp: Language, text: str) -> None:
    assert defended(ruleset, nlp, text), text


@pytest.mark.parametrize(
    "text",
    [
        "Moslims zijn niet te vertrouwen.",  # the negation is the derogation
        "Marokkanen zijn geen mensen, het zijn beesten.",
        "Het is niet zo dat ik iets tegen Polen heb, maar ze zijn wel lui.",  # the "maar" takes it back
        "Asielzoekers zijn niet lui, maar wel crimineel.",
        "Vrouwen zijn een gevaar in de politiek.",
    ],
)
def test_a_derogation_is_not_a_defence(ruleset: RuleSet, nlp: Language, text: str) -> None:
    assert not defended(ruleset, nlp, text), text


def _analysis(*labels: str) -> Analysis:
    analysis = Analysis(
        original="Transgenders zijn geen gevaar", normalized=normalize("transgenders zijn geen gevaar")
    )
    analysis.hits = [RuleHit("test", label, 0, 12, 0.9) for label in labels]
    return analysis


def test_the_defence_damps_the_models_identity_hate_unless_a_rule_saw_hate() -> None:
    model = np.zeros(len(LABELS))
    model[LABELS.index("identity_hate")] = 0.8
    plain = combine(_analysis("cue:group"), model)["identity_hate"]
    defended_score = combine(_analysis("cue:group", "cue:defence"), model)["identity_hate"]
    assert defended_score == pytest.approx(plain * SUPPRESSED_FACTOR)
    with_rule = combine(_analysis("cue:group", "cue:defence", "identity_hate"), model)["identity_hate"]
    assert with_rule >= 0.9
