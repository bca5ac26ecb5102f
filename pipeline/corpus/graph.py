"""The corpus graph: one node per real entity across documents, one edge per relation type.

Cross-document resolution works on node keys that say when two documents'
entities are the same thing:

- places by division code; a place without a code by its name under the
  nearest coded place of its ``LOCATED_IN`` chain (the unit chain of a title
  such as 滨城区秦皇台乡朝阳新村);
- organisations by name without 中共; a party committee or branch
  (中共安宁市委, 安宁市委, 青龙街道党工委) by the place it leads;
- persons by name plus each unit they hold a post in, never by name alone;
  a person with posts in two units joins the nodes of both;
- initiatives by normalised name plus the unit of each promoter (a person's
  post, a committee's place, the place or organisation itself).

Nodes and edges carry the ``confidence`` of their best supporting entity or
relation: the maximum over documents, not a noisy-OR (1 − Π(1 − c)), because
a rule's errors repeat across documents (the same wording, re-published
copies) rather than being independent; how many documents support it is
``documents``/``weight``. ``weight`` counts distinct articles: exact and
near-duplicate copies of one article (:mod:`pipeline.corpus.duplicates`) count once.

Anything the text does not pin down stays scoped to its document, and the
scope is a hash of the article text, so a re-published copy of an article
resolves like the original. The graph is rebuilt from the documents sorted by
id, so it does not depend on the order they were added in, and adding a
document id again replaces it (merging is idempotent).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import networkx as nx

from ..careers.dates import document_date
from ..careers.timeline import add_successions, build_timeline, sightings_of
from ..config import DuplicatesConfig
from .duplicates import duplicate_groups, text_signature
from .model import Corpus, CorpusEdge, CorpusNode
from ..lexicon import LEVEL_PREFIXES, load_lexicon
from ..schema import Document, Entity

_POSITIONS = ("SECRETARY_OF", "HOLDS_POSITION")
_SCOPE = "~"
_DROP = str.maketrans("", "", "“”‘’\"'「」『』《》〈〉·•・ \t\n" + _SCOPE)


class NodeRecord(NamedTuple):
    """One entity of a document as the corpus graph needs it: its candidate keys and attributes."""

    keys: tuple[str, ...]
    committee: str | None
    label: str
    text: str
    aliases: tuple[str, ...]
    mentions: int
    code: str | None
    level: str | None
    official_name: str | None
    parent_code: str | None
    divisions: tuple[tuple[str, str, str | None], ...]  # (code, name, level), the entity's unit first
    confidence: float


class EdgeRecord(NamedTuple):
    """One relation of a document; ``head`` and ``tail`` index the record's nodes.

    ``evidence`` holds (sentence, start, end, rule, unit) per piece of evidence.
    """

    head: int
    tail: int
    label: str
    source: str
    title: str | None
    rules: tuple[str, ...]
    evidence: tuple[tuple[str, int, int, str, str | None], ...]
    confidence: float
    posts: tuple[tuple[str, str, str | None, str | None], ...] = ()  # a position's (title, status, as_of, rank)


class GraphRecord(NamedTuple):
    """What the corpus graph keeps of a document: plain data, cheap to send between processes.

    ``digest`` and ``signature`` (a MinHash of the text) find duplicate articles; ``written_nodes`` and
    ``written_group`` are the node keys and duplicate group its JSON holds, to tell whether it needs updating.
    """

    doc_id: str
    metadata: dict[str, str]
    nodes: tuple[NodeRecord, ...]
    edges: tuple[EdgeRecord, ...]
    warnings: tuple[str, ...]
    digest: str = ""
    signature: bytes = b""
    written_nodes: tuple[str | None, ...] = ()
    written_group: str | None = None

    @classmethod
    def of(cls, document: Document, duplicates: DuplicatesConfig | None = None) -> GraphRecord:
        """The record of a document, its entities keyed as in the module docstring.

        Args:
            duplicates: how to fingerprint the text (default: the default settings).

        Raises:
            ValueError: a relation names an entity id the document does not have.
        """
        index = {e.id: i for i, e in enumerate(document.entities)}
        for rel in document.relations:
            if rel.head not in index or rel.tail not in index:
                raise ValueError(f"{document.doc_id}: relation {rel.id} names an unknown entity "
                                 f"({rel.head} -> {rel.tail})")
        keys = node_keys(document, hashlib.sha1(document.text.encode("utf-8")).hexdigest()[:12])
        nodes = tuple(
            NodeRecord(tuple(keys.candidates[e.id]), keys.committee_of.get(e.id), e.label, e.text, tuple(e.aliases),
                       len(e.mentions), e.code, e.level, e.official_name,
                       e.parents[0].code if e.parents else None, _divisions(e), e.confidence)
            for e in document.entities)
        edges = tuple(
            EdgeRecord(index[r.head], index[r.tail], r.label, r.source, r.title,
                       tuple(sorted({v.rule for v in r.evidence})),
                       tuple((v.sentence, v.start, v.end, v.rule, v.unit) for v in r.evidence), r.confidence,
                       _posts(r, document_date(document.metadata.date, document.text)))
            for r in document.relations)
        metadata = document.metadata.model_dump(include={"date", "title", "source"}, exclude_none=True)
        digest, signature = text_signature(document.text, duplicates or DuplicatesConfig())
        return cls(document.doc_id, metadata, nodes, edges, tuple(document.warnings), digest, signature,
                   tuple(e.node for e in document.entities), document.duplicate_group)


@dataclass
class LocalKeys:
    """Node keys of one document's entities: candidate keys per entity id (all denote the same node)."""

    candidates: dict[str, list[str]] = field(default_factory=dict)
    committee_of: dict[str, str] = field(default_factory=dict)

    def primary(self, entity_id: str) -> str:
        return self.candidates[entity_id][0]


class CorpusGraph:
    """Accumulates documents and resolves their entities into a networkx ``MultiDiGraph``.

    Args:
        duplicates: how duplicate articles are found (default: the default settings).
    """

    def __init__(self, duplicates: DuplicatesConfig | None = None) -> None:
        self.duplicates = duplicates or DuplicatesConfig()
        self._records: dict[str, GraphRecord] = {}
        self._graph: nx.MultiDiGraph | None = None
        self._groups: dict[str, str] | None = None
        self._roots: dict[str, str] = {}

    def add(self, document: Document | GraphRecord) -> None:
        """Add (or replace) a document, or the record made of it where it was extracted.

        Raises:
            ValueError: a relation names an entity id the document does not have.
        """
        record = document if isinstance(document, GraphRecord) else GraphRecord.of(document, self.duplicates)
        self._records[record.doc_id] = record
        self._graph = self._groups = None

    def __len__(self) -> int:
        return len(self._records)

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self._records

    @property
    def groups(self) -> dict[str, str]:
        """Duplicate group (its smallest doc id) of every document that has a duplicate."""
        if self._groups is None:
            records = [self._records[doc_id] for doc_id in sorted(self._records)]
            self._groups = duplicate_groups([(r.doc_id, r.digest, r.signature) for r in records], self.duplicates)
        return self._groups

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The resolved graph with set-valued attributes (built on first access after a change)."""
        if self._graph is None:
            records = [self._records[doc_id] for doc_id in sorted(self._records)]
            self._graph, self._roots = _build_graph(records, self.groups)
        return self._graph

    def corpus(self) -> Corpus:
        """The typed corpus the exporters read: nodes and edges with sorted lists, documents and divisions.

        An edge's ``weight`` counts distinct articles, its ``evidence`` is sorted by document and offsets.
        """
        graph, groups = self.graph, self.groups
        nodes = [CorpusNode.model_validate({**data, "id": node, **_seen(data["dates"])})
                 for node, data in graph.nodes(data=True)]
        edges = [CorpusEdge.model_validate({
            "head": head, "tail": tail, **data, **_seen(data["dates"]), "title": data["titles"],
            "weight": len({groups.get(doc_id, doc_id) for doc_id in data["doc_ids"]}),
            "evidence": sorted(data["evidence"], key=lambda e: (e["doc_id"], e["start"], e["end"], e["rule"]))})
            for head, tail, data in graph.edges(data=True)]
        return Corpus.model_validate({"nodes": nodes, "edges": edges, "documents": graph.graph["documents"],
                                      "divisions": graph.graph["divisions"]})

    def flat(self) -> nx.MultiDiGraph:
        """The corpus as a networkx graph with plain attributes: what ``graph.json`` holds."""
        return self.corpus().to_networkx()

    def timeline(self):
        """Every official's posts over time, with transitions and successions (:mod:`pipeline.careers`)."""
        self.graph  # noqa: B018 - builds the graph and with it the node of every key
        records = [self._records[doc_id] for doc_id in sorted(self._records)]
        return build_timeline(sightings_of(records, self._roots))

    def updates(self) -> list[tuple[str, list[str], str | None]]:
        """Documents whose JSON holds other node keys or another duplicate group than the graph now gives.

        Returns (doc id, node key per entity, duplicate group), sorted by doc id.
        """
        groups = self.groups
        self.graph  # noqa: B018 - builds the graph and with it the node of every key
        roots = self._roots
        out = []
        for doc_id in sorted(self._records):
            record = self._records[doc_id]
            nodes = [roots[node.keys[0]] for node in record.nodes]
            if tuple(nodes) != record.written_nodes or groups.get(doc_id) != record.written_group:
                out.append((doc_id, nodes, groups.get(doc_id)))
        return out


def _build_graph(records: list[GraphRecord], groups: dict[str, str]) -> tuple[nx.MultiDiGraph, dict[str, str]]:
    """Resolve the entities of all documents into one graph: a union of their candidate keys.

    Returns the graph and the node of every candidate key.
    """
    union = _UnionFind()
    for record in records:
        for node in record.nodes:
            union.join(node.keys)
    members: dict[str, set[str]] = {}
    for key in union.parent:
        members.setdefault(union.find(key), set()).add(key)
    graph: nx.MultiDiGraph = nx.MultiDiGraph(documents={}, divisions={})
    for record in records:
        graph.graph["documents"][record.doc_id] = dict(record.metadata)
        if record.doc_id in groups:
            graph.graph["documents"][record.doc_id]["duplicate_group"] = groups[record.doc_id]
        date = record.metadata.get("date")
        node_roots = [union.find(node.keys[0]) for node in record.nodes]
        for node, root in zip(record.nodes, node_roots, strict=True):
            _add_node(graph, root, node, record.doc_id, date, union.find(node.committee) if node.committee else None)
            _add_divisions(graph.graph["divisions"], node.divisions)
        for edge in record.edges:
            _add_edge(graph, node_roots[edge.head], node_roots[edge.tail], edge, record.doc_id, date)
    for node, data in graph.nodes(data=True):
        data["keys"] = members.get(node, {node})
        data["label"] = data["official_name"] or min(data["names"], key=lambda n: (-len(n), n))
        data["aliases"] = (data["aliases"] | data["names"]) - {data["label"]}
    roots = {key: union.find(key) for key in union.parent}
    add_successions(graph, build_timeline(sightings_of(records, roots)))
    return graph, roots


def with_node_keys(document: Document) -> Document:
    """The document with each entity's ``node``: its key in a graph of this document alone.

    In a corpus graph the key is the same unless a person's or initiative's
    other documents join it to a smaller key; the batch then updates the file.
    """
    keys = node_keys(document, hashlib.sha1(document.text.encode("utf-8")).hexdigest()[:12])
    entities = [e.model_copy(update={"node": keys.primary(e.id)}) for e in document.entities]
    return document.model_copy(update={"entities": entities})


def node_keys(document: Document, scope: str) -> LocalKeys:
    """Candidate corpus keys of every entity of one document (see the module docstring)."""
    keys = LocalKeys()
    by_id = {e.id: e for e in document.entities}
    located = {r.head: r.tail for r in document.relations if r.label == "LOCATED_IN"}
    places: dict[str, str] = {}
    for e in document.entities:
        if e.label == "PLACE":
            key = _place_key(e, by_id, located, scope)
            keys.candidates[e.id] = [key]
            for name in (e.text, e.official_name, *e.aliases):
                if name and not _scoped(key):
                    places.setdefault(_norm(name), key)
    for e in document.entities:
        if e.label == "ORG":
            key, committee = _org_key(e, places, scope)
            keys.candidates[e.id] = [key]
            if committee:
                keys.committee_of[e.id] = committee

    def unit(entity_id: str) -> str:
        return keys.committee_of.get(entity_id) or keys.primary(entity_id)

    for e in document.entities:
        if e.label == "PERSON":
            posts = {unit(r.tail) for r in document.relations
                     if r.label in _POSITIONS and r.head == e.id and r.tail in keys.candidates}
            name = _norm(e.text)
            keys.candidates[e.id] = [f"person:{name}@{u}" for u in sorted(posts) if not _scoped(u)] \
                or [f"person:{_SCOPE}{scope}/{name}"]
    for e in document.entities:
        if e.label == "INITIATIVE":
            owners: set[str] = set()
            for r in document.relations:
                if r.label == "PROMOTES" and r.tail == e.id and r.head in keys.candidates:
                    head = by_id[r.head]
                    owners.update(_person_units(keys.candidates[r.head]) if head.label == "PERSON" else [unit(r.head)])
            name = _norm(e.text)
            keys.candidates[e.id] = [f"initiative:{name}@{o}" for o in sorted(owners) if not _scoped(o)] \
                or [f"initiative:{_SCOPE}{scope}/{name}"]
    return keys


def _place_key(e: Entity, by_id: dict[str, Entity], located: dict[str, str], scope: str) -> str:
    if e.code:
        return f"place:{e.code}"
    path, seen = [_norm(e.text)], {e.id}
    parent = by_id.get(located.get(e.id, ""))
    while parent is not None and parent.label == "PLACE" and parent.id not in seen:
        if parent.code:
            return f"place:{parent.code}/" + "/".join(reversed(path))
        path.append(_norm(parent.text))
        seen.add(parent.id)
        parent = by_id.get(located.get(parent.id, ""))
    return f"place:{_SCOPE}{scope}/{path[0]}"


def _org_key(e: Entity, places: dict[str, str], scope: str) -> tuple[str, str | None]:
    name = _norm(e.text)
    bare = name.removeprefix("中共") or name
    lexicon = load_lexicon()
    committee = lexicon.committee_name.fullmatch(bare)
    if committee and committee.group(1) in places:
        place = places[committee.group(1)]
        return f"org:party@{place}", place
    # Relative names (县财政局, 镇党委) only mean something inside their document.
    if bare[0] in LEVEL_PREFIXES or bare.endswith(lexicon.relative_bodies):
        return f"org:{_SCOPE}{scope}/{name}", None
    return f"org:{bare}", None


def _person_units(candidates: list[str]) -> list[str]:
    units = [c.split("@", 1)[1] for c in candidates if "@" in c]
    return units or candidates


def _scoped(key: str) -> bool:
    return _SCOPE in key


def _norm(name: str) -> str:
    """Name as compared across documents: NFKC (full-width folded), quotes, dots and spaces removed."""
    return unicodedata.normalize("NFKC", name).translate(_DROP) or name


def _divisions(entity: Entity) -> tuple[tuple[str, str, str | None], ...]:
    """The coded units of an entity, its own first, then its parents upwards."""
    own = ((entity.code, entity.official_name or entity.text, entity.level),) if entity.code else ()
    return own + tuple((p.code, p.name, p.level) for p in entity.parents)


def _add_node(graph: nx.MultiDiGraph, key: str, node: NodeRecord, doc_id: str, date: str | None,
              committee: str | None) -> None:
    if key not in graph:
        graph.add_node(key, type=node.label, names=set(), aliases=set(), doc_ids=set(), dates=set(), mentions=0,
                       code=None, level=None, official_name=None, parent_code=None, committee_of=None, confidence=0.0)
    data = graph.nodes[key]
    data["confidence"] = max(data["confidence"], node.confidence)
    data["names"].add(node.text)
    data["aliases"].update(node.aliases)
    data["doc_ids"].add(doc_id)
    if date:
        data["dates"].add(date)
    data["mentions"] += node.mentions
    values = {"code": node.code, "level": node.level, "official_name": node.official_name,
              "parent_code": node.parent_code, "committee_of": committee}
    for name, value in values.items():
        # The smallest value wins, so a conflict resolves the same way whatever the document order.
        if value and (data[name] is None or value < data[name]):
            data[name] = value


def _add_edge(graph: nx.MultiDiGraph, head: str, tail: str, edge: EdgeRecord, doc_id: str, date: str | None) -> None:
    if not graph.has_edge(head, tail, key=edge.label):
        graph.add_edge(head, tail, key=edge.label, label=edge.label, type=edge.label, titles=set(),
                       doc_ids=set(), dates=set(), sources=set(), rules=set(), evidence=[], confidence=0.0)
    data = graph.edges[head, tail, edge.label]
    data["confidence"] = max(data["confidence"], edge.confidence)
    data["doc_ids"].add(doc_id)
    data["sources"].add(edge.source)
    data["rules"].update(edge.rules)
    data["evidence"] += [{"doc_id": doc_id, "sentence": sentence, "start": start, "end": end, "rule": rule,
                          "unit": unit} for sentence, start, end, rule, unit in edge.evidence]
    if edge.title:
        data["titles"].update(edge.title.split("、"))
    if date:
        data["dates"].add(date)


def _posts(relation, date: str | None) -> tuple[tuple[str, str, str | None, str | None], ...]:
    """A position's posts; a document of schema 1.2 or older has none, and its titles count as current."""
    if relation.label not in _POSITIONS:
        return ()
    if relation.posts:
        return tuple((p.title, p.status, p.as_of, p.rank) for p in relation.posts)
    return tuple((title, "current", date, None) for title in (relation.title or "").split("、") if title)


def _add_divisions(divisions: dict, chain: tuple[tuple[str, str, str | None], ...]) -> None:
    for (code, name, level), parent in zip(chain, [c for c, _, _ in chain[1:]] + [None]):
        entry = {"name": name, "level": level}
        if parent:
            entry["parent"] = parent
        divisions.setdefault(code, entry)


class _UnionFind:
    """Disjoint sets of keys whose representative is the smallest key, so it is order independent."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        root = self.parent.setdefault(key, key)
        while root != self.parent[root]:
            root = self.parent[root]
        while key != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def join(self, keys: Sequence[str]) -> None:
        roots = sorted({self.find(k) for k in keys})
        for root in roots[1:]:
            self.parent[root] = roots[0]


def _seen(dates: set[str]) -> dict[str, str]:
    ordered = sorted(dates)
    return {"first_seen": ordered[0], "last_seen": ordered[-1]} if ordered else {}
