"""Advice for the reporter, by severity (domain rubric). Dutch, as shown to officials."""

from __future__ import annotations

from typing import Final

from triage.engine.labels import Severity
from triage.service.schemas import Advice

_ADVICE: Final[dict[str, tuple[str, list[str]]]] = {
    "critical": (
        "Veiligheid eerst",
        [
            "Ben je nu in gevaar? Bel direct 112.",
            "Breng jezelf en je naasten in veiligheid en licht je leidinggevende of de griffie in.",
            "Doe aangifte bij de politie; gebruik het adres van je organisatie, niet je huisadres.",
            "Het Ondersteuningsteam Weerbaar Bestuur is 24/7 bereikbaar voor advies en nazorg.",
        ],
    ),
    "high": (
        "Aangifte aangeraden",
        [
            "Doe aangifte bij de politie, bij voorkeur binnen twee werkdagen.",
            "Je melding wordt geregistreerd (GIR) en door een behandelaar bekeken.",
            "Het ondersteuningsteam kan je helpen met de volgende stappen.",
        ],
    ),
    "medium": (
        "Registreren, aangifte overwegen",
        [
            "Je melding wordt geregistreerd en bekeken.",
            "Overweeg aangifte (belediging of discriminatie); een behandelaar denkt met je mee.",
        ],
    ),
    "low": (
        "Geregistreerd",
        ["Je melding wordt geregistreerd; verdere actie is meestal niet nodig.", "Blijf melden."],
    ),
    "none": (
        "Geen schadelijke inhoud gevonden",
        [
            "De automatische beoordeling vond geen bedreiging of belediging.",
            "Voelt het anders? Een behandelaar kijkt mee; je kunt altijd contact opnemen.",
        ],
    ),
}


def advice_for(severity: Severity) -> Advice:
    title, steps = _ADVICE[severity]
    return Advice(severity=severity, title=title, steps=list(steps))
