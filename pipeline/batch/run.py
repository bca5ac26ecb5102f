"""Batch runs: many inputs in, per-document JSON plus corpus artefacts out; failures recorded, never fatal.

Documents stream to disk as they are extracted; the corpus graph keeps only
their entities and relations. ``manifest.jsonl`` says which inputs are done,
so a rerun resumes where a killed one stopped. Every output is written
atomically and sorted, so a run's files do not depend on the engine, the
number of workers or the order in which documents finished.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from pydantic import ValidationError

from ..confidence import calibration_digest
from ..config import Config, ConfigError
from .engines import Result, task_failure
from .registry import EngineRequest, engine_kind
from ..export import DOCUMENTS, GRAPH_EXPORTERS, atomic_write_text, known_exporters, write_graph_exports
from ..export.jsonfiles import DOCUMENTS_DIR, document_json, document_path
from ..corpus.graph import CorpusGraph, GraphRecord
from .manifest import Entry, Manifest, pipeline_version
from ..schema import Document
from ..text.ingest import IngestError
from .inputs import Failure, InputError, Inputs, Task, load_file

if TYPE_CHECKING:
    from ..extractor import Extractor

ERRORS_FILE = "errors.jsonl"

__all__ = ["ERRORS_FILE", "Failure", "InputError", "RunOptions", "RunSummary", "collect_inputs", "run_extract",
           "validate_outputs"]


@dataclass
class RunSummary:
    """What a run produced: documents (extracted now or kept from an earlier run), counts, failures."""

    documents: int = 0
    resumed: int = 0
    carried: int = 0  # documents of earlier runs in the output folder that none of this run's inputs gave
    duplicates: int = 0  # documents with an exact or near duplicate among the others
    chars: int = 0
    entities: Counter = field(default_factory=Counter)
    relations: Counter = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


@dataclass
class RunOptions:
    """How to run a batch (what to extract is in :class:`Config`)."""

    workers: int | None = None
    engine: str = "local"  # a name in :data:`~pipeline.batch.registry.ENGINES`
    scheduler: str | None = None
    resume: bool | None = None
    progress: bool = False
    stdin: BinaryIO | None = None
    min_confidence: float = 0.0  # entities and relations below it are left out of the documents


def collect_inputs(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given, and ``.txt`` files under folders (recursively, sorted)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.txt") if p.is_file())
        else:
            yield path


def worker_count(requested: int | None, config: Config) -> int:
    """Worker processes to use: the request, else ``[batch].workers``; 0 means every core this process may use."""
    workers = config.batch.workers if requested is None else requested
    return workers or len(os.sched_getaffinity(0))


def run_extract(inputs: Iterable[str | Path], out_dir: Path, config: Config, extractor: Extractor | None = None,
                options: RunOptions | None = None) -> RunSummary:
    """Extract every input into ``out_dir``; one bad document never stops the others.

    The corpus graph and its exports cover every document in ``out_dir/documents``, this run's and earlier ones'.

    Raises:
        InputError: an input names no file or matches none; checked before anything is written.
        ConfigError: unknown exporters, a pipeline that cannot be built, an unreachable scheduler.
        KeyboardInterrupt: the run was stopped; the manifest keeps what was finished.
    """
    unknown = [name for name in config.pipeline.exporters if name not in known_exporters()]
    if unknown:
        raise ConfigError(f"[pipeline].exporters: unknown {unknown}; known: {', '.join(known_exporters())}")
    options = options or RunOptions()
    kind = engine_kind(options.engine, options.scheduler)
    # Local workers read and hash their own files; a cluster's workers may not see this disk.
    source = Inputs(inputs, config.ingest, config.batch.max_id_length, options.stdin, exclude=out_dir,
                    lazy=kind.local, ids=config.batch.ids)
    source.check()
    total = source.estimate()
    workers = worker_count(options.workers, config)
    request = EngineRequest(config, workers, requested=bool(options.workers), total=total, extractor=extractor,
                            documents_to=out_dir if DOCUMENTS in config.pipeline.exporters else None,
                            scheduler=options.scheduler, min_confidence=options.min_confidence)
    engine = kind.build(request)
    manifest = Manifest.open(out_dir, run_version(config, options), options.resume)
    run = _Run(out_dir, config, manifest, total if options.progress else False,
               processes=workers if kind.local else 1)
    try:
        with engine:
            for result in engine.run(run.pending(source)):
                run.take(result)
    finally:
        run.close()
    return run.finish()


def run_version(config: Config, options: RunOptions) -> str:
    """The version a manifest records: the pipeline's, the calibration table's and the confidence threshold.

    A rerun with another table or ``min_confidence`` then redoes every document instead of keeping old ones.
    """
    version = f"{pipeline_version(config)}+cal{calibration_digest()}"
    return f"{version}+min{options.min_confidence:g}" if options.min_confidence > 0 else version


class _Run:
    """The main process's side of a batch: resume, write, record, count, show progress."""

    def __init__(self, out_dir: Path, config: Config, manifest: Manifest, total: int | bool | None,
                 processes: int = 1):
        self.out_dir = out_dir
        self.processes = processes  # for the corpus exports at the end
        self.config = config
        self.manifest = manifest
        self.write_json = DOCUMENTS in config.pipeline.exporters
        self.summary = RunSummary()
        self.graph = CorpusGraph(config.duplicates)
        self.started = time.perf_counter()
        self.bar = None
        for stale in [*out_dir.glob(".*.tmp"), *(out_dir / DOCUMENTS_DIR).glob(".*.tmp")]:
            stale.unlink(missing_ok=True)  # left by a run killed while writing
        if total is not False:
            from tqdm import tqdm  # noqa: PLC0415

            self.bar = tqdm(total=total, unit="doc", dynamic_ncols=True, disable=None, smoothing=0.05)

    def pending(self, source: Inputs) -> Iterator[Task]:
        """Tasks still to run; failures of enumeration and inputs finished earlier are settled here."""
        for item in source:
            if isinstance(item, Task) and not item.digest and item.key in self.manifest.entries:
                try:  # finished in an earlier run: its content hash says whether it changed
                    item = load_file(item, self.config.ingest)
                except (IngestError, OSError) as err:
                    item = task_failure(item, "ingest", err)
            if isinstance(item, Failure):
                self._fail(item)
            elif not self._resume(item, self.manifest.lookup(item)):
                yield item

    def take(self, result: Result) -> None:
        """Write one result and note it in the manifest (after the file is in place)."""
        if result.failure is not None:
            self.manifest.record(result.task, result.failure)
            self._fail(result.failure)
            return
        if result.document_json is not None and self.write_json:  # else the worker wrote it
            atomic_write_text(document_path(self.out_dir, result.task.doc_id), result.document_json, sync=False)
        self.manifest.record(result.task)
        self.summary.chars += result.chars
        assert result.record is not None, "a result without a failure carries its record"
        self._add(result.record)

    def close(self) -> None:
        self.manifest.close()
        if self.bar is not None:
            self.bar.close()

    def finish(self) -> RunSummary:
        """Corpus exports, ``errors.jsonl`` and the compacted manifest, all sorted."""
        summary = self.summary
        if self.write_json:
            self._add_earlier_documents()
            self._update_documents()
        os.sync()  # the documents reach the disk before the run says it is complete
        groups = self.graph.groups
        summary.duplicates = len(groups)
        self.manifest.set_groups(groups)
        names = [name for name in self.config.pipeline.exporters if name in GRAPH_EXPORTERS]
        written = write_graph_exports(self.graph.corpus(), self.out_dir, names, self.processes)
        summary.outputs += [str(path) for path in written]
        summary.failures.sort(key=lambda f: (f.path, f.record_id or "", f.doc_id or "", f.stage, f.message))
        summary.warnings.sort()
        atomic_write_text(self.out_dir / ERRORS_FILE, "".join(_json_line(asdict(f)) for f in summary.failures))
        self.manifest.compact()
        return summary

    def _add_earlier_documents(self) -> None:
        """Documents of earlier runs that this run's inputs did not give: the graph covers the whole folder."""
        for file in sorted((self.out_dir / DOCUMENTS_DIR).glob("*.json")):
            if file.stem in self.graph:
                continue
            try:
                document = Document.model_validate_json(file.read_text(encoding="utf-8"))
                if document.doc_id != file.stem:
                    raise ValueError(f"its doc_id is {document.doc_id!r}")
                self.graph.add(GraphRecord.of(document, self.config.duplicates))
            except (OSError, ValidationError, ValueError) as err:
                first = err.errors()[0]["msg"] if isinstance(err, ValidationError) else str(err)
                self.summary.warnings.append((file.stem, f"{file} left out of the graph: not a valid document "
                                                         f"({first})"))
                continue
            self.summary.carried += 1

    def _update_documents(self) -> None:
        """Write the corpus node keys and duplicate groups into the documents whose values changed."""
        for doc_id, nodes, group in self.graph.updates():
            path = document_path(self.out_dir, doc_id)
            document = Document.model_validate_json(path.read_text(encoding="utf-8"))
            entities = [e.model_copy(update={"node": node}) for e, node in zip(document.entities, nodes, strict=True)]
            document = document.model_copy(update={"entities": entities, "duplicate_group": group})
            atomic_write_text(path, document_json(document), sync=False)

    def _resume(self, task: Task, entry: Entry | None) -> bool:
        if entry is None:
            return False
        if entry.failure is not None:
            if entry.failure["stage"] == "worker":  # a dead worker says nothing about the document: retry it
                return False
            self._fail(entry.to_failure())
            return True
        if not self.write_json:
            return False
        try:
            text = document_path(self.out_dir, task.doc_id).read_text(encoding="utf-8")
            document = Document.model_validate_json(text)
        except (OSError, ValidationError, ValueError):
            return False
        self.summary.resumed += 1
        self._add(GraphRecord.of(document, self.config.duplicates))
        return True

    def _add(self, record: GraphRecord) -> None:
        self.graph.add(record)
        summary = self.summary
        summary.documents += 1
        summary.entities.update(node.label for node in record.nodes)
        summary.relations.update(edge.label for edge in record.edges)
        summary.warnings += [(record.doc_id, w) for w in record.warnings]
        self._tick()

    def _fail(self, failure: Failure) -> None:
        self.summary.failures.append(failure)
        self._tick()

    def _tick(self) -> None:
        if self.bar is None:
            return
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        self.bar.set_postfix_str(f"{self.summary.chars / elapsed:,.0f} chars/s, {len(self.summary.failures)} failed",
                                 refresh=False)
        self.bar.update(1)


def _json_line(record: dict) -> str:
    line = json.dumps(record, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates (undecodable file names) stay as escapes
        line = json.dumps(record)
    return line + "\n"


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
