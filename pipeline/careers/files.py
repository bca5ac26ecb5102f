"""The files of ``cadregraph timeline``: ``positions.csv`` (one row per person, unit and post) and
``careers.jsonl`` (one line per person: posts in date order, transitions, successions)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx

from ..export.files import atomic_write_text
from .timeline import Change, PostHistory, Timeline

POSITIONS_FILE = "positions.csv"
CAREERS_FILE = "careers.jsonl"
POSITION_COLUMNS = ("person", "person_key", "unit", "unit_code", "title", "rank", "status", "first_seen", "last_seen",
                    "documents")


def write_timeline(timeline: Timeline, graph: nx.MultiDiGraph, out_dir: Path, bom: bool = False) -> list[Path]:
    """Write ``positions.csv`` and ``careers.jsonl`` into ``out_dir`` (created); returns both paths.

    ``documents`` in the CSV is the ids of the supporting documents joined with ``|``.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=POSITION_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    careers = timeline.by_person()
    for posts in careers.values():
        for post in posts:
            writer.writerow(position_row(post, graph))
    lines = [json.dumps(career(person, posts, timeline, graph), ensure_ascii=False)
             for person, posts in sorted(careers.items(), key=lambda item: (_label(graph, item[0]), item[0]))]
    return [atomic_write_text(out_dir / POSITIONS_FILE, ("\ufeff" if bom else "") + buffer.getvalue()),
            atomic_write_text(out_dir / CAREERS_FILE, "".join(line + "\n" for line in lines))]


def position_row(post: PostHistory, graph: nx.MultiDiGraph) -> dict:
    """One row of ``positions.csv``."""
    return {"person": _label(graph, post.person), "person_key": post.person, "unit": _label(graph, post.unit),
            "unit_code": unit_code(graph, post.unit), "title": post.title, "rank": post.rank or "",
            "status": post.status, "first_seen": post.first_seen or "", "last_seen": post.last_seen or "",
            "documents": "|".join(post.documents)}


def career(person: str, posts: list[PostHistory], timeline: Timeline, graph: nx.MultiDiGraph) -> dict:
    """One line of ``careers.jsonl``: the person, their posts in date order, and the changes they take part in."""
    return {
        "person": _label(graph, person), "person_key": person,
        "posts": [{k: v for k, v in position_row(p, graph).items() if k not in ("person", "person_key")}
                  | {"relation": p.label, "unit_key": p.unit, "documents": p.documents,
                     "history": [{"doc_id": s.doc_id, "as_of": s.as_of, "status": s.status, "title": s.title}
                                 for s in sorted(p.sightings, key=lambda s: (s.as_of or "9999", s.doc_id))]}
                  for p in posts],
        "transitions": [_change(c, graph) for c in timeline.transitions if c.after.person == person],
        "succeeded": [_change(c, graph) for c in timeline.successions if c.after.person == person],
        "succeeded_by": [_change(c, graph) for c in timeline.successions if c.before.person == person],
    }


def unit_code(graph: nx.MultiDiGraph, unit: str) -> str:
    """The division code of a unit node, or of the place a party committee leads ('' when none)."""
    data = graph.nodes[unit] if unit in graph else {}
    place = data.get("committee_of")
    return data.get("code") or (graph.nodes[place].get("code") if place in graph else None) or ""


def _change(change: Change, graph: nx.MultiDiGraph) -> dict:
    def post(p: PostHistory) -> dict:
        return {"person": _label(graph, p.person), "person_key": p.person, "unit": _label(graph, p.unit),
                "unit_code": unit_code(graph, p.unit), "title": p.title}

    return {"from": post(change.before), "to": post(change.after), "date": change.date, "rule": change.rule,
            "evidence": [{"doc_id": s.doc_id, "status": s.status, "as_of": s.as_of, "sentence": v[0], "start": v[1],
                          "end": v[2]} for s in change.evidence for v in s.evidence[:1]]}


def _label(graph: nx.MultiDiGraph, node: str) -> str:
    return str(graph.nodes[node].get("label", node)) if node in graph else node
