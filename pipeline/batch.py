"""Batch runs: many articles in, per-document JSON plus corpus artefacts out; failures recorded, never fatal."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pydantic import ValidationError

from .config import Config, ConfigError
from .export import GRAPH_EXPORTERS, atomic_write_text, write_document
from .export.jsonfiles import DOCUMENTS_DIR
from .extractor import Extractor, StageError
from .graph import CorpusGraph
from .ingest import IngestError, read_article
from .schema import Document

ERRORS_FILE = "errors.jsonl"


@dataclass
class Failure:
    """One document that produced no output, and why."""

    path: str
    doc_id: str | None
    stage: str
    error: str
    message: str


@dataclass
class RunSummary:
    documents: int = 0
    entities: Counter = field(default_factory=Counter)
    relations: Counter = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def collect_inputs(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given, and ``.txt`` files under folders (recursively, sorted)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.txt") if p.is_file())
        else:
            yield path


def run_extract(inputs: Iterable[Path], out_dir: Path, config: Config, extractor: Extractor | None = None) -> RunSummary:
    """Extract every input into ``out_dir``; one bad document never stops the others."""
    unknown = [name for name in config.pipeline.exporters if name != "json" and name not in GRAPH_EXPORTERS]
    if unknown:
        raise ConfigError(f"[pipeline].exporters: unknown {unknown}; known: json, {', '.join(GRAPH_EXPORTERS)}")
    extractor = extractor or Extractor(config)
    summary = RunSummary()
    graph = CorpusGraph()
    seen: dict[str, Path] = {}
    for path in collect_inputs(inputs):
        document = _extract_one(path, config, extractor, seen, summary)
        if document is None:
            continue
        if "json" in config.pipeline.exporters:
            write_document(document, out_dir)
        graph.add(document)
        summary.documents += 1
        summary.entities.update(e.label for e in document.entities)
        summary.relations.update(r.label for r in document.relations)
        summary.warnings += [(document.doc_id, w) for w in document.warnings]
    flat = graph.flat()
    for name in config.pipeline.exporters:
        if name in GRAPH_EXPORTERS:
            summary.outputs.append(str(GRAPH_EXPORTERS[name](flat, out_dir)))
    errors = "".join(json.dumps(asdict(f), ensure_ascii=False) + "\n" for f in summary.failures)
    atomic_write_text(out_dir / ERRORS_FILE, errors)
    return summary


def _extract_one(path: Path, config: Config, extractor: Extractor, seen: dict[str, Path],
                 summary: RunSummary) -> Document | None:
    def fail(stage: str, err: Exception, doc_id: str | None = None) -> None:
        message = str(err) if str(path) in str(err) else f"{path}: {err}"
        summary.failures.append(Failure(str(path), doc_id, stage, type(err).__name__, message))

    try:
        article = read_article(path, config.ingest)
    except (IngestError, OSError) as err:
        fail("ingest", err)
        return None
    if article.doc_id in seen:
        fail("ingest", IngestError(f"{path}: document id {article.doc_id!r} already produced by {seen[article.doc_id]}; "
                                   "rename one of the files"), article.doc_id)
        return None
    seen[article.doc_id] = path
    try:
        return extractor(article)
    except StageError as err:
        fail(err.stage, err.error, article.doc_id)
    except Exception as err:  # a bug must not lose the rest of the batch
        fail("extract", err, article.doc_id)
    return None


def validate_outputs(out_dir: Path) -> tuple[int, list[str]]:
    """Re-validate every document JSON under ``out_dir``; returns (files checked, problems)."""
    problems = []
    files = sorted((out_dir / DOCUMENTS_DIR).glob("*.json"))
    for file in files:
        try:
            Document.model_validate_json(file.read_text(encoding="utf-8"))
        except (ValidationError, UnicodeDecodeError, ValueError) as err:
            problems.append(f"{file}: {err}")
    graphml = out_dir / "graph.graphml"
    if graphml.exists():
        import networkx as nx  # noqa: PLC0415

        try:
            nx.read_graphml(graphml)
        except Exception as err:  # any parse failure is a problem to report
            problems.append(f"{graphml}: {err}")
    if not files:
        problems.append(f"{out_dir}: no document JSON files under {DOCUMENTS_DIR}/")
    return len(files), problems
