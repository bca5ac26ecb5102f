"""Embedded knowledge base: the corpus graph as RDF in a persistent pyoxigraph store, queried with SPARQL."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..export.rdf import PREFIXES, to_rdf
from .model import Corpus


class KBError(Exception):
    """The store cannot be opened or the query is invalid; the message says which."""


@dataclass
class QueryResult:
    """A SELECT result (variables and rows of plain values), an ASK answer, or CONSTRUCT triples as N-Triples."""

    variables: list[str]
    rows: list[list[str | None]]
    boolean: bool | None = None
    triples: list[str] | None = None


def load_store(corpus: Corpus, store_dir: Path) -> int:
    """Replace the contents of the store at ``store_dir`` with the RDF of ``corpus``; returns the triple count."""
    import pyoxigraph as ox  # noqa: PLC0415 (native extension; only the KB needs it)

    data = to_rdf(corpus).serialize(format="nt", encoding="utf-8")
    store_dir.mkdir(parents=True, exist_ok=True)
    try:
        store = ox.Store(str(store_dir))
    except OSError as err:
        raise KBError(f"{store_dir}: cannot open the store ({err}); is another process using it?") from err
    store.clear()
    store.bulk_load(data, ox.RdfFormat.N_TRIPLES)
    store.flush()
    return len(store)


def query_store(store_dir: Path, sparql: str) -> QueryResult:
    """Run a SPARQL query on the store; the prefixes cg:, schema:, prov:, xsd: and rdf: are predeclared."""
    import pyoxigraph as ox  # noqa: PLC0415

    if not store_dir.is_dir():
        raise KBError(f"{store_dir}: no store; build one with 'cadregraph kb load GRAPH --store {store_dir}'")
    try:
        store = ox.Store.read_only(str(store_dir))
    except OSError as err:
        raise KBError(f"{store_dir}: cannot open the store read-only ({err})") from err
    try:
        answer = store.query(sparql, prefixes=dict(PREFIXES))
    except SyntaxError as err:
        raise KBError(f"invalid SPARQL: {_syntax_problem(str(err))}") from err
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult([], [], boolean=bool(answer))
    if isinstance(answer, ox.QueryTriples):
        return QueryResult([], [], triples=[str(t) + " ." for t in answer])
    variables = [v.value for v in answer.variables]
    rows = [[_plain(solution[v]) for v in variables] for solution in answer]
    return QueryResult(variables, rows)


def _syntax_problem(message: str) -> str:
    """The parser's message in one line: where, and what it expected, without its grammar dump."""
    first = message.splitlines()[0] if message else "syntax error"
    if "Prefix not found" in message:
        where = first.split(": expected", 1)[0]
        return (f"{where}: prefix not declared; cg:, schema:, prov:, xsd: and rdf: are predeclared, "
                "declare others with PREFIX name: <iri>")
    return first if len(first) <= 120 else first[:117] + "..."


def _plain(term) -> str | None:
    """An IRI, literal or blank node as its plain value (no quotes, datatype or language tag)."""
    return None if term is None else term.value
