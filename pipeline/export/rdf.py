"""RDF with rdflib: Turtle and JSON-LD over a small vocabulary that reuses schema.org and PROV-O.

IRIs depend only on node keys and division codes, so they are the same in every run:

- ``urn:cadregraph:place:<code>``: a place with a division code (the division list's parents too);
- ``urn:cadregraph:place:<parent code>/<hash>``: a village or community under a coded place;
- ``urn:cadregraph:<person|place|organization|initiative>:<hash>``: any other entity (hash of its node key);
- ``urn:cadregraph:document:<doc id>`` and ``urn:cadregraph:relation:<hash>``.

Entities are ``schema:Person``, ``schema:Place``, ``schema:Organization`` or
``cg:Initiative`` with ``schema:name``/``schema:alternateName`` (``@zh``),
``cg:code`` (division code), ``cg:level``, ``schema:containedInPlace``,
``cg:partyCommitteeOf``, ``cg:documentCount``, ``cg:mentionCount``, ``cg:confidence`` and
``prov:wasDerivedFrom`` their documents (``schema:NewsArticle``, ``prov:Entity``).
Relations are direct triples (``cg:secretaryOf``, ``cg:holdsPosition``,
``cg:promotes``; ``LOCATED_IN`` as ``schema:containedInPlace`` between places,
``schema:location`` otherwise) and, for their evidence, an ``rdf:Statement``
that is a ``prov:Entity`` with ``cg:title``, ``cg:weight``, ``cg:firstSeen``,
``cg:lastSeen``, ``cg:rule``, ``cg:confidence`` and ``prov:wasDerivedFrom`` each supporting document
and each piece of evidence: a ``cg:Evidence`` (``prov:Entity``) with ``cg:sentence`` (``@zh``),
``cg:start``/``cg:end`` (offsets in the document's text), ``cg:rule``, ``cg:unit`` and
``prov:wasDerivedFrom`` its document (``urn:cadregraph:evidence:<hash>``).
``cg:confidence`` is an ``xsd:decimal`` in [0, 1] (see :mod:`pipeline.confidence`).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import networkx as nx

from .attributes import evidence_list, items
from .files import atomic_write_text

if TYPE_CHECKING:
    import rdflib

BASE = "urn:cadregraph:"
VOCAB = "urn:cadregraph:vocab#"
SCHEMA = "https://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"
PREFIXES = {"cg": VOCAB, "schema": SCHEMA, "prov": PROV, "xsd": XSD,
            "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}
CLASSES = {"PERSON": SCHEMA + "Person", "PLACE": SCHEMA + "Place", "ORG": SCHEMA + "Organization",
           "INITIATIVE": VOCAB + "Initiative"}
KINDS = {"PERSON": "person", "PLACE": "place", "ORG": "organization", "INITIATIVE": "initiative"}
PREDICATES = {"SECRETARY_OF": VOCAB + "secretaryOf", "HOLDS_POSITION": VOCAB + "holdsPosition",
              "PROMOTES": VOCAB + "promotes", "SUCCEEDED": VOCAB + "succeeded"}
# A post's latest status, its date (ISO 8601 of any precision: 2019, 2019-05-12) and its rank, as literals.
POST_FIELDS = (("status", "status"), ("as_of", "asOf"), ("rank", "rank"))
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CODED = re.compile(r"place:(\d+)/")


def write_turtle(graph: nx.MultiDiGraph, out_dir: Path) -> Path:
    """``out_dir/graph.ttl``."""
    return atomic_write_text(out_dir / "graph.ttl", to_rdf(graph).serialize(format="turtle"))


def write_jsonld(graph: nx.MultiDiGraph, out_dir: Path) -> Path:
    """``out_dir/graph.jsonld``, compacted with an inline context (no remote context is fetched)."""
    text = to_rdf(graph).serialize(format="json-ld", context=dict(PREFIXES), indent=1, ensure_ascii=False)
    return atomic_write_text(out_dir / "graph.jsonld", text)


def node_iri(node: str, data: dict) -> str:
    """The stable IRI of a corpus-graph node."""
    kind = KINDS.get(data.get("type", ""), "entity")
    if data.get("type") == "PLACE" and data.get("code"):
        return f"{BASE}place:{data['code']}"
    digest = hashlib.sha1(node.encode("utf-8")).hexdigest()[:16]
    coded = _CODED.match(node)
    return f"{BASE}place:{coded.group(1)}/{digest}" if coded and kind == "place" else f"{BASE}{kind}:{digest}"


def document_iri(doc_id: str) -> str:
    return f"{BASE}document:{quote(doc_id, safe='')}"


def to_rdf(graph: nx.MultiDiGraph) -> rdflib.Graph:
    """The RDF graph of a flat corpus graph (see the module docstring for the vocabulary)."""
    import rdflib  # noqa: PLC0415 (heavy; only RDF exports need it)

    out = rdflib.Graph()
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, rdflib.Namespace(namespace), override=True)
    iris = {node: rdflib.URIRef(node_iri(node, data)) for node, data in graph.nodes(data=True)}
    add = _Adder(out, rdflib)
    for doc_id, meta in sorted(graph.graph.get("documents", {}).items()):
        add.document(doc_id, meta)
    for node, data in graph.nodes(data=True):
        add.entity(iris[node], node, data, iris)
    add.divisions(graph.graph.get("divisions", {}), {d.get("code") for _, d in graph.nodes(data=True)})
    for head, tail, label, data in graph.edges(keys=True, data=True):
        add.relation(iris[head], iris[tail], label, data, graph.nodes[head].get("type") == "PLACE"
                     and graph.nodes[tail].get("type") == "PLACE")
    return out


class _Adder:
    """Adds the triples of one kind of thing to an rdflib graph."""

    def __init__(self, out: rdflib.Graph, rdflib_module) -> None:
        self.out, self.lib = out, rdflib_module
        self.ref = rdflib_module.URIRef

    def triple(self, subject, predicate: str, value) -> None:
        self.out.add((subject, self.ref(predicate), value))

    def literal(self, value, lang: str | None = None):
        return self.lib.Literal(value, lang=lang)

    def date(self, value: str):
        if _DATE.fullmatch(value):
            return self.lib.Literal(value, datatype=self.ref(XSD + "date"))
        return self.lib.Literal(value)

    def typed(self, subject, *classes: str) -> None:
        for cls in classes:
            self.triple(subject, PREFIXES["rdf"] + "type", self.ref(cls))

    def document(self, doc_id: str, meta: dict) -> None:
        doc = self.ref(document_iri(doc_id))
        self.typed(doc, SCHEMA + "NewsArticle", PROV + "Entity")
        self.triple(doc, SCHEMA + "identifier", self.literal(doc_id))
        if meta.get("title"):
            self.triple(doc, SCHEMA + "headline", self.literal(meta["title"], "zh"))
        if meta.get("date"):
            self.triple(doc, SCHEMA + "datePublished", self.date(meta["date"]))
        if meta.get("source"):
            self.triple(doc, VOCAB + "outlet", self.literal(meta["source"], "zh"))

    def entity(self, iri, node: str, data: dict, iris: dict) -> None:
        self.typed(iri, CLASSES.get(data.get("type", ""), PROV + "Entity"))
        self.triple(iri, SCHEMA + "name", self.literal(str(data.get("label", node)), "zh"))
        self.triple(iri, VOCAB + "key", self.literal(node))
        for alias in items(data.get("aliases")):
            self.triple(iri, SCHEMA + "alternateName", self.literal(alias, "zh"))
        for field, predicate in (("code", "code"), ("level", "level"), ("official_name", "officialName")):
            if data.get(field):
                self.triple(iri, VOCAB + predicate, self.literal(str(data[field])))
        if data.get("parent_code"):
            self.triple(iri, SCHEMA + "containedInPlace", self.ref(f"{BASE}place:{data['parent_code']}"))
        if data.get("committee_of") in iris:
            self.triple(iri, VOCAB + "partyCommitteeOf", iris[data["committee_of"]])
        self.triple(iri, VOCAB + "documentCount", self.literal(int(data.get("documents", 0))))
        self.triple(iri, VOCAB + "mentionCount", self.literal(int(data.get("mentions", 0))))
        self.confidence(iri, data)
        self.seen(iri, data)

    def divisions(self, divisions: dict, node_codes: set) -> None:
        """Places of the division list that no document names: the parents that link the mentioned places."""
        for code, entry in sorted(divisions.items()):
            if code in node_codes:
                continue
            iri = self.ref(f"{BASE}place:{code}")
            self.typed(iri, SCHEMA + "Place")
            self.triple(iri, SCHEMA + "name", self.literal(entry["name"], "zh"))
            self.triple(iri, VOCAB + "code", self.literal(code))
            self.triple(iri, VOCAB + "level", self.literal(entry["level"]))
            if entry.get("parent"):
                self.triple(iri, SCHEMA + "containedInPlace", self.ref(f"{BASE}place:{entry['parent']}"))

    def relation(self, head, tail, label: str, data: dict, between_places: bool) -> None:
        if label == "LOCATED_IN":
            predicate = SCHEMA + ("containedInPlace" if between_places else "location")
        else:
            predicate = PREDICATES.get(label, VOCAB + label.lower())
        self.triple(head, predicate, tail)
        digest = hashlib.sha1(f"{head}|{label}|{tail}".encode()).hexdigest()[:16]
        statement = self.ref(f"{BASE}relation:{digest}")
        self.typed(statement, PREFIXES["rdf"] + "Statement", PROV + "Entity")
        self.triple(statement, PREFIXES["rdf"] + "subject", head)
        self.triple(statement, PREFIXES["rdf"] + "predicate", self.ref(predicate))
        self.triple(statement, PREFIXES["rdf"] + "object", tail)
        self.triple(statement, VOCAB + "relationType", self.literal(label))
        self.triple(statement, VOCAB + "weight", self.literal(int(data.get("weight", 0))))
        for title in items(data.get("title")):
            self.triple(statement, VOCAB + "title", self.literal(title, "zh"))
        for rule in items(data.get("rules")):
            self.triple(statement, VOCAB + "rule", self.literal(rule))
        for field, name in POST_FIELDS:
            if data.get(field):
                self.triple(statement, VOCAB + name, self.literal(str(data[field])))
        self.confidence(statement, data)
        self.seen(statement, data)
        for evidence in evidence_list(data):
            self.triple(statement, PROV + "wasDerivedFrom", self.evidence(statement, evidence))

    def evidence(self, statement, evidence: dict):
        """The node of one piece of evidence: the sentence, its offsets and rule, derived from its document."""
        where = f"{statement}|{evidence['doc_id']}|{evidence['start']}|{evidence['end']}|{evidence['rule']}"
        node = self.ref(f"{BASE}evidence:{hashlib.sha1(where.encode('utf-8', 'surrogatepass')).hexdigest()[:16]}")
        self.typed(node, VOCAB + "Evidence", PROV + "Entity")
        self.triple(node, VOCAB + "sentence", self.literal(evidence["sentence"], "zh"))
        self.triple(node, VOCAB + "start", self.literal(int(evidence["start"])))
        self.triple(node, VOCAB + "end", self.literal(int(evidence["end"])))
        self.triple(node, VOCAB + "rule", self.literal(evidence["rule"]))
        if evidence.get("unit"):
            self.triple(node, VOCAB + "unit", self.literal(evidence["unit"]))
        self.triple(node, PROV + "wasDerivedFrom", self.ref(document_iri(evidence["doc_id"])))
        return node

    def confidence(self, subject, data: dict) -> None:
        # A decimal, not a double: its lexical form survives Turtle and JSON-LD unchanged.
        if data.get("confidence") is not None:
            value = str(round(float(data["confidence"]), 4))
            self.triple(subject, VOCAB + "confidence", self.lib.Literal(value, datatype=self.ref(XSD + "decimal")))

    def seen(self, subject, data: dict) -> None:
        for doc_id in items(data.get("doc_ids")):
            self.triple(subject, PROV + "wasDerivedFrom", self.ref(document_iri(doc_id)))
        for field, predicate in (("first_seen", "firstSeen"), ("last_seen", "lastSeen")):
            if data.get(field):
                self.triple(subject, VOCAB + predicate, self.date(str(data[field])))

