"""GEXF 1.3 for Gephi: entity types coloured and sized with the viz module, publication dates for the timeline."""

from __future__ import annotations

import math
from pathlib import Path
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from ..corpus.model import Corpus
from .files import atomic_write_text
from .graphml import gephi_ready

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

# Colour (r, g, b) and base size per entity type; the size grows with the number of documents.
TYPE_STYLE: dict[str, tuple[tuple[int, int, int], float]] = {
    "PERSON": ((228, 26, 28), 14.0),
    "PLACE": ((55, 126, 184), 10.0),
    "ORG": ((77, 175, 74), 8.0),
    "INITIATIVE": ((255, 127, 0), 6.0),
}
_OTHER_STYLE = ((153, 153, 153), 6.0)

NODE_ATTRIBUTES = (("type", "string"), ("code", "string"), ("level", "string"), ("aliases", "string"),
                   ("doc_ids", "string"), ("documents", "integer"), ("mentions", "integer"),
                   ("first_seen", "string"), ("last_seen", "string"), ("confidence", "double"))
EDGE_ATTRIBUTES = (("type", "string"), ("title", "string"), ("doc_ids", "string"), ("documents", "integer"),
                   ("first_seen", "string"), ("last_seen", "string"), ("rules", "string"), ("confidence", "double"),
                   ("evidence", "string"), ("status", "string"), ("rank", "string"), ("as_of", "string"),
                   ("unit", "string"))


def write_gexf(corpus: Corpus, out_dir: Path) -> Path:
    """``out_dir/graph.gexf``: nodes and edges live from their first to their last publication date."""
    return atomic_write_text(out_dir / "graph.gexf", gexf_text(corpus))


def gexf_text(corpus: Corpus) -> str:
    """The GEXF 1.3 document of the corpus."""
    graph = gephi_ready(corpus)
    root = Element("gexf", {"xmlns": GEXF_NS, "xmlns:viz": VIZ_NS, "xmlns:xsi": XSI_NS, "version": "1.3",
                            "xsi:schemaLocation": f"{GEXF_NS} {GEXF_NS}/gexf.xsd"})
    meta = SubElement(root, "meta")
    SubElement(meta, "creator").text = "cadregraph"
    SubElement(meta, "description").text = "officials, places, organisations and initiatives from local-government news"
    body = SubElement(root, "graph", {"defaultedgetype": "directed", "mode": "dynamic", "timeformat": "date"})
    _declare(body, "node", NODE_ATTRIBUTES)
    _declare(body, "edge", EDGE_ATTRIBUTES)
    nodes = SubElement(body, "nodes")
    for node, data in graph.nodes(data=True):
        element = SubElement(nodes, "node", {"id": node, "label": str(data["label"]), **_lifetime(data)})
        _values(element, "node", data, NODE_ATTRIBUTES)
        (r, g, b), base = TYPE_STYLE.get(data["type"], _OTHER_STYLE)
        SubElement(element, "viz:color", {"r": str(r), "g": str(g), "b": str(b), "a": "1.0"})
        size = base * (1 + math.log2(max(int(data.get("documents", 1)), 1)))
        SubElement(element, "viz:size", {"value": f"{size:.1f}"})
    edges = SubElement(body, "edges")
    for head, tail, key, data in graph.edges(keys=True, data=True):
        attrs = {"id": key, "source": head, "target": tail, "label": str(data["label"]), "kind": str(data["type"]),
                 "weight": str(float(data.get("weight", 1))), **_lifetime(data)}
        _values(SubElement(edges, "edge", attrs), "edge", data, EDGE_ATTRIBUTES)
    indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode") + "\n"


def _declare(body: Element, kind: str, attributes: tuple[tuple[str, str], ...]) -> None:
    declared = SubElement(body, "attributes", {"class": kind})
    for name, gexf_type in attributes:
        SubElement(declared, "attribute", {"id": f"{kind[0]}_{name}", "title": name, "type": gexf_type})


def _values(element: Element, kind: str, data: dict, attributes: tuple[tuple[str, str], ...]) -> None:
    present = [(name, data[name]) for name, _ in attributes if data.get(name) not in (None, "")]
    if present:
        values = SubElement(element, "attvalues")
        for name, value in present:
            SubElement(values, "attvalue", {"for": f"{kind[0]}_{name}", "value": str(value)})


def _lifetime(data: dict) -> dict[str, str]:
    """GEXF ``start``/``end``: the first and last publication dates, when the documents have dates."""
    if data.get("first_seen") and data.get("last_seen"):
        return {"start": str(data["first_seen"]), "end": str(data["last_seen"])}
    return {}
