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

from ..corpus.model import Corpus
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


def write_tables(corpus: Corpus, out_dir: Path, bom: bool = False) -> Path:
    """``officials.csv``, ``entities.csv``, ``relations.csv`` and ``relation_evidence.csv`` in ``out_dir``.

    Returns ``out_dir``.

    Multi-valued cells (aliases, doc ids, titles) are joined with ``|``; ``confidence`` is that of the graph
    node or edge (of the post, in ``officials.csv``).
    """
    _write(out_dir / "entities.csv", ENTITY_COLUMNS, _entity_rows(corpus), bom)
    _write(out_dir / "relations.csv", RELATION_COLUMNS, _relation_rows(corpus), bom)
    _write(out_dir / "relation_evidence.csv", EVIDENCE_COLUMNS, _evidence_rows(corpus), bom)
    _write(out_dir / "officials.csv", OFFICIAL_COLUMNS, official_rows(corpus), bom)
    return out_dir


def official_rows(corpus: Corpus) -> Iterable[dict]:
    """One row per post: the person, the title, the place it is in and the organisation it belongs to."""
    committees = {node.committee_of: node.id for node in corpus.nodes if node.committee_of}
    for edge in corpus.sorted_edges():
        person, target = corpus.node(edge.head), corpus.node(edge.tail)
        if edge.label not in POSTS or person.type != "PERSON":
            continue
        place = edge.tail if target.type == "PLACE" else _place_of(corpus, edge.tail)
        organisation = edge.tail if target.type == "ORG" else committees.get(place) if place else None
        where = corpus.node(place) if place else None
        yield {"person_id": edge.head, "person": person.label, "relation": edge.label,
               "unit": where.label if where else "", "unit_code": (where and where.code) or "",
               "unit_level": (where and where.level) or "", "post_id": edge.tail,
               "organisation": corpus.node(organisation).label if organisation else "",
               **_cells(edge.attributes(), ("title", "documents", "doc_ids", "first_seen", "last_seen", "confidence",
                                            "status", "rank", "as_of"))}


def _place_of(corpus: Corpus, org: str) -> str | None:
    """The place an organisation leads (a party committee) or is located in."""
    committee = corpus.node(org).committee_of
    if committee in corpus.by_id:
        return committee
    for edge in corpus.out_edges(org):
        if edge.label == "LOCATED_IN" and corpus.node(edge.tail).type == "PLACE":
            return edge.tail
    return None


def _entity_rows(corpus: Corpus) -> Iterable[dict]:
    for node in sorted(corpus.nodes, key=lambda n: n.id):
        yield {"id": node.id, **_cells(node.attributes(), ENTITY_COLUMNS[1:])}


def _relation_rows(corpus: Corpus) -> Iterable[dict]:
    for edge in corpus.sorted_edges():
        yield {"id": edge.id, "head_id": edge.head, "head": corpus.node(edge.head).label, "type": edge.label,
               "tail_id": edge.tail, "tail": corpus.node(edge.tail).label,
               **_cells(edge.attributes(), RELATION_COLUMNS[6:]), "evidence": len(edge.evidence)}


def _evidence_rows(corpus: Corpus) -> Iterable[dict]:
    for edge in corpus.sorted_edges():
        for evidence in edge.evidence:
            yield {"relation_id": edge.id, "head_id": edge.head, "type": edge.label, "tail_id": edge.tail,
                   **evidence.model_dump(include=set(EVIDENCE_COLUMNS[4:]))}


def _cells(values: dict, columns: Iterable[str]) -> dict:
    """Cells of the named attributes: lists joined with ``|``, missing ones empty."""
    return {k: "|".join(map(str, values[k])) if isinstance(values.get(k), list) else values.get(k, "")
            for k in columns}


def _write(path: Path, columns: tuple[str, ...], rows: Iterable[dict], bom: bool) -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return atomic_write_text(path, ("\ufeff" if bom else "") + buffer.getvalue())
