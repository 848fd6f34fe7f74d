"""Articles of the Dutch Criminal Code (Wetboek van Strafrecht) that a verdict may point to.

Always an indication for support staff, never legal advice; the wording says so.
"""

from __future__ import annotations

from triage.engine.analysis import Analysis
from triage.engine.verdict import LegalRef

INDICATION = "Indicatie voor medewerkers, geen juridisch advies."

_ARTICLES = {
    "285": "Bedreiging (art. 285 Sr)",
    "285d": "Doxing (art. 285d Sr)",
    "266": "Belediging (art. 266 Sr)",
    "267": "Belediging van een ambtenaar in functie (art. 267 Sr)",
    "131": "Opruiing (art. 131 Sr)",
    "137c": "Groepsbelediging (art. 137c Sr)",
    "137d": "Haatzaaien (art. 137d Sr)",
}


def _ref(article: str, reason: str) -> LegalRef:
    return LegalRef(article=f"{article} Sr", name=_ARTICLES[article], reason=f"{reason} {INDICATION}")


def legal_indications(analysis: Analysis) -> list[LegalRef]:
    flags = set(analysis.flags)
    official = analysis.target in ("person", "office")
    refs: list[LegalRef] = []
    if "threat" in flags:
        refs.append(
            _ref(
                "285",
                "Dreiging met een ernstig misdrijf (bijv. tegen het leven, zware mishandeling,"
                " verkrachting of brandstichting) kan bedreiging zijn als redelijke vrees kan ontstaan.",
            )
        )
    if "doxxing" in flags:
        refs.append(
            _ref(
                "285d",
                "Het verspreiden van persoonsgegevens om iemand in ambt of werk te intimideren"
                " of te hinderen kan doxing zijn; zwaarder bij bestuurders en raadsleden.",
            )
        )
    if "incitement" in flags:
        if analysis.target == "group":
            refs.append(
                _ref(
                    "137d", "Oproepen tot haat, discriminatie of geweld tegen een groep kan haatzaaien zijn."
                )
            )
        else:
            refs.append(_ref("131", "Openlijk oproepen tot geweld of een strafbaar feit kan opruiing zijn."))
    if flags & {"insult", "sexual"} and analysis.target != "group":
        refs.append(_ref("266", "Opzettelijke belediging van een persoon kan strafbaar zijn."))
        if official:
            refs.append(
                _ref(
                    "267",
                    "Belediging van een ambtenaar tijdens of vanwege de uitoefening van het ambt:"
                    " strafverhoging met een derde, geen klacht nodig.",
                )
            )
    if "identity_hate" in flags:
        if analysis.target == "group":
            refs.append(
                _ref(
                    "137c",
                    "Openbare belediging van een groep om ras, godsdienst, seksuele gerichtheid"
                    " of handicap kan groepsbelediging zijn.",
                )
            )
        elif not any(ref.article == "266 Sr" for ref in refs):
            refs.append(_ref("266", "Belediging om een persoonlijk kenmerk kan strafbaar zijn."))
    return refs
