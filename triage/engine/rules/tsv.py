"""Reading the rule resources: tab-separated rows with a header, `#` comment lines, ids unique."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from triage.errors import TriageError

RESOURCE_FILES = (
    "macros.tsv",
    "lexicon.tsv",
    "groups.tsv",
    "roles.tsv",
    "compounds.tsv",
    "patterns.tsv",
    "scope.tsv",
)


class RuleResourceError(TriageError):
    """A rule resource file is missing or malformed."""

    code = "rule_resource_error"


@dataclass(frozen=True, slots=True)
class Row:
    source: str  # "file.tsv:line" for error messages
    fields: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.fields.get(key, "")


def read_rows(path: Path) -> Iterator[Row]:
    """The rows of one TSV file; the first non-comment line is the header."""
    if not path.is_file():
        raise RuleResourceError(f"rule resource missing: {path}")
    header: list[str] | None = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        if len(cells) > len(header):
            raise RuleResourceError(f"{path.name}:{number}: {len(cells)} columns, header has {len(header)}")
        cells += [""] * (len(header) - len(cells))
        yield Row(f"{path.name}:{number}", dict(zip(header, (cell.strip() for cell in cells), strict=True)))


def split_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def resources_version(folder: Path) -> str:
    """A short sha256 over the resource files, in a fixed order."""
    digest = hashlib.sha256()
    for name in RESOURCE_FILES:
        digest.update(name.encode())
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()[:12]
