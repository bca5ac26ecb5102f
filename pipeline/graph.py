"""The corpus graph: one node per real entity across documents, one edge per relation type.

Node keys say when two documents' entities are the same thing:
places by division code (or name under a resolved parent), persons by name
plus the unit they hold a post in (never by name alone), organisations by a
name that carries its place, initiatives by name plus their promoter.
Anything the text does not pin down stays scoped to its document.
Every node and edge lists the documents it comes from.
"""

from __future__ import annotations

import networkx as nx

from .ner.lexicon import LEVEL_PREFIXES
from .schema import Document, Entity

_POSITIONS = ("SECRETARY_OF", "HOLDS_POSITION")


class CorpusGraph:
    """Accumulates documents into a networkx ``MultiDiGraph``."""

    def __init__(self) -> None:
        self.graph = nx.MultiDiGraph()

    def add(self, document: Document) -> None:
        keys = node_keys(document)
        for entity in document.entities:
            self._add_node(keys[entity.id], entity, document)
        for rel in document.relations:
            head, tail = keys[rel.head], keys[rel.tail]
            if self.graph.has_edge(head, tail, key=rel.label):
                data = self.graph.edges[head, tail, rel.label]
            else:
                self.graph.add_edge(head, tail, key=rel.label, label=rel.label, type=rel.label, titles=set(),
                                    doc_ids=set(), dates=set(), sources=set(), rules=set(), evidence=0)
                data = self.graph.edges[head, tail, rel.label]
            data["doc_ids"].add(document.doc_id)
            data["sources"].add(rel.source)
            data["rules"].update(e.rule for e in rel.evidence)
            data["evidence"] += len(rel.evidence)
            if rel.title:
                data["titles"].update(rel.title.split("、"))
            if document.metadata.date:
                data["dates"].add(document.metadata.date)

    def _add_node(self, key: str, entity: Entity, document: Document) -> None:
        if key not in self.graph:
            self.graph.add_node(key, label=entity.text, type=entity.label, doc_ids=set(), aliases=set(), mentions=0)
        data = self.graph.nodes[key]
        data["doc_ids"].add(document.doc_id)
        data["aliases"].update(entity.aliases)
        data["mentions"] += len(entity.mentions)
        if len(entity.text) > len(data["label"]):
            data["aliases"].add(data["label"])
            data["label"] = entity.text
        for field in ("code", "level", "official_name"):
            if getattr(entity, field):
                data[field] = getattr(entity, field)

    def flat(self) -> nx.MultiDiGraph:
        """A copy with scalar attributes only (sets joined with |), as GraphML and JSON need."""
        out = nx.MultiDiGraph()
        for node, data in self.graph.nodes(data=True):
            out.add_node(node, **_scalars(data))
        for head, tail, key, data in self.graph.edges(keys=True, data=True):
            attrs = _scalars(data)
            attrs["weight"] = len(data["doc_ids"])
            dates = sorted(data["dates"])
            if dates:
                attrs["first_seen"], attrs["last_seen"] = dates[0], dates[-1]
            attrs["title"] = attrs.pop("titles", "")
            out.add_edge(head, tail, key=key, **attrs)
        return out


def node_keys(document: Document) -> dict[str, str]:
    """Corpus-wide node key of every entity of a document."""
    by_id = {e.id: e for e in document.entities}
    keys: dict[str, str] = {}
    located = {r.head: r.tail for r in document.relations if r.label == "LOCATED_IN"}
    for e in document.entities:
        if e.label == "PLACE":
            keys[e.id] = _place_key(e, by_id, located, document.doc_id)
    for e in document.entities:
        if e.label == "ORG":
            global_name = e.text[0] not in LEVEL_PREFIXES and not e.text.endswith(("党委", "党工委", "党组"))
            keys[e.id] = f"org:{e.text}" if global_name else f"org:{document.doc_id}/{e.text}"
    posts = {}
    for r in document.relations:
        if r.label in _POSITIONS and r.head not in posts and r.tail in keys:
            posts[r.head] = keys[r.tail]
    for e in document.entities:
        if e.label == "PERSON":
            keys[e.id] = f"person:{e.text}@{posts[e.id]}" if e.id in posts else f"person:{document.doc_id}/{e.text}"
    owners = {r.tail: keys.get(r.head) for r in document.relations if r.label == "PROMOTES"}
    for e in document.entities:
        if e.label == "INITIATIVE":
            owner = owners.get(e.id)
            keys[e.id] = f"initiative:{e.text}@{owner}" if owner else f"initiative:{document.doc_id}/{e.text}"
    return keys


def _place_key(e: Entity, by_id: dict[str, Entity], located: dict[str, str], doc_id: str) -> str:
    if e.code:
        return f"place:{e.code}"
    parent = by_id.get(located.get(e.id, ""))
    if parent is not None and parent.code:
        return f"place:{parent.code}/{e.text}"
    return f"place:{doc_id}/{e.text}"


def _scalars(data: dict) -> dict:
    out = {}
    for k, v in data.items():
        if v is None:
            continue
        if isinstance(v, set):
            v = "|".join(sorted(v))
        out[k] = v
    if "doc_ids" in data:
        out["documents"] = len(data["doc_ids"])
    return out
