"""GraphML for Gephi: scalar attributes only, no None, XML-illegal characters removed, key and edge ids unique.

Lists are joined with ``|``; an edge's ``evidence`` is a JSON string ``[[doc_id, start, end, rule], …]``;
edge ids are stable hashes of (source, target, label), the ``id`` column of the CSV tables (Gephi keeps
only the first edge of an id it has seen).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import networkx as nx

from .attributes import compact_evidence, edge_id
from .files import atomic_write_text

# Characters XML 1.0 forbids, which GraphML readers reject.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def gephi_ready(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose ids and attributes GraphML can hold: str/int/float/bool, XML-clean, with label and type.

    Edge keys become the stable edge ids; the relation type stays in ``label`` and ``type``.
    """
    out: nx.MultiDiGraph = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        attrs = _clean_attrs(data)
        attrs.setdefault("label", str(node))
        attrs.setdefault("type", "")
        out.add_node(_clean(str(node)), **attrs)
    for head, tail, key, data in graph.edges(keys=True, data=True):
        attrs = _clean_attrs({**data, "evidence": compact_evidence(data) or None})
        attrs.setdefault("label", str(key))
        attrs.setdefault("type", str(key))
        out.add_edge(_clean(str(head)), _clean(str(tail)), key=edge_id(str(head), str(tail), str(key)), **attrs)
    return out


def write_graphml(graph: nx.MultiDiGraph, out_dir: Path) -> Path:
    buffer = io.BytesIO()
    nx.write_graphml(gephi_ready(graph), buffer, encoding="utf-8")
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
