"""Exporters: each writes one artefact of a run, atomically. Registered by name for config.toml."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .files import atomic_write_text
from .graphml import write_graphml
from .jsonfiles import write_document, write_node_link, write_schema

Exporter = Callable[..., Path]

# Corpus-level exporters, run once per batch on the corpus graph.
GRAPH_EXPORTERS: dict[str, Callable] = {
    "graphml": write_graphml,
    "node_link": write_node_link,
    "schema": write_schema,
}

__all__ = ["GRAPH_EXPORTERS", "atomic_write_text", "write_document", "write_graphml", "write_node_link",
           "write_schema"]
