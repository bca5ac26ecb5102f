"""Reading the corpus graph's attributes the same way in every exporter: list values, edge ids, evidence."""

from __future__ import annotations

import hashlib
import json


def items(value) -> list[str]:
    """The items of a list-valued graph attribute; a ``|``-joined string is read from graph.json of older versions."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [item for item in value.split("|") if item]
    return [str(item) for item in value]


def edge_id(head: str, tail: str, label: str) -> str:
    """The stable id of an edge: the graph has one edge per (head, tail, label), so their hash is unique."""
    return "r" + hashlib.sha1(f"{head}\x1f{tail}\x1f{label}".encode("utf-8", "surrogatepass")).hexdigest()[:16]


def evidence_list(data: dict) -> list[dict]:
    """An edge's evidence records (doc_id, sentence, start, end, rule, unit), sorted."""
    evidence = data.get("evidence")
    return list(evidence) if isinstance(evidence, (list, tuple)) else []


def compact_evidence(data: dict) -> str:
    """Evidence as one JSON string for GraphML and GEXF: ``[[doc_id, start, end, rule], …]`` (no sentences)."""
    rows = [[e["doc_id"], e["start"], e["end"], e["rule"]] for e in evidence_list(data)]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")) if rows else ""
