"""`triage classify`: one message readably, or JSON Lines in and out (the batch contract)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import click

from triage.cli import main
from triage.engine import Engine, Verdict
from triage.errors import TriageError

BATCH = 512


def _parse_line(raw: bytes, number: int) -> tuple[Any, str | None, str | None, str | None]:
    """(id, text, recipient, error) of one input line."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return (
            f"line-{number}",
            None,
            None,
            f"line {number} is not valid UTF-8 ({exc.reason} at byte {exc.start})",
        )
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return f"line-{number}", None, None, f"line {number} is not valid JSON ({exc.msg})"
    if not isinstance(record, dict):
        return f"line-{number}", None, None, f"line {number} is not a JSON object"
    message_id = record.get("id", f"line-{number}")
    text, recipient = record.get("text"), record.get("recipient")
    if not isinstance(text, str):
        return message_id, None, None, "missing or non-string field 'text'"
    if recipient is not None and not isinstance(recipient, str):
        return message_id, None, None, "field 'recipient' must be a string"
    return message_id, text, recipient, None


def _read_lines(stream: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    for number, raw in enumerate(stream, start=1):
        stripped = raw.strip()
        if stripped:
            yield number, stripped


def run_batch(engine: Engine, source: IO[bytes], sink: IO[str], progress: bool) -> tuple[int, int]:
    """Classify every line of `source` into `sink`, in order. Returns (lines, errors)."""
    from tqdm import tqdm

    lines = errors = 0
    pending: list[tuple[Any, str | None, str | None, str | None]] = []

    def flush() -> None:
        texts = [
            (text, recipient) for _, text, recipient, error in pending if error is None and text is not None
        ]
        verdicts: Iterator[Verdict] = iter(engine.classify_many([t for t, _ in texts], [r for _, r in texts]))
        for message_id, _text, _recipient, error in pending:
            record = {"id": message_id, "error": error} if error else next(verdicts).to_dict(message_id)
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
        pending.clear()

    with tqdm(unit=" msg", disable=not progress, file=sys.stderr) as bar:
        for number, raw in _read_lines(source):
            parsed = _parse_line(raw, number)
            lines += 1
            errors += parsed[3] is not None
            pending.append(parsed)
            if len(pending) >= BATCH:
                flush()
                bar.update(BATCH)
        count = len(pending)
        flush()
        bar.update(count)
    sink.flush()
    return lines, errors


def _describe(verdict: Verdict, text: str) -> str:
    lines = [
        f"severity: {verdict.severity} (score {verdict.severity_score:.3f})   target: {verdict.target}"
        f"   language: {verdict.language}",
        "flags: " + (", ".join(verdict.flags) or "none"),
        "labels: " + "  ".join(f"{label} {p:.2f}" for label, p in verdict.labels.items()),
    ]
    for span in verdict.spans:
        lines.append(f"  [{span.label}] {text[span.start : span.end]!r} ({span.source})")
    for ref in verdict.legal:
        lines.append(f"  may apply: {ref.name}")
    lines.extend(f"note: {note}" for note in verdict.notes)
    lines.append(f"model: {verdict.model.name} {verdict.model.version}")
    return "\n".join(lines)


@main.command()
@click.argument("text", required=False)
@click.option("--input", "input_path", help="JSON Lines with id and text ('-' for stdin).")
@click.option(
    "--output", "output_path", default="-", show_default=True, help="JSON Lines out ('-' for stdout)."
)
@click.option(
    "--model", "model_dir", type=click.Path(path_type=Path), help="Model folder (default: shipped)."
)
@click.option("--recipient", help="The recipient's name, for a single TEXT.")
def classify(
    text: str | None, input_path: str | None, output_path: str, model_dir: Path | None, recipient: str | None
) -> None:
    """Classify TEXT, or every line of --input."""
    if (text is None) == (input_path is None):
        raise click.UsageError("give either TEXT or --input")
    try:
        engine = Engine.load(model_dir)
    except TriageError as exc:
        raise click.ClickException(exc.message) from exc
    if text is not None:
        click.echo(_describe(engine.classify(text, recipient), text))
        return
    assert input_path is not None
    try:
        source = sys.stdin.buffer if input_path == "-" else open(input_path, "rb")  # noqa: SIM115
    except OSError as exc:
        raise click.ClickException(f"cannot read {input_path}: {exc.strerror}") from exc
    try:
        sink = sys.stdout if output_path == "-" else open(output_path, "w", encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        raise click.ClickException(f"cannot write {output_path}: {exc.strerror}") from exc
    try:
        lines, errors = run_batch(engine, source, sink, progress=sys.stderr.isatty())
    finally:
        if source is not sys.stdin.buffer:
            source.close()
        if sink is not sys.stdout:
            sink.close()
    if errors:
        click.echo(f"{lines} lines, {errors} with errors (see their 'error' field)", err=True)
