"""JSON artefacts: one document per file, the graph as node-link JSON, the JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from ..corpus.model import Corpus
from ..schema import Document
from .files import atomic_write_text

DOCUMENTS_DIR = "documents"


def document_path(out_dir: Path, doc_id: str) -> Path:
    """Where a run in ``out_dir`` keeps the JSON of document ``doc_id``."""
    return out_dir / DOCUMENTS_DIR / f"{doc_id}.json"


def document_json(document: Document) -> str:
    """The document as written to its file, re-validated so that no invalid file is ever written."""
    text = document.model_dump_json(indent=1)
    Document.model_validate_json(text)
    return text


def write_document(document: Document, out_dir: Path, sync: bool = True) -> Path:
    """``out_dir/documents/<doc_id>.json``, re-validated before it is written (see :func:`atomic_write_text`)."""
    return atomic_write_text(document_path(out_dir, document.doc_id), document_json(document), sync=sync)


def write_node_link(corpus: Corpus, out_dir: Path) -> Path:
    """``out_dir/graph.json``: the corpus as networkx node-link JSON (see :meth:`Corpus.to_networkx`)."""
    data = nx.node_link_data(corpus.to_networkx(), edges="edges")
    return atomic_write_text(out_dir / "graph.json", json.dumps(data, ensure_ascii=False, indent=1))


def write_schema(corpus: Corpus, out_dir: Path) -> Path:
    """``out_dir/schema.json``: the JSON Schema of the document files (the same for every corpus)."""
    schema = Document.model_json_schema()
    return atomic_write_text(out_dir / "schema.json", json.dumps(schema, ensure_ascii=False, indent=1))
