"""Behaviour of the shipped model, in Dutch: invariance, direction, and what must not fire."""

from __future__ import annotations

import pytest

from triage.engine import Engine
from triage.engine.labels import ATTACK_LABELS, severity_rank


def attacks(engine: Engine, text: str) -> set[str]:
    return ATTACK_LABELS & set(engine.classify(text).flags)


@pytest.mark.parametrize(
    "text",
    [
        "Ik ga je heus niet slaan hoor, rustig maar.",
        "Niemand gaat u iets aandoen, wethouder, maar we zijn wel boos.",
        "Wie 'ik haat vrouwen' zegt, discrimineert. Punt.",
        "Vandaag kreeg ik weer een bericht: 'we weten waar je woont'. Ik heb aangifte gedaan.",
        "Burgemeester van Oosterhout ontvangt doodsbedreigingen, politie onderzoekt de zaak.",
        "Die motie gaat de oppositie afmaken in het debat van donderdag.",
        "Met deze begroting schiet het college zichzelf in de voet.",
        "Wat een aanslag op de portemonnee, die nieuwe parkeertarieven.",
        "Treed af! Uw beleid is een schande voor deze stad.",
        "Ik ga u bij de verkiezingen wegstemmen, reken maar.",
        "Mooie speech gisteren in de raad, complimenten!",
    ],
)
def test_not_an_attack(engine: Engine, text: str) -> None:
    assert attacks(engine, text) == set()
    assert severity_rank(engine.classify(text).severity) <= severity_rank("low")


@pytest.mark.parametrize(
    "text",
    [
        "Als moslima zit ik met trots in de gemeenteraad.",
        "De homo-emancipatienota wordt morgen besproken.",
        "Mijn Turkse buren hebben de hele straat geholpen met de verhuizing.",
        "De joodse gemeenschap herdenkt vandaag de slachtoffers.",
        "Wachtlijsten voor transgenderzorg zijn veel te lang, wethouder.",
        "Als zwarte vrouw in de politiek word je vaak niet gehoord, zei ze in het interview.",
        "Er komen meer plekken voor mensen met een handicap in het nieuwe plan.",
        "Een Marokkaanse ondernemer opent een bakkerij op het plein.",
    ],
)
def test_neutral_identity_mentions_are_not_flagged(engine: Engine, text: str) -> None:
    assert attacks(engine, text) == set()


@pytest.mark.parametrize(
    ("plain", "perturbed"),
    [
        ("ik ga je vermoorden", "ik ga je v3rm00rd3n"),
        ("ik ga je vermoorden", "ik ga je v e r m o o r d e n"),
        ("vuile kankerhoer", "vuile k4nk3rh03r"),
        ("jij bent een kankerlijer", "jij bent een kankerlijerrrrr"),
        ("we weten waar je woont", "we weten waar je wonet"),
        ("ik maak je af", "ikmaakjeaf"),
        ("je bent een vieze hoer", "je bent een vieze h o e r"),
    ],
)
def test_spelling_perturbations_keep_the_flag(engine: Engine, plain: str, perturbed: str) -> None:
    expected = attacks(engine, plain)
    assert expected, f"{plain!r} should be flagged"
    assert attacks(engine, perturbed) & expected


@pytest.mark.parametrize(
    ("template", "names"),
    [
        ("{} is een waardeloze leugenaar en een vuile rat", ("wethouder Jansen", "wethouder Yilmaz")),
        ("Ik ga {} opwachten na de raadsvergadering en dan is het klaar", ("Pieter", "Fatima")),
        (
            "{}, u heeft de begroting weer eens verknoeid, aftreden!",
            ("Burgemeester de Vries", "Burgemeester Ouali"),
        ),
        ("Ik hoop dat {} een hartaanval krijgt", ("hij", "zij")),
    ],
)
def test_swapping_name_or_gender_keeps_the_verdict(
    engine: Engine, template: str, names: tuple[str, str]
) -> None:
    first, second = (engine.classify(template.format(name)) for name in names)
    assert ATTACK_LABELS & set(first.flags) == ATTACK_LABELS & set(second.flags)
    assert first.severity == second.severity


@pytest.mark.parametrize(
    "text",
    [
        "Wat een kutbeleid van dit college.",
        "Jij bent echt een sukkel, wethouder.",
        "Uw plannen voor het centrum zijn belachelijk.",
        "Vuile moslimhater, ga weg uit de raad.",
    ],
)
def test_adding_an_explicit_threat_raises_severity(engine: Engine, text: str) -> None:
    before = engine.classify(text)
    after = engine.classify(text + " Ik weet waar je woont en ik kom je vanavond met een mes halen.")
    assert severity_rank(after.severity) > severity_rank(before.severity)
    assert after.severity_score > before.severity_score
    assert after.severity in ("high", "critical")


@pytest.mark.parametrize(
    "text",
    [
        "Mijn adres is Zandpad 14, 3601 NA Maarssen, voor als u de stukken per post wilt sturen.",
        "Hoi Pim, bel me even, 06-12093847. Over de fietsenstalling bij de school.",
        "Te koop: mijn eigen Opel, kenteken 62-LN-BG, vraagprijs 3.250. Bellen naar 06-48817211.",
        "Beste wethouder, ik woon Van Hallstraat 88-3. Sinds januari lekt het dak bij de kinderen.",
        "Gemeente, bij ons op de Wilgenhof 22 (7415 ZK Deventer) staat al dagen een aanhanger.",
    ],
)
def test_the_writers_own_contact_details_are_not_doxxing(engine: Engine, text: str) -> None:
    assert "doxxing" not in engine.classify(text).flags


@pytest.mark.parametrize(
    "text",
    [
        "Jij woont op Zandpad 14, 3601 NA Maarssen. We komen eraan.",
        "Ik woon aan de Kerkstraat 42, net als jij, ik zie je elke ochtend met je dochter.",
        "Wij wonen naast je, Lindelaan 4, en we houden je in de gaten wethouder.",
    ],
)
def test_someone_elses_address_with_menace_is_doxxing(engine: Engine, text: str) -> None:
    assert "doxxing" in engine.classify(text).flags
