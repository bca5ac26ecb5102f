"""GraphML for Gephi: scalar attributes only, no None, XML-illegal characters removed, key and edge ids unique.

Lists are joined with ``|``; an edge's ``evidence`` is a JSON string ``[[doc_id, start, end, rule], …]``;
edge ids are stable hashes of (source, target, label), the ``id`` column of the CSV tables (Gephi keeps
only the first edge of an id it has seen).
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import networkx as nx

from ..corpus.model import Corpus, CorpusEdge, edge_id
from .files import atomic_write_text

# Characters XML 1.0 forbids, which GraphML readers reject.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def gephi_ready(corpus: Corpus) -> nx.MultiDiGraph:
    """The corpus with ids and attributes GraphML can hold: str/int/float/bool, XML-clean.

    Edges are keyed by their stable ids; the relation type is in ``label`` and ``type``.
    """
    out: nx.MultiDiGraph = nx.MultiDiGraph()
    for node in corpus.nodes:
        out.add_node(_clean(node.id), **_clean_attrs(node.attributes("id")))
    for edge in corpus.edges:
        attrs = _clean_attrs({**edge.attributes("head", "tail"), "evidence": compact_evidence(edge) or None})
        out.add_edge(_clean(edge.head), _clean(edge.tail), key=edge_id(edge.head, edge.tail, edge.label), **attrs)
    return out


def compact_evidence(edge: CorpusEdge) -> str:
    """Evidence as one JSON string: ``[[doc_id, start, end, rule], …]`` (no sentences)."""
    rows = [[e.doc_id, e.start, e.end, e.rule] for e in edge.evidence]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")) if rows else ""


def write_graphml(corpus: Corpus, out_dir: Path) -> Path:
    buffer = io.BytesIO()
    nx.write_graphml(gephi_ready(corpus), buffer, encoding="utf-8")
    return atomic_write_text(out_dir / "graph.graphml", buffer.getvalue().decode("utf-8"))


def _clean_attrs(data: dict) -> dict:
    out = {}
    for k, v in data.items():
        if v is None:
            continue
        if isinstance(v, (list, tuple, set)):
            v = "|".join(map(str, v))
        elif not isinstance(v, (str, int, float, bool)):
            v = str(v)
        out[_clean(str(k))] = _clean(v) if isinstance(v, str) else v
    return out


def _clean(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)
