"""CSV tables for spreadsheets: officials.csv, entities.csv, relations.csv, relation_evidence.csv.

A post's ``status``, ``rank`` and ``as_of`` are those of its latest sighting (:mod:`pipeline.careers`);
``unit`` of a ``SUCCEEDED`` row is the node of the post's unit.

UTF-8, optionally with a BOM for Excel. ``relation_evidence.csv`` has one row per piece of evidence
(document, sentence, offsets, rule), joined to ``relations.csv`` by ``relation_id`` = ``id``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

import networkx as nx

from .attributes import edge_id, evidence_list, items
from .files import atomic_write_text

POSTS = ("SECRETARY_OF", "HOLDS_POSITION")
OFFICIAL_COLUMNS = ("person_id", "person", "relation", "title", "unit", "unit_code", "unit_level", "organisation",
                    "post_id", "documents", "doc_ids", "first_seen", "last_seen", "confidence", "status", "rank",
                    "as_of")
ENTITY_COLUMNS = ("id", "type", "label", "aliases", "code", "level", "parent_code", "official_name", "documents",
                  "mentions", "doc_ids", "first_seen", "last_seen", "confidence")
RELATION_COLUMNS = ("id", "head_id", "head", "type", "tail_id", "tail", "title", "weight", "doc_ids", "first_seen",
                    "last_seen", "sources", "rules", "evidence", "confidence", "status", "rank", "as_of", "unit")
EVIDENCE_COLUMNS = ("relation_id", "head_id", "type", "tail_id", "doc_id", "start", "end", "sentence", "rule", "unit")


def write_tables(graph: nx.MultiDiGraph, out_dir: Path, bom: bool = False) -> Path:
    """``officials.csv``, ``entities.csv``, ``relations.csv`` and ``relation_evidence.csv`` in ``out_dir``.

    Returns ``out_dir``.

    Multi-valued cells (aliases, doc ids, titles) are joined with ``|``; ``confidence`` is that of the graph
    node or edge (of the post, in ``officials.csv``).
    """
    _write(out_dir / "entities.csv", ENTITY_COLUMNS, _entity_rows(graph), bom)
    _write(out_dir / "relations.csv", RELATION_COLUMNS, _relation_rows(graph), bom)
    _write(out_dir / "relation_evidence.csv", EVIDENCE_COLUMNS, _evidence_rows(graph), bom)
    _write(out_dir / "officials.csv", OFFICIAL_COLUMNS, official_rows(graph), bom)
    return out_dir


def official_rows(graph: nx.MultiDiGraph) -> Iterable[dict]:
    """One row per post: the person, the title, the place it is in and the organisation it belongs to."""
    committees = {d["committee_of"]: n for n, d in graph.nodes(data=True) if d.get("committee_of")}
    for head, tail, label, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1])):
        if label not in POSTS or graph.nodes[head].get("type") != "PERSON":
            continue
        target = graph.nodes[tail]
        place = tail if target.get("type") == "PLACE" else _place_of(graph, tail)
        organisation = tail if target.get("type") == "ORG" else committees.get(place)
        where = graph.nodes[place] if place else {}
        yield {"person_id": head, "person": graph.nodes[head].get("label", head), "relation": label,
               "unit": where.get("label", ""), "unit_code": where.get("code", ""),
               "unit_level": where.get("level", ""), "post_id": tail,
               "organisation": graph.nodes[organisation].get("label", "") if organisation else "",
               **_cells(data, ("title", "documents", "doc_ids", "first_seen", "last_seen", "confidence", "status",
                               "rank", "as_of"))}


def _place_of(graph: nx.MultiDiGraph, org: str) -> str | None:
    """The place an organisation leads (a party committee) or is located in."""
    committee = graph.nodes[org].get("committee_of")
    if committee in graph:
        return committee
    for _, tail, label in graph.out_edges(org, keys=True):
        if label == "LOCATED_IN" and graph.nodes[tail].get("type") == "PLACE":
            return tail
    return None


def _entity_rows(graph: nx.MultiDiGraph) -> Iterable[dict]:
    for node, data in sorted(graph.nodes(data=True)):
        yield {"id": node, **_cells(data, ENTITY_COLUMNS[1:])}


def _relation_rows(graph: nx.MultiDiGraph) -> Iterable[dict]:
    for head, tail, label, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1])):
        yield {"id": edge_id(head, tail, label), "head_id": head, "head": graph.nodes[head].get("label", head),
               "type": label, "tail_id": tail, "tail": graph.nodes[tail].get("label", tail),
               **_cells(data, RELATION_COLUMNS[6:]), "evidence": len(evidence_list(data))}


def _evidence_rows(graph: nx.MultiDiGraph) -> Iterable[dict]:
    for head, tail, label, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1])):
        for evidence in evidence_list(data):
            yield {"relation_id": edge_id(head, tail, label), "head_id": head, "type": label, "tail_id": tail,
                   **{k: evidence.get(k) for k in EVIDENCE_COLUMNS[4:]}}


def _cells(data: dict, columns: Iterable[str]) -> dict:
    """Cells of the named attributes: lists joined with ``|``, missing ones empty."""
    return {k: "|".join(items(data[k])) if isinstance(data.get(k), (list, tuple)) else data.get(k, "")
            for k in columns}


def _write(path: Path, columns: tuple[str, ...], rows: Iterable[dict], bom: bool) -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return atomic_write_text(path, ("\ufeff" if bom else "") + buffer.getvalue())
