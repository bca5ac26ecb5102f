"""Report data: what the HTML report shows, read back from an output folder of ``extract``.

The corpus graph is the folder's ``graph.json`` when it lists the same documents
as ``documents/`` (else it is rebuilt from them, slower). Document files are
parsed without re-validation (``extract`` validated them before writing), which
keeps a 5,000-document report within seconds; a file that cannot be read is
reported and skipped. A document entity belongs to the corpus node of its type
that lists the document and has its name.

Everything is plain JSON-ready data (lists and dicts with short keys), so the page
stays small: entity marks and evidence sentences are offsets into the text, and
nodes, documents and places refer to one another by index. Only the top nodes by
support are kept, and article text only up to a budget (documents with the most
posts first); the others show their evidence sentences.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import networkx as nx
import pydantic_core

from ..config import ReportConfig
from ..export.jsonfiles import DOCUMENTS_DIR
from ..batch.manifest import MANIFEST_FILE, read_entries
from ..careers.status import load_status_cues
from ..corpus.merge import GRAPH_JSON, merge_documents
from ..schema import trimmed_span

RUN_FILE = "run.json"
ERRORS_FILE = "errors.jsonl"
LABELS = ("PERSON", "PLACE", "ORG", "INITIATIVE")
_LABEL_INDEX = {label: i for i, label in enumerate(LABELS)}
POSITIONS = ("SECRETARY_OF", "HOLDS_POSITION")
# A place key of a place without a code under a coded one (朝阳新村 in 滨城区): place:<code>/<names>
_UNDER_CODE = re.compile(r"place:(\d+)/(.+)")
# Words before a post (or its unit) saying the post is no longer held: 原县委书记, 时任镇长


class ReportError(Exception):
    """The folder cannot be reported on; the message says what to give instead."""


@dataclass
class RunContents:
    """The documents of a folder (parsed JSON), their corpus graph as graph.json holds it, each entity's node."""

    documents: list[dict]
    graph: nx.MultiDiGraph
    node_of: list[list[str | None]]  # per document, per entity: its corpus node
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
    doc_index = {d["doc_id"]: i for i, d in enumerate(corpus.documents)}
    documents, evidence = document_data(corpus, index, settings.max_text_chars)
    return {
        "summary": summary_data(out_dir, corpus),
        "nodes": [node_data(corpus.graph, node, doc_index) for node in nodes],
        "edges": edge_data(corpus.graph, index),
        "officials": officials(corpus.graph, index, evidence),
        "places": places(corpus.graph, index, doc_index),
        "documents": documents,
        "initial_nodes": min(settings.graph_nodes, len(nodes)),
        "labels": LABELS,
    }


def read_corpus(out_dir: Path) -> RunContents:
    """The documents of ``out_dir/documents``, sorted by id, their corpus graph and entity nodes."""
    folder = out_dir / DOCUMENTS_DIR
    if not folder.is_dir():
        raise ReportError(f"{out_dir}: no {DOCUMENTS_DIR}/ folder; give an output folder of 'cadregraph extract'")
    documents, problems = [], []
    for file in sorted(folder.glob("*.json")):
        try:
            documents.append(_parse(file.read_bytes()))
        except (ValueError, OSError) as err:
            problems.append(f"{file.name}: {str(err).splitlines()[0]}")
    documents.sort(key=lambda d: d["doc_id"])
    graph = _graph_json(out_dir, {d["doc_id"] for d in documents})
    if graph is None:  # no graph.json, or not of these documents: rebuild it, validating every document
        merged = merge_documents([out_dir])
        graph = merged.graph.flat()
        problems = [p.removeprefix(f"{folder}/").splitlines()[0] for p in merged.problems]
        documents = [d for d in documents if d["doc_id"] in graph.graph["documents"]]
    return RunContents(documents, graph, entity_nodes(graph, documents), problems)


def _parse(raw: bytes) -> dict:
    """A document file as plain JSON, checked for the fields the report reads.

    Raises:
        ValueError: not JSON, or not a document.
    """
    document = pydantic_core.from_json(raw)
    fields = {"doc_id": str, "text": str, "metadata": dict, "entities": list, "relations": list}
    if not isinstance(document, dict) or not all(isinstance(document.get(k), t) for k, t in fields.items()):
        raise ValueError(f"not a document: it needs {', '.join(fields)}")
    return document


def _graph_json(out_dir: Path, doc_ids: set[str]) -> nx.MultiDiGraph | None:
    """The folder's ``graph.json`` if it is the graph of exactly these documents."""
    try:
        graph = nx.node_link_graph(json.loads((out_dir / GRAPH_JSON).read_text(encoding="utf-8")), edges="edges")
    except (OSError, ValueError, KeyError, TypeError, nx.NetworkXError):
        return None
    # graph.json holds a MultiDiGraph (its "directed" and "multigraph" flags say so); the stub says Graph
    return cast(nx.MultiDiGraph, graph) if set(graph.graph.get("documents", {})) == doc_ids else None


def entity_nodes(graph: nx.MultiDiGraph, documents: list[dict]) -> list[list[str | None]]:
    """Per document, per entity: the node of the entity's type that lists the document and has its name."""
    named: dict[str, dict[tuple[str, str], str]] = {}
    for node, data in sorted(graph.nodes(data=True)):
        names = {data.get("label"), data.get("official_name"), *_split(data.get("aliases"))} - {None, ""}
        for doc_id in _split(data.get("doc_ids")):
            by_name = named.setdefault(doc_id, {})
            for name in names:
                by_name.setdefault((data["type"], name), node)
    out = []
    for document in documents:
        by_name = named.get(document["doc_id"], {})
        out.append([next((by_name[(e["label"], n)] for n in (e["text"], *e.get("aliases", ())) if (e["label"], n)
                          in by_name), None) for e in document["entities"]])
    return out


def top_nodes(graph: nx.MultiDiGraph, limit: int) -> list[str]:
    """The ``limit`` nodes with the most supporting documents (then mentions, then name)."""
    def support(node: str) -> tuple:
        data = graph.nodes[node]
        return -data.get("documents", 0), -data.get("mentions", 0), data.get("label", ""), node

    return sorted(graph.nodes, key=support)[:limit]


def node_data(graph: nx.MultiDiGraph, node: str, doc_index: dict[str, int]) -> dict:
    """One node: type, label, support (documents), mentions, code, aliases, parent chain, first documents."""
    data = graph.nodes[node]
    docs = sorted(doc_index[d] for d in _split(data.get("doc_ids")) if d in doc_index)
    out = {"t": data["type"], "l": data.get("label", node), "s": data.get("documents", len(docs)),
           "m": data.get("mentions", 0), "a": sorted(_split(data.get("aliases")))[:8], "d": docs[:100]}
    if code := unit_code(graph, node):
        out["c"] = code
        out["p"] = [name for _, name in division_chain(graph, code)[1:]]
    return out


def edge_data(graph: nx.MultiDiGraph, index: dict[str, int]) -> list[list]:
    """Edges between kept nodes: [head, tail, label, documents, posts]."""
    return [[index[h], index[t], key, d.get("weight", 1), "、".join(_split(d.get("title")))]
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


def post_status(document: dict, relation: dict) -> str:
    """The relation's status (appointed, nominated, acting, former, removed; '' for current); for a document
    of schema 1.2 or older 'acting', 'nominee' or 'former' when the wording says so (代县长, 县长候选人, 原县委书记)."""
    if relation.get("status"):
        return "" if relation["status"] == "current" else relation["status"]
    title = relation.get("title") or ""
    cues = load_status_cues()
    if title.startswith(cues.acting_modifiers):
        return "acting"
    if title.endswith(cues.nominee_suffix):
        return "nominee"
    unit = next((e for e in document["entities"] if e["id"] == relation["tail"]), None)
    names = [n for n in [title, *([unit["text"], *unit.get("aliases", ())] if unit else [])] if n]
    former = cues.markers["former"]
    for evidence in relation["evidence"]:
        if any(word + name in evidence["sentence"] for word in former for name in names):
            return "former"
    return ""


def document_data(corpus: RunContents, index: dict[str, int], text_budget: int) -> tuple[list[dict], dict]:
    """Per document its text (within the budget), entity marks and relations; and the evidence of each edge.

    Returns:
        The documents, and per corpus edge ``(head, tail, label)`` a list of ``(document, relation, status,
        date)`` of the relations behind it.
    """
    with_text = texts_within(corpus.documents, text_budget)
    documents: list[dict] = []
    evidence: dict[tuple, list[tuple[int, int, str, str]]] = {}
    for i, (document, nodes) in enumerate(zip(corpus.documents, corpus.node_of, strict=True)):
        documents.append(one_document(document, nodes, index, i in with_text))
        by_id = {e["id"]: nodes[n] for n, e in enumerate(document["entities"])}
        date = document["metadata"].get("date") or ""
        for r, relation in enumerate(document["relations"]):
            if relation["label"] in POSITIONS:
                key = (by_id.get(relation["head"]), by_id.get(relation["tail"]), relation["label"])
                evidence.setdefault(key, []).append((i, r, post_status(document, relation), date))
    return documents, evidence


def texts_within(documents: list[dict], budget: int) -> set[int]:
    """Indices of the documents whose text the report embeds: most posts first, then most relations."""
    def priority(i: int) -> tuple:
        relations = documents[i]["relations"]
        return -sum(r["label"] in POSITIONS for r in relations), -len(relations), documents[i]["doc_id"]

    chosen, used = set(), 0
    for i in sorted(range(len(documents)), key=priority):
        size = len(documents[i]["text"])
        if used + size <= budget:
            chosen.add(i)
            used += size
    return chosen


def one_document(document: dict, nodes: list[str | None], index: dict[str, int], with_text: bool) -> dict:
    """A document: metadata, text (or None), entities, non-overlapping marks, relations with evidence.

    Entities are ``[label index in LABELS, name, node index or -1, code if any]``; marks ``[start, end,
    entity]``; relations ``[label, head entity, tail entity, post, [sentence...]]``; sentences ``[start,
    end]`` into the text, or the sentence itself when the text is left out.
    """
    text, entities = document["text"], document["entities"]
    position = {e["id"]: n for n, e in enumerate(entities)}
    marks, end = [], -1
    if with_text:
        found = sorted((m["start"], -m["end"], n) for n, e in enumerate(entities) for m in e["mentions"])
        for start, stop, n in found:
            if start >= end:  # nested or overlapping mentions: the first, outermost one is marked
                marks.append([start, -stop, n])
                end = -stop
    sentences: dict[tuple[int, int], int] = {}
    relations = []
    for relation in document["relations"]:
        spans = [sentences.setdefault(trimmed_span(text, v["start"], v["end"]), len(sentences))
                 for v in relation["evidence"]]
        relations.append([relation["label"], position[relation["head"]], position[relation["tail"]],
                          relation.get("title") or "", spans])
    metadata = document["metadata"]
    return {"id": document["doc_id"], "title": metadata.get("title") or "", "date": metadata.get("date") or "",
            "source": metadata.get("source") or "", "url": metadata.get("url") or "", "chars": len(text),
            "text": text if with_text else None, "marks": marks, "relations": relations,
            "entities": [_entity(e, -1 if node is None else index.get(node, -1))
                         for e, node in zip(entities, nodes, strict=True)],
            "sentences": [list(span) if with_text else text[span[0]:span[1]] for span in sentences]}


def _entity(entity: dict, node: int) -> list:
    item = [_LABEL_INDEX[entity["label"]], entity["text"], node]
    if entity.get("code"):
        item.append(entity["code"])
    return item


def officials(graph: nx.MultiDiGraph, index: dict[str, int], evidence: dict) -> list[dict]:
    """One row per person and unit they hold a post in: post, unit, code, chain, status, dates, support."""
    rows = []
    for head, tail, label, data in graph.edges(keys=True, data=True):
        if label not in POSITIONS:
            continue
        code = unit_code(graph, tail)
        chain = division_chain(graph, code) if code else []
        if chain and chain[0][0] == graph.nodes[tail].get("code"):
            chain = chain[1:]  # a place's own code; a committee's or an organisation's place stays
        found = sorted(evidence.get((head, tail, label), []), key=lambda e: (e[3], e[0]))
        rows.append({
            "person": graph.nodes[head].get("label", head), "pn": index.get(head, -1), "label": label,
            "post": "、".join(_split(data.get("title"))), "unit": graph.nodes[tail].get("label", tail),
            "un": index.get(tail, -1), "code": code or "", "chain": [name for _, name in chain],
            "status": found[-1][2] if found else "", "first": data.get("first_seen", ""),
            "last": data.get("last_seen", ""), "support": data.get("weight", len(found)),
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
    loose: dict[tuple[str, str], dict] = {}
    for node, data in sorted(graph.nodes(data=True), key=lambda item: (-item[1].get("documents", 0), item[0])):
        if data["type"] != "PLACE":
            continue
        docs = [doc_index[d] for d in _split(data.get("doc_ids")) if d in doc_index]
        if data.get("code") in out:
            out[data["code"]].update(n=index.get(node, -1), d=sorted(docs))
            continue
        under = next((m for m in map(_UNDER_CODE.fullmatch, _split(data.get("keys"))) if m and m.group(1) in out),
                     None)
        # Uncoded places of one name under one unit (or none) are listed once: each article's own 新村 is a
        # node of its own in the graph, but a reader looks for the name.
        key = (under.group(1) if under else "", data.get("label", node))
        place = loose.setdefault(key, {"code": "", "name": key[1], "level": data.get("level") or "",
                                       "parent": key[0], "n": index.get(node, -1), "d": []})
        place["d"] = sorted(set(place["d"]) | set(docs))
    return sorted(out.values(), key=lambda p: p["code"]) + [loose[key] for key in sorted(loose)]


def summary_data(out_dir: Path, corpus: RunContents) -> dict:
    """Counts, failures (from ``errors.jsonl``), unreadable documents and run info (``run.json``) of a run."""
    failures = read_jsonl(out_dir / ERRORS_FILE)
    entries = read_entries(out_dir / MANIFEST_FILE)
    graph, documents = corpus.graph, corpus.documents
    return {
        "folder": str(out_dir),
        "documents": len(documents),
        "inputs": len(entries) or len(documents) + len(failures),
        "failed": len(failures),
        "failures": [{k: f.get(k) or "" for k in ("path", "record_id", "stage", "error", "message")}
                     for f in failures[:1000]],
        "failure_kinds": _counts(f"{f.get('stage', '')}: {f.get('error', '')}" for f in failures),
        "problems": corpus.problems,
        "entities": _counts(e["label"] for d in documents for e in d["entities"]),
        "relations": _counts(r["label"] for d in documents for r in d["relations"]),
        "nodes": _counts(t for _, t in graph.nodes(data="type")),
        "edges": _counts(k for _, _, k in graph.edges(keys=True)),
        "chars": sum(len(d["text"]) for d in documents),
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


def _split(value) -> list[str]:
    """A set-valued attribute of the graph (a list, or joined with | in older folders) as a sorted list."""
    if isinstance(value, list | tuple | set):
        return sorted(str(v) for v in value if v)
    return sorted(value.split("|")) if isinstance(value, str) and value else []


def _counts(values) -> dict[str, int]:
    return dict(sorted(Counter(values).items()))
