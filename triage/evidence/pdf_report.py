"""The Dutch report as PDF (reportlab). Paragraph parses markup, so every text is escaped first."""

from __future__ import annotations

import importlib.util
import io
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from triage.evidence.dossier import Dossier, MessageView, Pair
from triage.evidence.dutch import visible

_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu",)
PAGE_WIDTH = A4[0] - 4 * cm
MAX_IMAGE_HEIGHT = 14 * cm
CELL_LIMIT = 1500


def _font_dirs() -> list[Path]:
    dirs = [Path(d) for d in _FONT_DIRS]
    spec = importlib.util.find_spec("matplotlib")  # ships DejaVu; located without importing it
    if spec and spec.origin:
        dirs.append(Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf")
    return dirs


@lru_cache(maxsize=1)
def _fonts() -> tuple[str, str, str]:
    """(regular, bold, mono): DejaVu when found (covers far more than Latin-1), else the PDF base fonts."""
    for folder in _font_dirs():
        files = {name: folder / f"{name}.ttf" for name in ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSansMono")}
        if all(path.is_file() for path in files.values()):
            for name, path in files.items():
                pdfmetrics.registerFont(TTFont(name, str(path)))
            return "DejaVuSans", "DejaVuSans-Bold", "DejaVuSansMono"
    return "Helvetica", "Helvetica-Bold", "Courier"


class _Styles:
    def __init__(self) -> None:
        regular, bold, mono = _fonts()
        self.body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12.5, spaceAfter=4)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=8, leading=10)
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=8.5, leading=10.5, spaceAfter=0)
        self.head = ParagraphStyle("head", parent=self.cell, fontName=bold)
        self.mono = ParagraphStyle("mono", parent=self.cell, fontName=mono, fontSize=7.5, leading=9.5)
        self.text = ParagraphStyle(
            "text",
            parent=self.body,
            fontName=mono,
            fontSize=9,
            leading=11.5,
            borderColor=colors.grey,
            borderWidth=0.5,
            borderPadding=5,
            backColor=colors.HexColor("#f7f7f7"),
            spaceBefore=4,
            spaceAfter=8,
        )
        self.h1 = ParagraphStyle("h1", parent=self.body, fontName=bold, fontSize=16, leading=20, spaceAfter=8)
        self.h2 = ParagraphStyle(
            "h2", parent=self.body, fontName=bold, fontSize=12.5, leading=16, spaceBefore=10
        )
        self.h3 = ParagraphStyle(
            "h3", parent=self.body, fontName=bold, fontSize=10.5, leading=13, spaceBefore=6
        )
        self.warn = ParagraphStyle(
            "warn", parent=self.body, fontName=bold, textColor=colors.HexColor("#aa0000")
        )
        self.machine = ParagraphStyle("machine", parent=self.h3, textColor=colors.HexColor("#884400"))


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(visible(text)).replace("\n", "<br/>"), style)


def _cell(text: str, style: ParagraphStyle) -> Paragraph:
    """A table row cannot break across pages: very long values are cut here (complete in the JSON files)."""
    if len(text) > CELL_LIMIT:
        text = text[:CELL_LIMIT] + f"… [ingekort: {len(text)} tekens; volledig in de JSON-bestanden]"
    return _p(text, style)


def _table(rows: list[Pair], s: _Styles, mono_keys: frozenset[str] = frozenset()) -> Table:
    data = [[_cell(k, s.head), _cell(v, s.mono if k in mono_keys else s.cell)] for k, v in rows]
    return _grid(data, [5 * cm, PAGE_WIDTH - 5 * cm])


def _grid(data: list[list[Flowable]], widths: list[float], header: bool = False) -> Table:
    table = Table(data, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        (
            "BACKGROUND",
            (0, 0),
            (0 if not header else -1, -1 if not header else 0),
            colors.HexColor("#eeeeee"),
        ),
    ]
    table.setStyle(TableStyle(style))
    return table


def _rows(header: list[str], rows: list[list[str]], s: _Styles, widths: list[float]) -> Table:
    data = [[_p(h, s.head) for h in header]] + [[_cell(cell, s.cell) for cell in row] for row in rows]
    return _grid(data, widths, header=True)


def _image(preview: bytes) -> Image:
    image = Image(io.BytesIO(preview))
    scale = min(PAGE_WIDTH * 0.8 / image.imageWidth, MAX_IMAGE_HEIGHT / image.imageHeight, 1.0)
    image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
    image.hAlign = "LEFT"
    return image


def _message(m: MessageView, s: _Styles) -> list[Flowable]:
    story: list[Flowable] = [_p(m.heading, s.h3), _table(m.facts, s)]
    story.append(_p(f"Tekst zoals ontvangen (origineel byte voor byte in {m.text_path}):", s.body))
    story.append(_p(m.text_shown or " ", s.text))
    story += [_p(note, s.warn) for note in m.text_notes]
    story.append(
        _table(
            [("SHA-256 bij ontvangst", m.text_intake_sha256), ("SHA-256 in dit dossier", m.text_sha256)],
            s,
            frozenset({"SHA-256 bij ontvangst", "SHA-256 in dit dossier"}),
        )
    )
    if not m.intact:
        story.append(_p("LET OP: een bestand van dit bericht wijkt af van de SHA-256 bij ontvangst.", s.warn))
    if m.context:
        story += [_p("Context (eerdere berichten in de draad)", s.head), _table(m.context, s)]
    hashes = frozenset({"Bestand in dossier", "SHA-256 bij ontvangst", "SHA-256 in dit dossier"})
    for number, a in enumerate(m.attachments, start=1):
        rows = [
            ("Naam zoals aangeleverd", a.original_name),
            ("Bestand in dossier", a.path),
            ("Type, grootte", f"{a.content_type}, {a.size}"),
            ("SHA-256 bij ontvangst", a.intake_sha256),
            ("SHA-256 in dit dossier", a.sha256 + ("" if a.intact else "  (WIJKT AF)")),
        ]
        block: list[Flowable] = [_p(f"Bijlage {number}", s.head), _table(rows, s, hashes)]
        if a.preview:
            block.append(_image(a.preview))
        elif a.preview_note:
            block.append(_p(a.preview_note, s.small))
        story.append(KeepTogether(block))
    story.append(_p("Machinale beoordeling — automatische inschatting, geen bewijs", s.machine))
    if m.assessment:
        a_ = m.assessment
        story.append(
            _table(
                [
                    ("Ernst", f"{a_.severity} (score {a_.severity_score})"),
                    ("Gericht op", a_.target),
                    ("Labels (score)", ", ".join(f"{n} ({v})" for n, v in a_.labels) or "geen"),
                    ("Aanleiding in de tekst", "; ".join(f"{lbl}: “{ex}”" for lbl, ex in a_.spans) or "—"),
                    ("Model", a_.model + (" (tekst gelezen met OCR)" if a_.ocr else "")),
                    ("Beoordeeld op", a_.assessed_at),
                ],
                s,
            )
        )
    else:
        story.append(_p("Geen machinale beoordeling.", s.body))
    story.append(_p(f"Beoordeling door medewerkers (ernst na beoordeling: {m.final_severity})", s.head))
    if m.reviews:
        w = PAGE_WIDTH
        story.append(
            _rows(
                ["Tijdstip", "Door", "Besluit", "Labels", "Ernst", "Toelichting"],
                m.reviews,
                s,
                [0.22 * w, 0.18 * w, 0.12 * w, 0.18 * w, 0.1 * w, 0.2 * w],
            )
        )
    else:
        story.append(_p("Nog niet beoordeeld.", s.body))
    if m.follow_ups:
        w = PAGE_WIDTH
        story += [
            _p("Opvolging", s.head),
            _rows(
                ["Tijdstip", "Stap", "Kenmerk", "Door", "Toelichting"],
                m.follow_ups,
                s,
                [0.24 * w, 0.2 * w, 0.18 * w, 0.18 * w, 0.2 * w],
            ),
        ]
    story.append(_p("Chain of custody (elke inzage, wijziging, export en overdracht)", s.head))
    if m.custody:
        w = PAGE_WIDTH
        story.append(
            _rows(
                ["Tijdstip", "Wie", "Wat", "Waarom", "Vanaf"],
                m.custody,
                s,
                [0.26 * w, 0.2 * w, 0.16 * w, 0.24 * w, 0.14 * w],
            )
        )
    else:
        story.append(_p("Geen vermeldingen.", s.body))
    return story


def _footer(dossier: Dossier, font: str) -> Callable[[Any, Any], None]:
    def draw(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 7)
        page = canvas.getPageNumber()
        canvas.drawString(2 * cm, 1.2 * cm, f"Bewijsdossier {dossier.bundle_id} — pagina {page}")
        canvas.restoreState()

    return draw


def render_pdf(dossier: Dossier) -> bytes:
    s = _Styles()
    o = dossier.organisation
    contact = ", ".join(p for p in (o.name, o.contact_address, o.email, o.phone) if p)
    story: list[Flowable] = [
        _p(dossier.title, s.h1),
        _p(
            f"Opgesteld voor politie (aangifte) en registratie (GIR). Contact: {contact}"
            + (f" (contactpersoon: {o.contact_person})" if o.contact_person else "")
            + ".",
            s.body,
        ),
        _p("1. Samenvatting", s.h2),
        _table(dossier.summary, s),
        _p("2. Betrokkene en publieke taak", s.h2),
    ]
    if dossier.victim:
        story.append(_table(dossier.victim, s))
    story += [_p(dossier.public_task_statement, s.body), _p("3. Tijdlijn", s.h2)]
    story.append(
        _rows(
            ["Tijdstip", "Gebeurtenis"],
            [list(row) for row in dossier.timeline],
            s,
            [0.42 * PAGE_WIDTH, 0.58 * PAGE_WIDTH],
        )
    )
    story.append(_p("4. Berichten", s.h2))
    for message in dossier.messages:
        story += _message(message, s)
        story.append(Spacer(1, 0.4 * cm))
    story += [_p("5. Mogelijk toepasselijke artikelen", s.h2), _p(dossier.disclaimer, s.small)]
    for article in dossier.articles:
        story.append(_p(article.title, s.h3))
        story += [_p("• " + element, s.body) for element in article.elements]
        story.append(_p(article.complaint, s.small))
    if not dossier.articles:
        story.append(_p("Geen artikelen aangewezen.", s.body))
    story += [
        _p("6. Registratie in GIR", s.h2),
        _table(dossier.gir, s),
        _p("7. Nazorg en vervolgstappen", s.h2),
    ]
    if dossier.aftercare.acute:
        story.append(_p("Acuut gevaar? Bel direct 112.", s.warn))
    story.append(_p("Voor de betrokkene", s.head))
    story += [_p("• " + step, s.body) for step in dossier.aftercare.official]
    story.append(_p("Voor de ondersteuning", s.head))
    story += [_p("• " + step, s.body) for step in dossier.aftercare.staff]
    story.append(_p("8. Echtheid controleren", s.h2))
    story += [_p("• " + line, s.body) for line in dossier.verification]
    story.append(
        _p(f"Software: {dossier.software}. Modellen: {', '.join(dossier.models) or 'geen'}.", s.small)
    )

    # Binary streams: ASCII85 would be done in pure Python (slow on screenshots) and is 25% larger.
    rl_config.useA85 = 0
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=f"Bewijsdossier {dossier.bundle_id}",
        author=o.name,
        subject=dossier.title,
        creator="triage-nl",
    )
    footer = _footer(dossier, _fonts()[0])
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
