"""Exporters: each writes one artefact of a run, atomically; registered by name for config.toml and the CLI.

A corpus exporter takes the typed :class:`~pipeline.corpus.model.Corpus` and an
output folder (plus keyword options such as ``bom``) and returns the file or
folder it wrote.

:func:`write_graph_exports` runs several of them at once in forked processes.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from ..corpus.model import Corpus
from .files import atomic_write_text
from .gexf import write_gexf
from .graphml import write_graphml
from .jsonfiles import write_document, write_node_link, write_schema
from .neo4j import write_neo4j
from .rdf import write_jsonld, write_turtle
from .tables import write_tables

Exporter = Callable[..., Path]

# The per-document JSON files: written by the batch as each document finishes, not from the corpus graph.
DOCUMENTS = "json"

# Corpus exporters, run once per batch on the typed corpus.
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


def known_exporters() -> list[str]:
    """Every exporter name ``[pipeline].exporters`` may list."""
    return [DOCUMENTS, *GRAPH_EXPORTERS]


class ExportError(RuntimeError):
    """An exporter running in a child process failed; the message names it and its error."""


def write_graph_exports(corpus: Corpus, out_dir: Path, names: Sequence[str], processes: int = 1) -> list[Path]:
    """Run the named corpus exporters, up to ``processes`` at a time; returns what each wrote.

    Extra processes are forked, so they share the corpus instead of copying it
    through a pipe; where fork is unavailable the exporters run one by one.

    Raises:
        ExportError: an exporter failed in a child process.
    """
    if processes <= 1 or len(names) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [GRAPH_EXPORTERS[name](corpus, out_dir) for name in names]
    context = multiprocessing.get_context("fork")
    written: dict[str, Path] = {}
    queue = list(names)
    while queue:
        batch, queue = queue[:processes], queue[processes:]
        children = []
        for name in batch[1:]:
            reader, writer = context.Pipe(duplex=False)
            child = context.Process(target=_export_in_child, args=(name, corpus, out_dir, writer), daemon=True)
            child.start()
            writer.close()
            children.append((name, child, reader))
        written[batch[0]] = GRAPH_EXPORTERS[batch[0]](corpus, out_dir)
        for name, child, reader in children:
            try:
                outcome = reader.recv()
            except EOFError:  # killed before it could answer
                outcome = ("error", f"the process ended without a result (exit code {child.exitcode})")
            child.join()
            reader.close()
            if outcome[0] != "ok":
                raise ExportError(f"exporter {name!r}: {outcome[1]}")
            written[name] = Path(outcome[1])
    return [written[name] for name in names]


def _export_in_child(name: str, corpus: Corpus, out_dir: Path, writer) -> None:
    try:
        outcome = ("ok", str(GRAPH_EXPORTERS[name](corpus, out_dir)))
    except BaseException as err:  # reported to the parent, which raises it
        outcome = ("error", f"{type(err).__name__}: {err}")
    writer.send(outcome)
    writer.close()
    os._exit(0)


__all__ = [
    "DOCUMENTS",
    "GRAPH_EXPORTERS",
    "ExportError",
    "Exporter",
    "atomic_write_text",
    "known_exporters",
    "write_document",
    "write_gexf",
    "write_graph_exports",
    "write_graphml",
    "write_jsonld",
    "write_neo4j",
    "write_node_link",
    "write_schema",
    "write_tables",
    "write_turtle",
]
