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
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from ..corpus.model import Corpus, CorpusEdge, CorpusEvidence, CorpusNode, DivisionInfo, DocumentInfo
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


def write_turtle(corpus: Corpus, out_dir: Path) -> Path:
    """``out_dir/graph.ttl``."""
    return atomic_write_text(out_dir / "graph.ttl", to_rdf(corpus).serialize(format="turtle"))


def write_jsonld(corpus: Corpus, out_dir: Path) -> Path:
    """``out_dir/graph.jsonld``, compacted with an inline context (no remote context is fetched).

    rdflib writes nodes and values in its hash order, which changes from process to process; they are
    sorted, so the same corpus always gives the same file.
    """
    text = to_rdf(corpus).serialize(format="json-ld", context=dict(PREFIXES), indent=1, ensure_ascii=False)
    return atomic_write_text(out_dir / "graph.jsonld", json.dumps(_sorted_values(json.loads(text)),
                                                                  ensure_ascii=False, indent=1))


def _sorted_values(value):
    """A JSON-LD value with every array sorted (the compacted form has no ``@list``, so order carries nothing)."""
    if isinstance(value, dict):
        return {key: _sorted_values(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [_sorted_values(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, ensure_ascii=False, sort_keys=True))
    return value


def node_iri(node: CorpusNode) -> str:
    """The stable IRI of a corpus node."""
    kind = KINDS.get(node.type, "entity")
    if node.type == "PLACE" and node.code:
        return f"{BASE}place:{node.code}"
    digest = hashlib.sha1(node.id.encode("utf-8")).hexdigest()[:16]
    coded = _CODED.match(node.id)
    return f"{BASE}place:{coded.group(1)}/{digest}" if coded and kind == "place" else f"{BASE}{kind}:{digest}"


def document_iri(doc_id: str) -> str:
    return f"{BASE}document:{quote(doc_id, safe='')}"


def to_rdf(corpus: Corpus) -> rdflib.Graph:
    """The RDF graph of the corpus (see the module docstring for the vocabulary)."""
    import rdflib  # noqa: PLC0415 (heavy; only RDF exports need it)

    out = rdflib.Graph()
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, rdflib.Namespace(namespace), override=True)
    iris = {node.id: rdflib.URIRef(node_iri(node)) for node in corpus.nodes}
    add = _Adder(out, rdflib)
    for doc_id, meta in sorted(corpus.documents.items()):
        add.document(doc_id, meta)
    for node in corpus.nodes:
        add.entity(iris[node.id], node, iris)
    add.divisions(corpus.divisions, {node.code for node in corpus.nodes})
    for edge in corpus.edges:
        add.relation(iris[edge.head], iris[edge.tail], edge,
                     corpus.node(edge.head).type == "PLACE" and corpus.node(edge.tail).type == "PLACE")
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

    def document(self, doc_id: str, meta: DocumentInfo) -> None:
        doc = self.ref(document_iri(doc_id))
        self.typed(doc, SCHEMA + "NewsArticle", PROV + "Entity")
        self.triple(doc, SCHEMA + "identifier", self.literal(doc_id))
        if meta.title:
            self.triple(doc, SCHEMA + "headline", self.literal(meta.title, "zh"))
        if meta.date:
            self.triple(doc, SCHEMA + "datePublished", self.date(meta.date))
        if meta.source:
            self.triple(doc, VOCAB + "outlet", self.literal(meta.source, "zh"))

    def entity(self, iri, node: CorpusNode, iris: dict) -> None:
        self.typed(iri, CLASSES.get(node.type, PROV + "Entity"))
        self.triple(iri, SCHEMA + "name", self.literal(node.label, "zh"))
        self.triple(iri, VOCAB + "key", self.literal(node.id))
        for alias in node.aliases:
            self.triple(iri, SCHEMA + "alternateName", self.literal(alias, "zh"))
        for value, predicate in ((node.code, "code"), (node.level, "level"), (node.official_name, "officialName")):
            if value:
                self.triple(iri, VOCAB + predicate, self.literal(value))
        if node.parent_code:
            self.triple(iri, SCHEMA + "containedInPlace", self.ref(f"{BASE}place:{node.parent_code}"))
        if node.committee_of in iris:
            self.triple(iri, VOCAB + "partyCommitteeOf", iris[node.committee_of])
        self.triple(iri, VOCAB + "documentCount", self.literal(node.documents))
        self.triple(iri, VOCAB + "mentionCount", self.literal(node.mentions))
        self.confidence(iri, node.confidence)
        self.seen(iri, node)

    def divisions(self, divisions: dict[str, DivisionInfo], node_codes: set) -> None:
        """Places of the division list that no document names: the parents that link the mentioned places."""
        for code, entry in sorted(divisions.items()):
            if code in node_codes:
                continue
            iri = self.ref(f"{BASE}place:{code}")
            self.typed(iri, SCHEMA + "Place")
            self.triple(iri, SCHEMA + "name", self.literal(entry.name, "zh"))
            self.triple(iri, VOCAB + "code", self.literal(code))
            self.triple(iri, VOCAB + "level", self.literal(entry.level))
            if entry.parent:
                self.triple(iri, SCHEMA + "containedInPlace", self.ref(f"{BASE}place:{entry.parent}"))

    def relation(self, head, tail, edge: CorpusEdge, between_places: bool) -> None:
        label = edge.label
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
        self.triple(statement, VOCAB + "weight", self.literal(edge.weight))
        for title in edge.title:
            self.triple(statement, VOCAB + "title", self.literal(title, "zh"))
        for rule in edge.rules:
            self.triple(statement, VOCAB + "rule", self.literal(rule))
        for field, name in POST_FIELDS:
            if getattr(edge, field):
                self.triple(statement, VOCAB + name, self.literal(getattr(edge, field)))
        self.confidence(statement, edge.confidence)
        self.seen(statement, edge)
        for evidence in edge.evidence:
            self.triple(statement, PROV + "wasDerivedFrom", self.evidence(statement, evidence))

    def evidence(self, statement, evidence: CorpusEvidence):
        """The node of one piece of evidence: the sentence, its offsets and rule, derived from its document."""
        where = f"{statement}|{evidence.doc_id}|{evidence.start}|{evidence.end}|{evidence.rule}"
        node = self.ref(f"{BASE}evidence:{hashlib.sha1(where.encode('utf-8', 'surrogatepass')).hexdigest()[:16]}")
        self.typed(node, VOCAB + "Evidence", PROV + "Entity")
        self.triple(node, VOCAB + "sentence", self.literal(evidence.sentence, "zh"))
        self.triple(node, VOCAB + "start", self.literal(evidence.start))
        self.triple(node, VOCAB + "end", self.literal(evidence.end))
        self.triple(node, VOCAB + "rule", self.literal(evidence.rule))
        if evidence.unit:
            self.triple(node, VOCAB + "unit", self.literal(evidence.unit))
        self.triple(node, PROV + "wasDerivedFrom", self.ref(document_iri(evidence.doc_id)))
        return node

    def confidence(self, subject, confidence: float) -> None:
        # A decimal, not a double: its lexical form survives Turtle and JSON-LD unchanged.
        value = str(round(confidence, 4))
        self.triple(subject, VOCAB + "confidence", self.lib.Literal(value, datatype=self.ref(XSD + "decimal")))

    def seen(self, subject, item: CorpusNode | CorpusEdge) -> None:
        for doc_id in item.doc_ids:
            self.triple(subject, PROV + "wasDerivedFrom", self.ref(document_iri(doc_id)))
        for value, predicate in ((item.first_seen, "firstSeen"), (item.last_seen, "lastSeen")):
            if value:
                self.triple(subject, VOCAB + predicate, self.date(value))

