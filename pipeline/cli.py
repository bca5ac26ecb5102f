"""Command line: thin commands over :mod:`pipeline.batch.run`; only this module exits the process."""

from __future__ import annotations

import contextlib
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import typer

from .batch.registry import ENGINES, engine_kind
from .batch.run import ERRORS_FILE, InputError, RunOptions, run_extract, validate_outputs
from .careers.files import write_timeline
from .calibrate import DEFAULT_TABLE, CalibrationError, calibrate, update_readme, write_table
from .config import DEFAULT_CONFIG, ConfigError, load_config
from .export import GRAPH_EXPORTERS, ExportError
from .corpus.model import Corpus
from .corpus.kb import KBError, load_store, query_store
from .batch.manifest import MANIFEST_FILE
from .corpus.merge import SourceError, load_corpus, merge_documents
from .report import REPORT_FILE, AssetError, ReportError, finish_extract, write_report

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Knowledge graph of who leads where and what they push, from Chinese local-government news.")

EXIT_FAILURES = 1
EXIT_USAGE = 2
EXIT_OUTPUT = 3
EXIT_INTERRUPTED = 130


@contextlib.contextmanager
def _fail_with(*errors: type[Exception], code: int = EXIT_USAGE) -> Iterator[None]:
    """Report ``errors`` raised in the body as ``error: ...`` on stderr and exit with ``code``."""
    try:
        yield
    except errors as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(code) from err


def _output_folder(path: Path, option: str = "-o") -> None:
    """Stop with a usage error when an output folder option names an existing file."""
    if path.exists() and not path.is_dir():
        typer.echo(f"usage error: {option} {path} is a file; give a folder (it is created if missing)", err=True)
        raise typer.Exit(EXIT_USAGE)


@contextlib.contextmanager
def _writing(target: Path) -> Iterator[None]:
    """Report an output that cannot be written (no permission, a full disk) in one line, exit 3."""
    try:
        yield
    except OSError as err:
        typer.echo(f"output error: cannot write {target}: {err.strerror or err}", err=True)
        raise typer.Exit(EXIT_OUTPUT) from err


@app.command()
def extract(
    articles: list[str] = typer.Argument(..., help="folders (recursive), .txt/.html/.htm/.jsonl/.json/.csv files, "
                                                   "glob patterns, or - for JSON Lines on stdin"),
    output: Path = typer.Option(Path("outputs"), "-o", "--output", help="output folder"),
    config: Path | None = typer.Option(None, "-c", "--config", help="config.toml (default: the project's)"),
    models: Path | None = typer.Option(None, "--models", help="folder holding the models (ner/, segmenter/); "
                                                              "default: models/ beside the config, else the project's"),
    ids: str | None = typer.Option(None, "--ids", help="document ids of files: stem (file name without extension) "
                                                       "or path (path under the input folder, / as %2F); "
                                                       "default: batch.ids"),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="no progress bar; print nothing but errors"),
    workers: int | None = typer.Option(None, "-j", "--workers", min=0,
                                       help="worker processes (default: batch.workers of the config; 0 = all cores)"),
    resume: bool | None = typer.Option(None, "--resume/--no-resume",
                                       help="skip inputs the manifest lists as done (default: on when OUTPUT has one)"),
    force: bool = typer.Option(False, "--force", help="redo every input, ignoring the manifest"),
    engine: str = typer.Option("local", "--engine", help="; ".join(f"{name}: {kind.help}"
                                                                    for name, kind in ENGINES.items())),
    scheduler: str | None = typer.Option(None, "--scheduler", help="dask scheduler address, for --engine dask"),
    timeout: float | None = typer.Option(None, "--timeout", min=0, help="seconds per document (default: "
                                                                         "batch.doc_timeout; 0 = no limit)"),
    id_field: str | None = typer.Option(None, "--id-field",
                                        help="record field of the document id (default: ingest.id_field)"),
    text_field: str | None = typer.Option(None, "--text-field", help="record field of the text"),
    title_field: str | None = typer.Option(None, "--title-field", help="record field of the title"),
    date_field: str | None = typer.Option(None, "--date-field", help="record field of the publication date"),
    url_field: str | None = typer.Option(None, "--url-field", help="record field of the page address"),
    min_confidence: float = typer.Option(0.0, "--min-confidence", min=0.0, max=1.0,
                                         help="leave out entities and relations whose confidence is below this "
                                              "(an entity's relations go with it); default 0 keeps all"),
) -> None:
    """Extract entities and relations; write documents/*.json, graph.graphml, graph.json, schema.json."""
    try:
        engine_kind(engine, scheduler)
    except ConfigError as err:
        typer.echo(f"usage error: {err}", err=True)
        raise typer.Exit(EXIT_USAGE) from err
    if ids not in (None, "stem", "path"):
        typer.echo(f"usage error: --ids is stem or path, not {ids!r}", err=True)
        raise typer.Exit(EXIT_USAGE)
    _output_folder(output)
    fields = {"id_field": id_field, "text_field": text_field, "title_field": title_field,
              "date_field": date_field, "url_field": url_field}
    options = RunOptions(workers=workers, engine=engine,
                         scheduler=scheduler, resume=False if force else resume,
                         progress=not quiet, stdin=sys.stdin.buffer if "-" in articles else None,
                         min_confidence=min_confidence)
    try:
        settings = load_config(config, models)
        settings.ingest = settings.ingest.model_copy(update={k: v for k, v in fields.items() if v})
        if ids is not None:
            settings.batch = settings.batch.model_copy(update={"ids": ids})
        if timeout is not None:
            settings.batch = settings.batch.model_copy(update={"doc_timeout": timeout})
        started = time.perf_counter()
        summary = run_extract(articles, output, settings, options=options)
        report = finish_extract(output, settings, summary, time.perf_counter() - started)
    except ConfigError as err:
        typer.echo(f"config error: {err}", err=True)
        raise typer.Exit(EXIT_USAGE) from err
    except InputError as err:
        typer.echo(f"usage error: {err}", err=True)
        raise typer.Exit(EXIT_USAGE) from err
    except KeyboardInterrupt as err:
        typer.echo(f"interrupted; finished inputs are listed in {output / MANIFEST_FILE}, rerun to resume", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from err
    except (OSError, ExportError, ReportError, AssetError) as err:
        typer.echo(f"output error: {err}; finished inputs are listed in {output / MANIFEST_FILE}, "
                   "rerun to resume", err=True)
        raise typer.Exit(EXIT_OUTPUT) from err
    for doc_id, warning in summary.warnings:
        typer.echo(f"warning: {doc_id}: {warning}", err=True)
    for failure in summary.failures:
        typer.echo(f"error: [{failure.stage}] {failure.message}", err=True)
    if not quiet:
        resumed = f" ({summary.resumed} kept from an earlier run)" if summary.resumed else ""
        typer.echo(f"documents: {summary.documents} extracted{resumed}, {len(summary.failures)} failed -> {output}")
        if summary.carried:
            typer.echo(f"graph: also {summary.carried} documents of earlier runs in {output / 'documents'}")
        if summary.duplicates:
            typer.echo(f"duplicates: {summary.duplicates} documents have an exact or near copy; each group counts "
                       "once in edge weights")
        typer.echo("entities:  " + _counts(summary.entities))
        typer.echo("relations: " + _counts(summary.relations))
        if summary.failures:
            typer.echo(f"failures listed in {output / ERRORS_FILE}")
        if report is not None:
            typer.echo(f"report:    {report.path}")
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


@app.command("report")
def report_command(
    output: Path = typer.Argument(Path("outputs"), help="an output folder of 'extract'"),
    target: Path | None = typer.Option(None, "-o", "--output", help=f"HTML file (default: OUTPUT/{REPORT_FILE})"),
    config: Path | None = typer.Option(None, "-c", "--config", help="config.toml, for its [report] limits"),
) -> None:
    """Write a self-contained HTML report of an output folder: summary, graph, officials, places, documents."""
    with _fail_with(ConfigError, ReportError, AssetError):
        result = write_report(output, target, load_config(config).report)
    typer.echo(f"report: {result.size / 1e6:.1f} MB in {result.seconds:.1f} s -> {result.path}")


@app.command()
def merge(
    sources: list[Path] = typer.Argument(..., help="output folders of 'extract' (their documents/*.json)"),
    output: Path = typer.Option(Path("graph"), "-o", "--output", help="output folder"),
) -> None:
    """Rebuild the corpus graph from per-document JSON without re-extracting; write graph.graphml and graph.json."""
    _output_folder(output)
    result = merge_documents(sources)
    for problem in result.problems:
        typer.echo(f"error: {problem}", err=True)
    if not len(result.graph):  # every source is reported above; an empty graph is not written
        raise typer.Exit(EXIT_FAILURES)
    corpus = result.graph.corpus()
    with _writing(output):
        for name in ("graphml", "node_link"):
            GRAPH_EXPORTERS[name](corpus, output)
    typer.echo(f"documents: {len(result.graph)} merged, {len(result.problems)} problems -> {output}")
    typer.echo("nodes: " + _counts(Counter(node.type for node in corpus.nodes)))
    typer.echo("edges: " + _counts(Counter(edge.label for edge in corpus.edges)))
    if result.problems:
        raise typer.Exit(EXIT_FAILURES)


@app.command("timeline")
def timeline_command(
    source: Path = typer.Argument(Path("outputs"), help="an output folder of 'extract' (its documents/)"),
    output: Path | None = typer.Option(None, "-o", "--output", help="output folder (default: SOURCE)"),
    bom: bool = typer.Option(False, "--bom", help="start positions.csv with a UTF-8 BOM for Excel"),
) -> None:
    """Each official's posts over time: positions.csv (one row per person, unit, post) and careers.jsonl."""
    _output_folder(output or source)
    result = merge_documents([source])
    for problem in result.problems:
        typer.echo(f"error: {problem}", err=True)
    if not len(result.graph):
        raise typer.Exit(EXIT_FAILURES)
    timeline = result.graph.timeline()
    with _writing(output or source):
        written = write_timeline(timeline, result.graph.graph, output or source, bom=bom)
    typer.echo(f"{len(timeline.by_person())} persons, {len(timeline.posts)} posts, {len(timeline.transitions)} "
               f"transitions, {len(timeline.successions)} successions -> {', '.join(map(str, written))}")
    if result.problems:
        raise typer.Exit(EXIT_FAILURES)


@app.command("export")
def export_graph(
    fmt: str = typer.Argument(..., metavar="FORMAT", help="graphml, gexf, csv, neo4j, turtle, jsonld, node_link"),
    source: Path = typer.Argument(Path("outputs"), help="an output folder of 'extract' or 'merge'"),
    output: Path | None = typer.Option(None, "-o", "--output", help="output folder (default: SOURCE)"),
    bom: bool = typer.Option(False, "--bom", help="csv only: start each file with a UTF-8 BOM for Excel"),
) -> None:
    """Export the corpus graph of SOURCE (its documents/, else its graph.json) in one format."""
    if fmt not in GRAPH_EXPORTERS or (bom and fmt != "csv"):
        problem = "--bom applies to csv only" if fmt in GRAPH_EXPORTERS else f"unknown format {fmt!r}"
        typer.echo(f"usage error: {problem}; formats: {', '.join(GRAPH_EXPORTERS)}", err=True)
        raise typer.Exit(EXIT_USAGE)
    _output_folder(output or source)
    corpus = _load(source)
    with _writing(output or source):
        written = GRAPH_EXPORTERS[fmt](corpus, output or source, **({"bom": True} if bom else {}))
    typer.echo(f"{fmt}: {len(corpus.nodes)} nodes, {len(corpus.edges)} edges -> {written}")


@app.command("calibrate")
def calibrate_command(
    eval_dir: Path = typer.Argument(..., help="a folder of evaluation sets (*/docs with */gold beside), or one set"),
    output: Path = typer.Option(DEFAULT_TABLE, "-o", "--output", help="table file (default: the shipped one)",
                                show_default="pipeline/resources/calibration.json"),
    config: Path | None = typer.Option(None, "-c", "--config", help="config.toml (default: the project's)"),
    scorer: Path | None = typer.Option(None, "--scorer", help="the shared score.py (default: EVAL_DIR/score.py)"),
    readme: Path | None = typer.Option(None, "--readme", help="also rewrite the table in this Markdown page"),
) -> None:
    """Measure each rule's precision on the evaluation sets; write the confidence table (and its Markdown copy)."""
    with _fail_with(CalibrationError, ConfigError):
        report = calibrate(eval_dir, load_config(config), scorer)
    for failure in report.failures:
        typer.echo(f"error: [{failure.stage}] {failure.message}", err=True)
    if report.failures:
        typer.echo("no table written: every article must be extracted", err=True)
        raise typer.Exit(EXIT_FAILURES)
    written = [write_table(report.table, output)]
    if readme is not None:
        with _fail_with(CalibrationError):
            written.append(update_readme(readme, report.table))
    sets = ", ".join(f"{name} {n}" for name, n in report.table["sets"].items())
    typer.echo(f"documents: {sets}; {len(report.table['entities'])} entity and {len(report.table['relations'])} "
               f"relation rows -> {', '.join(map(str, written))}")


kb_app = typer.Typer(no_args_is_help=True, help="Embedded knowledge base: the graph as RDF in a SPARQL store.")
app.add_typer(kb_app, name="kb")


@kb_app.command("load")
def kb_load(
    source: Path = typer.Argument(..., help="an output folder of 'merge' or 'extract'"),
    store: Path = typer.Option(Path("kb"), "--store", help="store folder (created; its contents are replaced)"),
) -> None:
    """Load the corpus graph of SOURCE as RDF into a persistent pyoxigraph store."""
    _output_folder(store, "--store")
    corpus = _load(source)
    with _fail_with(KBError, code=EXIT_FAILURES), _writing(store):
        triples = load_store(corpus, store)
    typer.echo(f"{triples} triples from {len(corpus.nodes)} nodes and {len(corpus.edges)} edges -> {store}")


@kb_app.command("query")
def kb_query(
    sparql: str = typer.Argument(..., help="a SPARQL query, or @FILE to read it from a file"),
    store: Path = typer.Option(Path("kb"), "--store", help="store folder built by 'kb load'"),
) -> None:
    """Run a SPARQL query (prefixes cg:, schema:, prov:, xsd:, rdf: predeclared); print tab-separated rows."""
    if sparql.startswith("@"):
        try:
            sparql = Path(sparql[1:]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            problem = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
            typer.echo(f"usage error: cannot read the query file {sparql[1:]}: {problem}", err=True)
            raise typer.Exit(EXIT_USAGE) from err
    with _fail_with(KBError):
        result = query_store(store, sparql)
    if result.boolean is not None:
        typer.echo(str(result.boolean).lower())
    for line in result.triples or []:
        typer.echo(line)
    if result.variables:
        typer.echo("\t".join(result.variables))
    for row in result.rows:
        typer.echo("\t".join(" ".join((value or "").split()) for value in row))


train_app = typer.Typer(no_args_is_help=True, help="Rebuild the shipped models from the public corpora.")
app.add_typer(train_app, name="train")
evaluate_app = typer.Typer(no_args_is_help=True, help="Score a shipped model on a labelled file.")
app.add_typer(evaluate_app, name="evaluate")


@train_app.command("ner")
def train_ner_command(
    data: Path = typer.Option(..., "--data", help="the corpora folder (msra/, peoples_daily_1998/, cluener2020/)"),
    out: Path = typer.Option(Path("models/ner"), "--out", help="model folder (written)"),
    epochs: int | None = typer.Option(None, help="training epochs (default: the shipped model's)"),
    limit: int | None = typer.Option(None, help="sentences per corpus, for a quick run"),
    seed: int | None = typer.Option(None, help="random seed (default: the shipped model's)"),
) -> None:
    """Train the BiLSTM-CRF NER tagger and score it on MSRA test (never used for training)."""
    from .train.corpora import CorpusError  # noqa: PLC0415 - torch and HanLP load only here
    from .train.ner import NerTrainingConfig, train_ner  # noqa: PLC0415

    overrides = {"epochs": epochs, "seed": seed}
    config = NerTrainingConfig(limit=limit, **{k: v for k, v in overrides.items() if v is not None})
    with _fail_with(CorpusError):
        report = train_ner(data, out, config)
    typer.echo(f"trained on {report.characters} characters in {report.train_seconds / 60:.1f} min -> {out}")
    typer.echo(f"MSRA test micro F1 {report.test_micro_f1:.4f}, {report.test_chars_per_second:,.0f} chars/s")


@train_app.command("segmenter")
def train_segmenter_command(
    data: Path = typer.Option(..., "--data", help="the corpora folder (peoples_daily_1998/)"),
    out: Path = typer.Option(Path("models/segmenter"), "--out", help="model folder (written)"),
    iterations: int | None = typer.Option(None, help="training iterations (default: the shipped model's)"),
    limit: int | None = typer.Option(None, help="sentences per split, for a quick run"),
) -> None:
    """Train the pkuseg segmenter on People's Daily days 1-25 and score it on days 26-31."""
    from .train.corpora import CorpusError  # noqa: PLC0415
    from .train.segmenter import SegmenterTrainingConfig, train_segmenter  # noqa: PLC0415

    config = SegmenterTrainingConfig(limit=limit, **({"iterations": iterations} if iterations else {}))
    with _fail_with(CorpusError):
        report = train_segmenter(data, out, config)
    typer.echo(f"trained on {report.train_sentences} sentences in {report.train_seconds / 60:.1f} min -> {out}")
    for name, scores in report.test.items():
        typer.echo(f"held-out word F1 ({name}) {scores['f1']:.4f}")


@train_app.command("boundaries")
def train_boundaries_command(
    data: Path = typer.Option(..., "--data", help="the data folder (peoples_daily_1998/, msra/, cluener2020/, "
                                                  "admin_divisions/)"),
    out: Path = typer.Option(Path("pipeline/resources/non_name_words.txt"), "--out",
                             help="table file (written; name_words.txt is written beside it)"),
) -> None:
    """Build the table of words that cannot be part of an ORG or PLACE name from People's Daily 1998."""
    from .train.boundaries import build_boundary_table, write_boundary_table  # noqa: PLC0415
    from .train.corpora import CorpusError  # noqa: PLC0415

    with _fail_with(CorpusError):
        table = build_boundary_table(data)
    written = write_boundary_table(table, out)
    typer.echo(f"{len(table.words)} non-name words, {len(table.name_words)} name words -> "
               + ", ".join(map(str, written)))
    if edges := table.left_edges:
        typer.echo(f"MSRA dev-slice ORG left edges exact: {edges['exact_plain']}/{edges['names']} without the table, "
                   f"{edges['exact_table']}/{edges['names']} with it ({edges['inside_table']} cut into the name)")


@evaluate_app.command("ner")
def evaluate_ner_command(
    bio: Path = typer.Argument(..., help="a char<TAB>tag BIO file; PER/LOC/ORG map to PERSON/PLACE/ORG"),
    model: Path | None = typer.Option(None, "--model", help="tagger folder (default: the configured one)"),
    config: Path | None = typer.Option(None, "-c", "--config", help="config.toml naming the model"),
) -> None:
    """Per-label precision/recall/F1 of the tagger; the last line is 'F1 <micro F1>'."""
    from .train.corpora import CorpusError  # noqa: PLC0415
    from .train.ner import evaluate_file  # noqa: PLC0415
    from .train.scores import format_scores  # noqa: PLC0415

    with _fail_with(ConfigError, CorpusError):
        scores = evaluate_file(bio, model or configured_model(load_config(config)))
    for line in format_scores(scores):
        typer.echo(line)
    typer.echo(f"F1 {scores['micro'].f1:.4f}")


def configured_model(config) -> Path:
    """The NER model folder of the configured entity tagger, else the project's models/ner."""
    from .ner.fusion import TAGGER_FACTORY  # noqa: PLC0415

    for component in config.components.values():
        if component.factory == TAGGER_FACTORY and "model" in component.settings:
            return Path(component.settings["model"])
    return DEFAULT_CONFIG.parent / "models" / "ner"


def _load(source: Path) -> Corpus:
    with _fail_with(SourceError):
        return load_corpus(source)


def _counts(counter) -> str:
    return ", ".join(f"{label} {n}" for label, n in sorted(counter.items())) or "none"


def main() -> None:
    app()
