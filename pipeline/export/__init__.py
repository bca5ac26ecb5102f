"""Exporters: each writes one artefact of a run, atomically; registered by name for config.toml and the CLI.

A graph exporter takes the flat corpus graph and an output folder (plus keyword
options such as ``bom``) and returns the file or folder it wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .files import atomic_write_text
from .gexf import write_gexf
from .graphml import write_graphml
from .jsonfiles import write_document, write_node_link, write_schema
from .neo4j import write_neo4j
from .rdf import write_jsonld, write_turtle
from .tables import write_tables

Exporter = Callable[..., Path]

# Corpus-level exporters, run once per batch on the corpus graph.
GRAPH_EXPORTERS: dict[str, Exporter] = {
    "graphml": write_graphml,
    "node_link": write_node_link,
    "schema": write_schema,
    "gexf": write_gexf,
    "csv": write_tables,
    "neo4j": write_neo4j,
    "turtle": write_turtle,
    "jsonld": write_jsonld,
}

__all__ = ["GRAPH_EXPORTERS", "Exporter", "atomic_write_text", "write_document", "write_gexf", "write_graphml",
           "write_jsonld", "write_neo4j", "write_node_link", "write_schema", "write_tables", "write_turtle"]
