"""The corpus as exporters read it: typed nodes, edges, documents and divisions.

:meth:`pipeline.corpus.graph.CorpusGraph.corpus` builds it from the resolved
graph; :meth:`Corpus.from_graph` reads it back from ``graph.json`` (also of
older versions, whose list values were ``|``-joined strings), and
:meth:`Corpus.to_networkx` gives the networkx graph ``graph.json`` holds.
Only GraphML and GEXF flatten it further, to the scalars those formats allow.
"""

from __future__ import annotations

import hashlib
from functools import cached_property
from typing import Annotated, Any

import networkx as nx
from pydantic import BaseModel, BeforeValidator, ConfigDict, model_validator


def _listed(value: Any) -> list:
    """A list attribute; a ``|``-joined string (graph.json of older versions) or a set read as one."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [item for item in value.split("|") if item]
    return sorted(value) if isinstance(value, (set, frozenset)) else list(value)


Listed = Annotated[list[str], BeforeValidator(_listed)]


def edge_id(head: str, tail: str, label: str) -> str:
    """The stable id of an edge: the graph has one edge per (head, tail, label), so their hash is unique."""
    return "r" + hashlib.sha1(f"{head}\x1f{tail}\x1f{label}".encode("utf-8", "surrogatepass")).hexdigest()[:16]


class _Record(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    def attributes(self, *skip: str) -> dict[str, Any]:
        """Set fields in declaration order as plain values (what a networkx graph holds); None left out."""
        out: dict[str, Any] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if name in skip or value is None:
                continue
            out[name] = [v.model_dump() for v in value] if _is_models(value) else value
        return out


class CorpusEvidence(_Record):
    """One sentence supporting an edge: its document, offsets in the document's text, and the rule."""

    doc_id: str
    sentence: str
    start: int
    end: int
    rule: str
    unit: str | None = None


class CorpusNode(_Record):
    """One real entity across documents (see :mod:`pipeline.corpus.graph` for how they are keyed)."""

    id: str
    type: str
    aliases: Listed = []
    doc_ids: Listed = []
    mentions: int = 0
    code: str | None = None
    level: str | None = None
    official_name: str | None = None
    parent_code: str | None = None
    committee_of: str | None = None  # the node of the place a party committee leads
    confidence: float = 0.0
    keys: Listed = []  # every candidate key resolved to this node
    label: str
    documents: int = 0
    first_seen: str | None = None
    last_seen: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = _counted(data)
            data.setdefault("label", data.get("id"))
        return data


class CorpusEdge(_Record):
    """All documents' relations of one type between two nodes."""

    head: str
    tail: str
    label: str  # the relation type
    type: str
    doc_ids: Listed = []
    dates: Listed = []
    sources: Listed = []
    rules: Listed = []
    evidence: list[CorpusEvidence] = []
    confidence: float = 0.0
    unit: str | None = None  # SUCCEEDED: the node of the post's unit
    status: str | None = None  # positions: the latest status, date and the highest rank of the post
    as_of: str | None = None
    rank: str | None = None
    documents: int = 0
    weight: int = 0  # distinct articles: duplicates count once
    first_seen: str | None = None
    last_seen: str | None = None
    title: Listed = []

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = _counted(data)
            data.setdefault("type", data.get("label"))
            data.setdefault("weight", data["documents"])
        return data

    @property
    def id(self) -> str:
        return edge_id(self.head, self.tail, self.label)


class DocumentInfo(_Record):
    """What the graph keeps of a document's metadata."""

    title: str | None = None
    date: str | None = None
    source: str | None = None
    duplicate_group: str | None = None  # the smallest doc id of its group of duplicate articles


class DivisionInfo(_Record):
    """A division of the official list on the chain of some place node (its parents link the places)."""

    name: str
    level: str | None = None
    parent: str | None = None


class Corpus(_Record):
    """Nodes, edges, the documents they come from and the divisions above their places."""

    nodes: list[CorpusNode] = []
    edges: list[CorpusEdge] = []
    documents: dict[str, DocumentInfo] = {}
    divisions: dict[str, DivisionInfo] = {}

    @cached_property
    def by_id(self) -> dict[str, CorpusNode]:
        return {node.id: node for node in self.nodes}

    def node(self, node_id: str) -> CorpusNode:
        return self.by_id[node_id]

    def sorted_edges(self) -> list[CorpusEdge]:
        """Edges by head, type, tail: the order of the tables."""
        return sorted(self.edges, key=lambda e: (e.head, e.label, e.tail))

    @cached_property
    def edges_from(self) -> dict[str, list[CorpusEdge]]:
        """Each node's outgoing edges, in edge order."""
        out: dict[str, list[CorpusEdge]] = {}
        for edge in self.edges:
            out.setdefault(edge.head, []).append(edge)
        return out

    def out_edges(self, node_id: str) -> list[CorpusEdge]:
        return self.edges_from.get(node_id, [])

    @classmethod
    def from_graph(cls, graph: nx.MultiDiGraph) -> Corpus:
        """The corpus of a networkx graph as :meth:`to_networkx` gives it (and ``graph.json`` holds).

        Raises:
            pydantic.ValidationError: a node or edge lacks a required attribute.
        """
        return cls.model_validate({
            "nodes": [{**data, "id": node} for node, data in graph.nodes(data=True)],
            "edges": [{**data, "head": head, "tail": tail, "label": data.get("label", key)}
                      for head, tail, key, data in graph.edges(keys=True, data=True)],
            "documents": graph.graph.get("documents", {}), "divisions": graph.graph.get("divisions", {})})

    def to_networkx(self) -> nx.MultiDiGraph:
        """A ``MultiDiGraph`` with plain attributes (scalars, lists, evidence as dicts), keyed by relation type.

        Graph attributes ``documents`` and ``divisions`` hold the document metadata and the division chain.
        """
        graph: nx.MultiDiGraph = nx.MultiDiGraph()
        graph.graph["documents"] = {doc_id: info.attributes() for doc_id, info in self.documents.items()}
        graph.graph["divisions"] = {code: info.attributes() for code, info in self.divisions.items()}
        for node in self.nodes:
            graph.add_node(node.id, **node.attributes("id"))
        for edge in self.edges:
            graph.add_edge(edge.head, edge.tail, key=edge.label, **edge.attributes("head", "tail"))
        return graph


def _counted(data: dict) -> dict:
    """Attributes without None values, and ``documents`` counted from ``doc_ids`` where older files lack it."""
    data = {k: v for k, v in data.items() if v is not None}
    data.setdefault("documents", len(_listed(data.get("doc_ids"))))
    return data


def _is_models(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], BaseModel)
