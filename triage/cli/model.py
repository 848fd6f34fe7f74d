"""`triage train`, `triage evaluate` and `triage functional`: the model pipeline from the command line."""

from __future__ import annotations

from pathlib import Path

import click

from triage.cli import main
from triage.errors import TriageError


@main.command()
@click.option("--config", "config_path", type=click.Path(exists=True, path_type=Path), help="Training TOML.")
@click.option("--prepare", is_flag=True, help="Reassign the corpus splits first (data/corpus/splits.tsv).")
@click.option("--output", type=click.Path(path_type=Path), help="Model folder to write.")
def train(config_path: Path | None, prepare: bool, output: Path | None) -> None:
    """Train a model from a TOML config (data sources, backend, seed, gate); default: the shipped one.

    Runs prepare -> train -> evaluate -> gate -> package and writes models/<name>/<version>/; the
    gate's verdict against the current model is printed and stored, promotion is separate."""
    from training.train import TrainConfig
    from training.train import prepare as run_prepare
    from training.train import train as run_training

    config = TrainConfig.from_toml(config_path) if config_path else TrainConfig()
    if output:
        config.output = output
    if prepare:
        assignment = run_prepare()
        click.echo(f"prepared splits for {len(assignment)} examples", err=True)
    try:
        folder = run_training(config)
    except (ValueError, TriageError) as exc:
        raise click.ClickException(str(exc)) from exc
    from training.gates import gate_lines, read_gate

    verdict = read_gate(folder)
    for line in gate_lines(verdict) if verdict else []:
        click.echo(line, err=True)
    click.echo(str(folder))


@main.command()
@click.option("--input", "input_path", required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "imsypp"]), help="Default: from the suffix.")
@click.option(
    "--model", "model_dir", type=click.Path(path_type=Path), help="Model folder (default: shipped)."
)
@click.option(
    "--out", "out_dir", type=click.Path(path_type=Path), default=Path("var/evaluation"), show_default=True
)
def evaluate(input_path: Path, fmt: str | None, model_dir: Path | None, out_dir: Path) -> None:
    """Evaluate a model on a labelled file; print figures, write metrics.json and PNG plots."""
    from training.corpus import CorpusError
    from training.evaluate import evaluate as run_evaluation
    from training.evaluate import summary_lines
    from training.loaders import read_labelled
    from triage.engine import Engine

    try:
        examples = read_labelled(input_path, fmt)
        engine = Engine.load(model_dir)
    except (CorpusError, TriageError) as exc:
        raise click.ClickException(str(exc)) from exc
    metrics = run_evaluation(engine, examples).write(out_dir)
    for line in summary_lines(metrics):
        click.echo(line)
    click.echo(f"metrics and plots in {out_dir}")


@main.command()
@click.option(
    "--model", "model_dir", type=click.Path(path_type=Path), help="Model folder (default: shipped)."
)
@click.option(
    "--cases",
    "cases_path",
    type=click.Path(exists=True, path_type=Path),
    help="Suite file (default: training/functional_cases.jsonl).",
)
@click.option("--json", "json_path", type=click.Path(path_type=Path), help="Also write the report as JSON.")
@click.option("--failures", default=20, show_default=True, help="How many failing cases to list.")
def functional(
    model_dir: Path | None, cases_path: Path | None, json_path: Path | None, failures: int
) -> None:
    """Run the HateCheck-style functional suite; print accuracy per functionality."""
    from training.functional import (
        FUNCTIONAL_CASES,
        FunctionalCaseError,
        functional_lines,
        read_functional_cases,
        run_functional,
    )
    from triage.engine import Engine

    try:
        cases = read_functional_cases(cases_path or FUNCTIONAL_CASES)
        engine = Engine.load(model_dir)
    except (FunctionalCaseError, TriageError) as exc:
        raise click.ClickException(str(exc)) from exc
    report = run_functional(engine, cases)
    for line in functional_lines(report, failures):
        click.echo(line)
    if json_path:
        click.echo(f"report in {report.write(json_path)}")
