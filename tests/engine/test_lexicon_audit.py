"""The lexicon audit (fourth batch): new insults, slurs and compounds fire, inflected and compounded;
words with an everyday sense stay quiet in harmless sentences."""

from __future__ import annotations

import pytest
from spacy.language import Language

from triage.engine.analysis import RuleHit
from triage.engine.normalize import normalize
from triage.engine.rules import RuleSet
from triage.engine.rules.patterns import CUE_LABELS
from triage.engine.severity import SEVERE_INSULT_WEIGHT


def run(ruleset: RuleSet, nlp: Language, text: str) -> list[RuleHit]:
    normalized = normalize(text)
    return ruleset.apply(normalized, nlp(normalized.text))


def active_labels(hits: list[RuleHit]) -> set[str]:
    return {hit.label for hit in hits if hit.active and hit.label not in CUE_LABELS}


# (text, rule id that must fire, label it must fire with)
FIRES = [
    # plain insults, bare and aimed, with their inflected forms
    ("lullo", "lex.insult.449", "insult"),
    ("die wethouder is een zwakkeling", "lex.insult.450", "insult"),
    ("zwakkelingen zijn het, allemaal", "lex.insult.450", "insult"),
    ("jij lamstraal", "lex.insult.451", "insult"),
    ("labieltje van 't stadhuis", "lex.insult.453", "insult"),
    ("wat een matennaaiers in die raad", "lex.insult.473", "insult"),
    ("@Bertus78 nitwit, lees eerst het artikel", "lex.insult.463", "insult"),
    ("die zielepiet van een wethouder", "lex.insult.466", "insult"),
    ("allemaal zielenpoten in die raad", "lex.insult.397", "insult"),
    ("Etterbak. Ge hebt de zwemvereniging laten vallen", "lex.insult.072", "insult"),
    ("jij etterbakje", "lex.insult.072", "insult"),
    ("jij etter", "lex.insult.493", "insult"),
    ("wat een prutser is die wethouder", "lex.insult.460", "insult"),
    ("de ambtenaren zijn pennenlikkers", "lex.insult.486", "insult"),
    ("zwakke neef, je zei dat je voor ons was. snitch", "lex.insult.477", "insult"),
    ("jij mislukte abortus", "lex.insult.471", "insult"),
    ("stomme inteeltkoppen van de klei", "lex.insult.472", "insult"),
    ("die burgemeester is een nepperd", "lex.insult.476", "insult"),
    ("wat een kwast", "lex.insult.494", "insult"),
    ("die gedeputeerde is een schijnheilige kwast", "lex.insult.494", "insult"),
    ("hoofddoek af of wegwezen, domme muts", "lex.insult.502", "insult"),
    ("die griffier zit er voor spek en bonen, suffe trien", "lex.insult.503", "insult"),
    ("die vermeulen is een kille feeks", "lex.insult.497", "insult"),
    ("Stoffels is een opgeblazen kikker", "lex.insult.521", "insult"),
    # straattaal, Turkish
    ("sir t9awed", "lex.insult.510", "insult"),
    ("hallouf", "lex.insult.507", "insult"),
    ("kosomak", "lex.sex.066", "sexual"),
    # dehumanising, aimed where the word has an everyday sense
    ("die stomme ondermensen", "lex.dehum.070", "insult"),
    ("die burgemeester is een rioolrat", "lex.dehum.071", "insult"),
    ("minister Grootveld is een lintworm in het lichaam van Nederland", "lex.dehum.073", "insult"),
    # slurs
    ("die vuile nicht woont op de Kerkweg", "lex.lgbt.044", "identity_hate"),
    ("Ne nicht die ons gaat vertellen hoe we moeten boeren", "lex.lgbt.044", "identity_hate"),
    ("kijk hoe hij loopt, nichterig mannetje", "lex.lgbt.043", "identity_hate"),
    ("wat een nichterige kerel", "lex.lgbt.043", "identity_hate"),
    ("een lekkere kont voor een kopvoddendraagster", "lex.rel.039", "identity_hate"),
    ("3azzi", "lex.eth.074", "identity_hate"),
    ("Chen is een vleermuizenvreter", "lex.eth.078", "identity_hate"),
    ("die oude taart van 63 moet met pensioen", "lex.gender.023", "identity_hate"),
    ("gewoon een quotavrouwtje", "lex.gender.022", "identity_hate"),
    ("da mijetje van ne schepen", "lex.lgbt.004", "identity_hate"),
    ("frigide trut", "lex.sex.063", "sexual"),
    ("jij bent de hoerenmadam van de stad", "lex.sex.065", "sexual"),
    # compounds: squeezed prefixes, the -likker head, person nouns with a double letter
    ("Tuinstra is een domme kuttenkop", "cmp.prefix.031", "insult"),
    ("pokkenwijf", "cmp.prefix.032", "insult"),
    ("pokkenwijf", "cmp.prefix.032", "identity_hate"),
    ("echt een kutmanneke", "cmp.prefix.006", "insult"),
    ("kankermannetje", "cmp.prefix.001", "insult"),
    ("kutleraar", "cmp.prefix.006", "insult"),
    ("laarzenlikkers van Brussel", "cmp.head.070", "insult"),
]


@pytest.mark.parametrize(("text", "rule_id", "label"), FIRES)
def test_new_entries_fire(ruleset: RuleSet, nlp: Language, text: str, rule_id: str, label: str) -> None:
    hits = run(ruleset, nlp, text)
    assert any(h.rule_id == rule_id and h.label == label and h.active for h in hits), hits


@pytest.mark.parametrize("text", ["jij mislukte abortus", "die stomme ondermensen"])
def test_severe_dehumanising_entries_are_severe(ruleset: RuleSet, nlp: Language, text: str) -> None:
    weights = [h.weight for h in run(ruleset, nlp, text) if h.label == "insult" and h.active]
    assert weights and max(weights) >= SEVERE_INSULT_WEIGHT


def test_lulhannes_is_no_sexual_word(ruleset: RuleSet, nlp: Language) -> None:
    labels = active_labels(run(ruleset, nlp, "wat een lulhannes ben jij"))
    assert "insult" in labels and "sexual" not in labels


# (text, labels that must NOT be active): the everyday sense of ambiguous words
QUIET = [
    ("ik heb de bank geverfd met een kwast en een pot verf", {"insult"}),
    ("mijn nicht woont in Zwolle en zit in de gemeenteraad", {"insult", "identity_hate"}),
    ("zij is een nicht van de burgemeester", {"insult", "identity_hate"}),
    ("Natasja is mijn nicht en ik ben trots op haar", {"insult", "identity_hate"}),
    ("zet je muts op, het is koud vandaag", {"insult"}),
    ("tante Trien komt morgen op bezoek", {"insult"}),
    ("de wond zat vol etter", {"insult"}),
    ("er zitten rioolratten in de kelder van ons complex, kan de gemeente iets doen?", {"insult"}),
    ("interessant stuk over de lintworm als parasiet", {"insult"}),
    ("de mestvarkens op de boerderij van mijn buurman", {"insult"}),
    ("we aten een pannenkoek in het dorpshuis", {"insult"}),
    ("Judas verraadde Jezus volgens de bijbel", {"insult"}),
    ("ik keek gisteren een zombiefilm met mijn zoon", {"insult"}),
    ("mskin, hij is ziek, wens hem beterschap", {"insult"}),
    ("mijn kasplantje staat op de vensterbank", {"insult", "identity_hate"}),
    ("de patiënt werd hersendood verklaard", {"insult"}),
    ("alle meelopers van de avondvierdaagse kregen een medaille", {"insult"}),
    ("ik ben een echte muziekfreak", {"insult"}),
    ("de pokkenvaccinatie van de GGD begint maandag", {"insult", "profanity"}),
    ("lul niet, de raad heeft gewoon gestemd", {"insult", "sexual"}),
    ("de beunhazen in de bouw moeten worden aangepakt", {"insult"}),
    # reported and mentioned, not used
    ("ik werd gisteren uitgescholden voor zwakkeling", {"insult"}),
    ("mensen die anderen nitwit noemen moeten zich schamen", {"insult"}),
]


@pytest.mark.parametrize(("text", "forbidden"), QUIET)
def test_everyday_senses_stay_quiet(ruleset: RuleSet, nlp: Language, text: str, forbidden: set[str]) -> None:
    labels = active_labels(run(ruleset, nlp, text))
    assert not labels & forbidden, f"{text!r}: {sorted(labels)}"
