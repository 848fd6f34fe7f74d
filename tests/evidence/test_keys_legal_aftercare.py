from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from triage.evidence import Signer, SigningKeyError, aftercare, load_public_key
from triage.evidence.legal import article, articles_for_labels, indicated_articles
from triage.evidence.model import MachineAssessment, MessageMetadata, Recipient, ReportEvidence, Review


def test_key_is_generated_once_private_and_exportable(tmp_path: Path) -> None:
    first = Signer.load_or_create(tmp_path / "keys")
    second = Signer.load_or_create(tmp_path / "keys")
    assert first.key_id == second.key_id and first.key_id.startswith("sha256:")
    assert os.stat(tmp_path / "keys" / "signing-key.pem").st_mode & 0o777 == 0o600
    exported = load_public_key((tmp_path / "keys" / "signing-key.pub.pem").read_bytes())
    assert exported.verify(first.sign(b"x"), b"x") is None
    assert list((tmp_path / "keys").iterdir()) == [
        tmp_path / "keys" / n for n in sorted(os.listdir(tmp_path / "keys"))
    ]


def test_missing_or_foreign_keys_say_why(tmp_path: Path) -> None:
    with pytest.raises(SigningKeyError, match="keygen"):
        Signer.load(tmp_path)
    with pytest.raises(SigningKeyError):
        load_public_key(b"-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n")


@pytest.mark.parametrize(
    ("labels", "target", "expected"),
    [
        (["threat"], "person", ["285 Sr"]),
        (["doxxing", "threat"], "person", ["285 Sr", "285d Sr"]),
        (["insult"], "office", ["266 Sr", "267 Sr"]),
        (["incitement"], "group", ["137d Sr"]),
        (["incitement"], "person", ["131 Sr"]),
        (["identity_hate"], "group", ["137c Sr"]),
        (["profanity"], "office", []),
    ],
)
def test_articles_for_labels(labels: list[str], target: str, expected: list[str]) -> None:
    assert sorted(articles_for_labels(labels, target, public_role=True)) == sorted(expected)


def test_every_article_has_plain_dutch_elements() -> None:
    for code in ("285 Sr", "285d Sr", "266 Sr", "267 Sr", "261 Sr", "262 Sr", "137c Sr", "137d Sr", "131 Sr"):
        found = article(code)
        assert found is not None and found.elements and found.complaint


def test_a_reviewers_correction_replaces_the_machine_articles() -> None:
    at = datetime(2025, 1, 1, tzinfo=UTC)
    report = ReportEvidence(
        report_id="1",
        text=b"x",
        text_sha256="0" * 64,
        metadata=MessageMetadata(recipient=Recipient("A", "raadslid")),
        assessment=MachineAssessment(
            {"flags": ["threat"], "target": "person", "legal": [{"article": "285 Sr"}]}
        ),
    )
    assert indicated_articles(report) == ["285 Sr"]
    review = Review("r", at, "correct", labels=("insult",), severity="low", target="office")
    corrected = replace(report, reviews=(review,))
    assert indicated_articles(corrected) == ["266 Sr", "267 Sr"]
    assert corrected.final_severity == "low"


@pytest.mark.parametrize("severity", ["critical", "high", "medium", "low", "none"])
def test_aftercare_per_severity(severity: str) -> None:
    steps = aftercare(severity)
    assert steps.official and steps.staff
    everything = " ".join(steps.official + steps.staff)
    assert steps.acute == (severity == "critical")
    if severity == "critical":
        assert "112" in everything and "Ondersteuningsteam Weerbaar Bestuur" in everything
    if severity in ("critical", "high"):
        assert "twee werkdagen" in everything and "GIR" in everything
    assert aftercare("bogus").severity == "none"
