"""Command line: thin commands over :mod:`pipeline.batch`; only this module exits the process."""

from __future__ import annotations

from pathlib import Path

import typer

from .batch import ERRORS_FILE, run_extract, validate_outputs
from .config import ConfigError, load_config

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Knowledge graph of who leads where and what they push, from Chinese local-government news.")

EXIT_FAILURES = 1
EXIT_USAGE = 2


@app.command()
def extract(
    articles: list[Path] = typer.Argument(..., help="UTF-8 .txt articles, or folders of them"),
    output: Path = typer.Option(Path("outputs"), "-o", "--output", help="output folder"),
    config: Path | None = typer.Option(None, "-c", "--config", help="config.toml (default: the project's)"),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="print nothing but errors"),
) -> None:
    """Extract entities and relations; write documents/*.json, graph.graphml, graph.json, schema.json."""
    try:
        summary = run_extract(articles, output, load_config(config))
    except ConfigError as err:
        typer.echo(f"config error: {err}", err=True)
        raise typer.Exit(EXIT_USAGE) from err
    for doc_id, warning in summary.warnings:
        typer.echo(f"warning: {doc_id}: {warning}", err=True)
    for failure in summary.failures:
        typer.echo(f"error: [{failure.stage}] {failure.message}", err=True)
    if not quiet:
        typer.echo(f"documents: {summary.documents} extracted, {len(summary.failures)} failed -> {output}")
        typer.echo("entities:  " + _counts(summary.entities))
        typer.echo("relations: " + _counts(summary.relations))
        if summary.failures:
            typer.echo(f"failures listed in {output / ERRORS_FILE}")
    if summary.failures:
        raise typer.Exit(EXIT_FAILURES)


@app.command()
def validate(output: Path = typer.Argument(Path("outputs"), help="an output folder of 'extract'")) -> None:
    """Re-validate every document JSON against the schema and check that the GraphML parses."""
    checked, problems = validate_outputs(output)
    for problem in problems:
        typer.echo(f"invalid: {problem}", err=True)
    typer.echo(f"{checked} documents checked, {len(problems)} problems")
    if problems:
        raise typer.Exit(EXIT_FAILURES)


def _counts(counter) -> str:
    return ", ".join(f"{label} {n}" for label, n in sorted(counter.items())) or "none"


def main() -> None:
    app()
