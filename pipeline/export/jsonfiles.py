"""JSON artefacts: one document per file, the graph as node-link JSON, the JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from ..schema import Document
from .files import atomic_write_text

DOCUMENTS_DIR = "documents"


def write_document(document: Document, out_dir: Path) -> Path:
    """``out_dir/documents/<doc_id>.json``, re-validated before it is written."""
    text = document.model_dump_json(indent=1)
    Document.model_validate_json(text)
    return atomic_write_text(out_dir / DOCUMENTS_DIR / f"{document.doc_id}.json", text)


def write_node_link(graph: nx.MultiDiGraph, out_dir: Path) -> Path:
    data = nx.node_link_data(graph, edges="edges")
    return atomic_write_text(out_dir / "graph.json", json.dumps(data, ensure_ascii=False, indent=1))


def write_schema(graph: nx.MultiDiGraph, out_dir: Path) -> Path:
    schema = Document.model_json_schema()
    return atomic_write_text(out_dir / "schema.json", json.dumps(schema, ensure_ascii=False, indent=1))
