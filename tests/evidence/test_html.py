"""The HTML report keeps hostile content inert: escaped everywhere, and a CSP that forbids scripts."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

from triage.evidence import Organisation, ReportEvidence, Signer, build_bundle

from .conftest import PAYLOAD

ALLOWED_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "h1",
    "h2",
    "h3",
    "p",
    "table",
    "tr",
    "th",
    "td",
    "div",
    "span",
    "section",
    "strong",
    "em",
    "ul",
    "li",
    "img",
}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _html(bundle: Path) -> str:
    with zipfile.ZipFile(bundle) as zf:
        return zf.read("rapport.html").decode("utf-8")


def test_script_payload_is_escaped(bundle: Path) -> None:
    html = _html(bundle)
    assert "<script" not in html.lower()
    assert "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")  # only ever as escaped text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "javascript:alert(1)" in html  # the author URL shown as text...
    assert 'href="javascript' not in html  # ...never as a link


def test_only_expected_tags_and_no_event_handlers(bundle: Path) -> None:
    collector = _Collector()
    collector.feed(_html(bundle))
    assert {tag for tag, _ in collector.tags} <= ALLOWED_TAGS
    for tag, attrs in collector.tags:
        assert not any(name.startswith("on") for name, _ in attrs), (tag, attrs)
        if tag == "img":
            src = dict(attrs)["src"] or ""
            assert src.startswith("reports/") and "/attachments/" in src


def test_csp_forbids_scripts_and_the_report_is_dutch(bundle: Path) -> None:
    html = _html(bundle)
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert '<html lang="nl">' in html
    for section in (
        "Tijdlijn",
        "Machinale beoordeling",
        "Mogelijk toepasselijke artikelen",
        "Registratie in GIR",
        "Nazorg",
        "Ondersteuningsteam Weerbaar Bestuur",
        "112",
        "Postbus 1, 1000 AA Voorbeeld",
        "wethouder",
        "Bedreiging (art. 285 Sr)",
    ):
        assert section in html, section
    assert PAYLOAD not in html


def test_direction_overrides_are_made_visible(
    tmp_path: Path, signer: Signer, organisation: Organisation, make_report: Callable[..., ReportEvidence]
) -> None:
    report = replace(
        make_report(text="Wethouder \u202eredrom\u202c is een \u200bschande".encode()),
        metadata=replace(make_report().metadata, author_handle="@gnp.exe\u202e"),
    )
    path = build_bundle(
        [report], organisation=organisation, created_by="t", destination=tmp_path / "rtl.zip", signer=signer
    )
    html = _html(path)
    assert "\u202e" not in html and "\u200b" not in html
    assert "⟨U+202E⟩redrom⟨U+202C⟩" in html and "@gnp.exe⟨U+202E⟩" in html
    assert "RIGHT-TO-LEFT OVERRIDE" in html
