"""Report data: what the HTML report shows, read back from an output folder of ``extract``.

Everything is plain JSON-ready data (lists and dicts with short keys), so the page
stays small: a document's entity marks and evidence sentences are offsets into its
text, and nodes, documents and places refer to one another by index. Only the
corpus graph's top nodes by support are kept, and article text only up to a
budget (documents with the most posts first); the others show their evidence.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from pydantic import ValidationError

from ..config import ReportConfig
from ..export.jsonfiles import DOCUMENTS_DIR
from ..graph import CorpusGraph, GraphRecord
from ..manifest import MANIFEST_FILE, read_entries
from ..schema import Document

RUN_FILE = "run.json"
ERRORS_FILE = "errors.jsonl"
POSITIONS = ("SECRETARY_OF", "HOLDS_POSITION")
# A place key of a place without a code under a coded one (朝阳新村 in 滨城区): place:<code>/<names>
_UNDER_CODE = re.compile(r"place:(\d+)/(.+)")
# Words before a post (or its unit) saying the post is no longer held: 原县委书记, 时任镇长
_FORMER = ("原", "前任", "时任")


class ReportError(Exception):
    """The folder cannot be reported on; the message says what to give instead."""


@dataclass
class _Corpus:
    """The documents of a folder, their corpus graph and the corpus node of each document entity."""

    documents: list[Document]
    graph: nx.MultiDiGraph
    node_of: list[list[str]]  # per document, per entity: its corpus node
    problems: list[str] = field(default_factory=list)


def build_report_data(out_dir: Path, settings: ReportConfig | None = None) -> dict:
    """The report's data for the output folder ``out_dir`` (see the module docstring).

    Raises:
        ReportError: the folder has no ``documents/`` folder.
    """
    settings = settings or ReportConfig()
    corpus = read_corpus(out_dir)
    nodes = top_nodes(corpus.graph, settings.max_graph_nodes)
    index = {node: i for i, node in enumerate(nodes)}
    documents, evidence = document_data(corpus, index, settings.max_text_chars)
    doc_index = {d.doc_id: i for i, d in enumerate(corpus.documents)}
    return {
        "summary": summary_data(out_dir, corpus),
        "nodes": [node_data(corpus.graph, node, doc_index) for node in nodes],
        "edges": edge_data(corpus.graph, index),
        "officials": officials(corpus, index, evidence),
        "places": places(corpus.graph, index, doc_index),
        "documents": documents,
        "initial_nodes": min(settings.graph_nodes, len(nodes)),
    }


def read_corpus(out_dir: Path) -> _Corpus:
    """Every valid document of ``out_dir/documents`` and their corpus graph; invalid files become problems."""
    folder = out_dir / DOCUMENTS_DIR
    if not folder.is_dir():
        raise ReportError(f"{out_dir}: no {DOCUMENTS_DIR}/ folder; give an output folder of 'cadregraph extract'")
    documents, records, problems = [], [], []
    for file in sorted(folder.glob("*.json")):
        try:
            document = Document.model_validate_json(file.read_bytes())
            records.append(GraphRecord.of(document))
        except (ValidationError, ValueError, OSError) as err:
            problems.append(f"{file.name}: {str(err).splitlines()[0]}")
            continue
        documents.append(document)
    corpus = CorpusGraph()
    for record in records:
        corpus.add(record)
    graph = corpus.graph
    node_by_key = {key: node for node, keys in graph.nodes(data="keys") for key in keys}
    node_of = [[node_by_key[n.keys[0]] for n in record.nodes] for record in records]
    return _Corpus(documents, graph, node_of, problems)


def top_nodes(graph: nx.MultiDiGraph, limit: int) -> list[str]:
    """The ``limit`` nodes with the most supporting documents (then mentions, then name)."""
    def support(node: str) -> tuple:
        data = graph.nodes[node]
        return -len(data["doc_ids"]), -data["mentions"], data["label"], node

    return sorted(graph.nodes, key=support)[:limit]


def node_data(graph: nx.MultiDiGraph, node: str, doc_index: dict[str, int]) -> dict:
    """One node: type, label, support (documents), mentions, code, aliases, parent chain, first documents."""
    data = graph.nodes[node]
    code = unit_code(graph, node)
    out = {"t": data["type"], "l": data["label"], "s": len(data["doc_ids"]), "m": data["mentions"],
           "a": sorted(data["aliases"])[:8], "d": sorted(doc_index[d] for d in data["doc_ids"])[:100]}
    if code:
        out["c"] = code
        out["p"] = [name for _, name in division_chain(graph, code)[1:]]
    return out


def edge_data(graph: nx.MultiDiGraph, index: dict[str, int]) -> list[list]:
    """Edges between kept nodes: [head, tail, label, documents, titles]."""
    return [[index[h], index[t], key, len(d["doc_ids"]), "、".join(sorted(d["titles"]))]
            for h, t, key, d in graph.edges(keys=True, data=True) if h in index and t in index]


def unit_code(graph: nx.MultiDiGraph, node: str) -> str | None:
    """The division code of a node: its own, its committee's place, or the nearest coded place it lies in."""
    seen = set()
    while node not in seen:
        seen.add(node)
        data = graph.nodes[node]
        if data.get("code"):
            return data["code"]
        if data.get("committee_of") in graph:
            node = data["committee_of"]
            continue
        located = [t for _, t, key in graph.out_edges(node, keys=True) if key == "LOCATED_IN"]
        if not located:
            return None
        node = min(located)
    return None


def division_chain(graph: nx.MultiDiGraph, code: str) -> list[tuple[str, str]]:
    """(code, name) of a division and its ancestors, nearest first, from the graph's division table."""
    divisions = graph.graph.get("divisions", {})
    chain, seen = [], set()
    while code in divisions and code not in seen:
        seen.add(code)
        chain.append((code, divisions[code]["name"]))
        code = divisions[code].get("parent")
    return chain


def post_status(document: Document, relation_index: int) -> str:
    """'acting', 'nominee' or 'former' when the post's wording says so (代县长, 县长候选人, 原县委书记), else ''."""
    relation = document.relations[relation_index]
    title = relation.title or ""
    if title.startswith(("代理", "代")):
        return "acting"
    if title.endswith("候选人"):
        return "nominee"
    unit = next((e for e in document.entities if e.id == relation.tail), None)
    names = [title] + ([unit.text, *unit.aliases] if unit else [])
    for evidence in relation.evidence:
        if any(f"{word}{name}" in evidence.sentence for word in _FORMER for name in names if name):
            return "former"
    return ""


def document_data(corpus: _Corpus, index: dict[str, int], text_budget: int) -> tuple[list[dict], dict]:
    """Per document its text (within the budget), entity marks and relations; and the evidence of each edge.

    Returns:
        The documents, and per corpus edge ``(head, tail, label)`` a list of ``(document, relation, status,
        date)`` of the relations behind it.
    """
    with_text = texts_within(corpus.documents, text_budget)
    documents, evidence = [], {}
    for i, (document, nodes) in enumerate(zip(corpus.documents, corpus.node_of, strict=True)):
        documents.append(one_document(document, nodes, index, i in with_text))
        by_id = {e.id: nodes[n] for n, e in enumerate(document.entities)}
        for r, relation in enumerate(document.relations):
            status = post_status(document, r) if relation.label in POSITIONS else ""
            key = (by_id[relation.head], by_id[relation.tail], relation.label)
            evidence.setdefault(key, []).append((i, r, status, document.metadata.date or ""))
    return documents, evidence


def texts_within(documents: list[Document], budget: int) -> set[int]:
    """Indices of the documents whose text the report embeds: most posts first, then most relations."""
    order = sorted(range(len(documents)), key=lambda i: (
        -sum(r.label in POSITIONS for r in documents[i].relations), -len(documents[i].relations),
        documents[i].doc_id))
    chosen, used = set(), 0
    for i in order:
        size = len(documents[i].text)
        if used + size <= budget:
            chosen.add(i)
            used += size
    return chosen


def one_document(document: Document, nodes: list[str], index: dict[str, int], with_text: bool) -> dict:
    """A document: metadata, text (or None), entities, non-overlapping marks, relations with evidence."""
    position = {e.id: n for n, e in enumerate(document.entities)}
    entities = [[e.label, e.text, index.get(nodes[n], -1), e.code] for n, e in enumerate(document.entities)]
    marks, end = [], -1
    spans = sorted((m.start, -m.end, position[e.id]) for e in document.entities for m in e.mentions)
    for start, stop, n in ((start, -stop, n) for start, stop, n in spans):
        if start >= end:  # nested or overlapping mentions: the first, outermost one is marked
            marks.append([start, stop, n])
            end = stop
    sentences: dict[tuple[int, int], int] = {}
    relations = []
    for relation in document.relations:
        spans = [sentences.setdefault(_stripped(document.text, v.start, v.end), len(sentences))
                 for v in relation.evidence]
        relations.append([relation.label, position[relation.head], position[relation.tail], relation.title or "",
                          spans])
    metadata = document.metadata
    text = document.text if with_text else None
    return {"id": document.doc_id, "title": metadata.title or "", "date": metadata.date or "",
            "source": metadata.source or "", "url": metadata.url or "", "chars": len(document.text),
            "text": text, "entities": entities, "marks": marks if with_text else [], "relations": relations,
            "sentences": [list(span) if with_text else document.text[span[0]:span[1]] for span in sentences]}


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without the white space at its ends (a sentence's offsets include its line break)."""
    piece = text[start:end]
    return start + len(piece) - len(piece.lstrip()), end - len(piece) + len(piece.rstrip())


def officials(corpus: _Corpus, index: dict[str, int], evidence: dict) -> list[dict]:
    """One row per person and unit they hold a post in: post, unit, code, chain, status, dates, support."""
    graph, rows = corpus.graph, []
    for head, tail, label, data in graph.edges(keys=True, data=True):
        if label not in POSITIONS:
            continue
        code = unit_code(graph, tail)
        chain = division_chain(graph, code) if code else []
        found = sorted(evidence.get((head, tail, label), []), key=lambda e: (e[3], e[0]))
        statuses = [status for *_, status, _ in found]
        rows.append({
            "person": graph.nodes[head]["label"], "pn": index.get(head, -1), "post": "、".join(sorted(data["titles"])),
            "label": label, "unit": graph.nodes[tail]["label"], "un": index.get(tail, -1), "code": code or "",
            "chain": [name for _, name in (chain[1:] if chain and chain[0][0] == graph.nodes[tail].get("code")
                                            else chain)],
            "status": statuses[-1] if statuses else "", "first": min(data["dates"], default=""),
            "last": max(data["dates"], default=""), "support": len(data["doc_ids"]),
            "evidence": [[doc, relation] for doc, relation, *_ in found][:50],
        })
    rows.sort(key=lambda r: (-r["support"], r["person"], r["unit"]))
    return rows


def places(graph: nx.MultiDiGraph, index: dict[str, int], doc_index: dict[str, int]) -> list[dict]:
    """The administrative tree: every division named or above one named, and uncoded places under their unit.

    Each place: code (or ''), name, level, parent code (or ''), node index and naming documents.
    """
    divisions = graph.graph.get("divisions", {})
    out = {code: {"code": code, "name": d["name"], "level": d.get("level") or "", "parent": d.get("parent", ""),
                  "n": -1, "d": []} for code, d in divisions.items()}
    loose = []
    for node, data in graph.nodes(data=True):
        if data["type"] != "PLACE":
            continue
        docs = sorted(doc_index[d] for d in data["doc_ids"])
        if data.get("code") in out:
            out[data["code"]].update(n=index.get(node, -1), d=docs)
            continue
        under = next((m for m in map(_UNDER_CODE.fullmatch, sorted(data["keys"])) if m and m.group(1) in out), None)
        loose.append({"code": "", "name": data["label"], "level": data.get("level") or "",
                      "parent": under.group(1) if under else "", "n": index.get(node, -1), "d": docs})
    return sorted(out.values(), key=lambda p: p["code"]) + sorted(loose, key=lambda p: (p["parent"], p["name"]))


def summary_data(out_dir: Path, corpus: _Corpus) -> dict:
    """Counts, failures (from ``errors.jsonl``), unreadable documents and run info (``run.json``) of a run."""
    failures = read_jsonl(out_dir / ERRORS_FILE)
    entries = read_entries(out_dir / MANIFEST_FILE)
    graph = corpus.graph
    return {
        "folder": str(out_dir),
        "documents": len(corpus.documents),
        "inputs": len(entries) or len(corpus.documents) + len(failures),
        "failed": len(failures),
        "failures": [{k: f.get(k) or "" for k in ("path", "record_id", "stage", "error", "message")}
                     for f in failures[:1000]],
        "failure_kinds": _counts(f"{f.get('stage', '')}: {f.get('error', '')}" for f in failures),
        "problems": corpus.problems,
        "entities": _counts(e.label for d in corpus.documents for e in d.entities),
        "relations": _counts(r.label for d in corpus.documents for r in d.relations),
        "nodes": _counts(t for _, t in graph.nodes(data="type")),
        "edges": _counts(k for _, _, k in graph.edges(keys=True)),
        "chars": sum(len(d.text) for d in corpus.documents),
        "run": read_run_info(out_dir),
    }


def read_jsonl(path: Path) -> list[dict]:
    """The JSON objects of a JSON Lines file; a missing file or a torn line gives nothing."""
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            out.append(value)
    return out


def read_run_info(out_dir: Path) -> dict | None:
    """What ``run.json`` says about the last run (time, throughput), if the folder has one."""
    try:
        value = json.loads((out_dir / RUN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _counts(values) -> dict[str, int]:
    return dict(sorted(Counter(values).items()))
