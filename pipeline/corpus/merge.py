"""Merging: rebuild the corpus graph from per-document JSON, or read a merged graph, without re-extracting."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from pydantic import ValidationError

from ..config import DuplicatesConfig
from ..export.jsonfiles import DOCUMENTS_DIR
from .graph import CorpusGraph
from .model import Corpus
from ..schema import Document

GRAPH_JSON = "graph.json"


class SourceError(Exception):
    """A source folder holds neither document JSON nor a merged graph."""


@dataclass
class MergeResult:
    """The merged corpus graph and what could not be merged."""

    graph: CorpusGraph = field(default_factory=CorpusGraph)
    problems: list[str] = field(default_factory=list)


def document_files(source: Path) -> list[Path]:
    """Document JSON files of a source: ``documents/*.json`` of an output folder, a folder of them, or one file."""
    if source.is_file():
        return [source]
    folder = source / DOCUMENTS_DIR if (source / DOCUMENTS_DIR).is_dir() else source
    return sorted(folder.glob("*.json"))


def merge_documents(sources: Iterable[Path], duplicates: DuplicatesConfig | None = None) -> MergeResult:
    """Validate and merge every document of the sources; a bad file is recorded (one line) and skipped.

    The same document id twice with the same content merges once; with different
    content the first source wins and the other is reported. A source folder
    without ``documents/`` none of whose JSON files is a document is reported once.
    """
    result = MergeResult(CorpusGraph(duplicates))
    seen: dict[str, tuple[Path, Document]] = {}
    for source in sources:
        files = document_files(source)
        if not files:
            result.problems.append(f"{source}: no document JSON (expected {DOCUMENTS_DIR}/*.json); give an output "
                                   "folder of 'cadregraph extract'")
        bad = []
        for file in files:
            try:
                document = Document.model_validate_json(file.read_text(encoding="utf-8"))
            except (ValidationError, UnicodeDecodeError, OSError, ValueError) as err:
                bad.append(f"{file}: not a cadregraph document ({_one_line(err)})")
                continue
            if document.doc_id in seen:
                first, earlier = seen[document.doc_id]
                if earlier != document:
                    result.problems.append(f"{file}: document id {document.doc_id!r} already read from {first} "
                                           "with different content; kept the first")
                continue
            try:
                result.graph.add(document)
            except ValueError as err:
                result.problems.append(f"{file}: {err}")
                continue
            seen[document.doc_id] = (file, document)
        if bad and len(bad) == len(files) and source.is_dir() and not (source / DOCUMENTS_DIR).is_dir():
            result.problems.append(f"{source}: not an output folder of 'cadregraph extract' (no {DOCUMENTS_DIR}/, "
                                   f"and none of its {len(files)} .json files is a document)")
        else:
            result.problems += bad
    return result


def _one_line(err: Exception) -> str:
    """A validation or decoding error in one line: how many problems, and the first."""
    if isinstance(err, ValidationError):
        first = err.errors()[0]
        where = ".".join(map(str, first["loc"])) or "the document"
        return f"{err.error_count()} problems; first: {where}: {first['msg']}"
    return " ".join(str(err).split())[:200]


def load_corpus(source: Path) -> Corpus:
    """The corpus of a folder: merged from ``documents/`` if present, else read from ``graph.json``.

    Raises:
        SourceError: the folder has neither, or some of its documents are invalid.
    """
    if (source / DOCUMENTS_DIR).is_dir():
        result = merge_documents([source])
        if result.problems:
            raise SourceError("; ".join(result.problems))
        return result.graph.corpus()
    path = source / GRAPH_JSON if source.is_dir() else source
    if not (path.is_file() and path.suffix == ".json"):
        raise SourceError(f"{source}: no {DOCUMENTS_DIR}/ folder and no {GRAPH_JSON}; "
                          "give an output folder of 'cadregraph extract' or 'cadregraph merge'")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        graph = nx.node_link_graph(data, edges="edges")
    except (ValueError, KeyError, TypeError, nx.NetworkXError) as err:
        raise SourceError(f"{path}: not a node-link graph ({err})") from err
    # graph.json holds a MultiDiGraph (its "directed" and "multigraph" flags say so); the stub says Graph
    if not isinstance(graph, nx.MultiDiGraph):
        raise SourceError(f"{path}: not the graph of a corpus (a directed multigraph)")
    try:
        return Corpus.from_graph(graph)
    except ValidationError as err:
        raise SourceError(f"{path}: not the graph of a corpus ({_one_line(err)})") from err
