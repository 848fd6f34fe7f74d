"""The PDF renders: its pages become PNG images (pdftoppm, installed by `make test`) that are not blank."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from triage.evidence import Organisation, ReportEvidence, Signer, build_bundle

from .conftest import sha


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: `make system-deps` installs poppler-utils")
    return found


def _pdf(bundle: Path, tmp_path: Path) -> Path:
    target = tmp_path / "rapport.pdf"
    with zipfile.ZipFile(bundle) as zf:
        target.write_bytes(zf.read("rapport.pdf"))
    return target


def _pages(pdf: Path) -> int:
    info = subprocess.run([_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    assert match, info
    return int(match.group(1))


def _render(pdf: Path, out: Path) -> list[Path]:
    subprocess.run(
        [_tool("pdftoppm"), "-r", "50", "-png", str(pdf), str(out / "page")], check=True, timeout=120
    )
    return sorted(out.glob("page-*.png"))


def _ink(image: Image.Image) -> float:
    """Share of pixels that are not (near) white."""
    grey = image.convert("L")
    histogram = grey.histogram()
    return sum(histogram[:200]) / (grey.width * grey.height)


def test_every_page_renders_and_has_content(bundle: Path, tmp_path: Path) -> None:
    pdf = _pdf(bundle, tmp_path)
    pages = _render(pdf, tmp_path)
    assert len(pages) == _pages(pdf) >= 3
    for page in pages:
        with Image.open(page) as image:
            assert image.width > 300 and image.height > 400
            assert _ink(image) > 0.005, page.name
    with Image.open(pages[0]) as first:
        assert first.getextrema() != ((255, 255), (255, 255), (255, 255))


def test_the_screenshot_is_shown(bundle: Path, tmp_path: Path) -> None:
    pages = _render(_pdf(bundle, tmp_path), tmp_path)
    # the fixture's screenshot is a dark header with blue bars: some page must carry lots of blue
    blue = 0
    for page in pages:
        with Image.open(page) as image:
            rgb = image.convert("RGB")
            blue = max(blue, sum(1 for r, g, b in rgb.getdata() if b > 120 and r < 90 and g < 90))
    assert blue > 500


def test_the_text_is_there_and_hostile_markup_is_plain_text(bundle: Path, tmp_path: Path) -> None:
    pdf = _pdf(bundle, tmp_path)
    text = subprocess.run(
        [_tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    for needle in (
        "Bewijsdossier",
        "Machinale beoordeling",
        "Registratie in GIR",
        "112",
        "wethouder",
        "Ondersteuningsteam Weerbaar Bestuur",
        "Postbus 1, 1000 AA Voorbeeld",
        "<script>alert('x')",
    ):
        assert needle in flat, needle


def test_a_very_long_message_still_lays_out(
    tmp_path: Path, signer: Signer, organisation: Organisation, make_report: Callable[..., ReportEvidence]
) -> None:
    text = ("Jij verdient het niet om te leven. " * 3000).encode()
    report = make_report("lang", text=text)
    path = build_bundle(
        [report], organisation=organisation, created_by="t", destination=tmp_path / "l.zip", signer=signer
    )
    pdf = _pdf(path, tmp_path)
    assert _pages(pdf) > 10
    assert sha(zipfile.ZipFile(path).read("reports/01-lang/original.txt")) == report.text_sha256
