"""Exports: GraphML for Gephi, node-link JSON, schema; corpus merging."""

import json
import os
import stat
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from pipeline.export import (GRAPH_EXPORTERS, ExportError, atomic_write_text, write_gexf, write_graph_exports,
                             write_graphml, write_node_link, write_schema)
from pipeline.export.files import current_umask
from pipeline.corpus.graph import CorpusGraph
from pipeline.corpus.model import Corpus, CorpusEdge, CorpusNode
from pipeline.schema import Document


def corpus(extract, *texts):
    graph = CorpusGraph()
    docs = [extract(t, doc_id=f"d{i}") for i, t in enumerate(texts)]
    for d in docs:
        graph.add(d)
    return graph, docs


def test_graphml_reads_back_with_types(extract, tmp_path):
    graph, _ = corpus(extract, "平江县三市镇党委书记刘建平主持会议。", "平江县三市镇党委书记刘建平调研。")
    write_graphml(graph.corpus(), tmp_path)
    back = nx.read_graphml(tmp_path / "graph.graphml", force_multigraph=True)
    for _, data in back.nodes(data=True):
        assert isinstance(data["label"], str) and data["type"] in {"PERSON", "PLACE", "ORG", "INITIATIVE"}
        assert isinstance(data["documents"], int)
        assert isinstance(data["confidence"], float) and 0 < data["confidence"] < 1
    edges = list(back.edges(data=True))
    assert edges and all(isinstance(d["weight"], int) and d["label"] for _, _, d in edges)
    assert all(isinstance(d["confidence"], float) and 0 < d["confidence"] < 1 for _, _, d in edges)
    secretary = [d for _, _, d in edges if d["label"] == "SECRETARY_OF"]
    assert secretary and secretary[0]["weight"] == 2 and secretary[0]["doc_ids"] == "d0|d1"


def test_same_person_in_same_post_merges_namesakes_elsewhere_do_not(extract):
    graph, _ = corpus(extract, "三市镇党委书记刘建平主持会议。", "三市镇党委书记刘建平调研。",
                      "秦安县莲花镇党委书记刘建平讲话。")
    persons = [n for n, d in graph.graph.nodes(data=True) if d["type"] == "PERSON"]
    assert len(persons) == 2


def test_graphml_strips_xml_illegal_characters(tmp_path):
    nodes = [CorpusNode(id="a\x01b", label="名\x0b字", type="PERSON"), CorpusNode(id="c", label="c", type="PLACE")]
    edges = [CorpusEdge(head="a\x01b", tail="c", label="X", title=["书\x00记"])]
    write_graphml(Corpus(nodes=nodes, edges=edges), tmp_path)
    back = nx.read_graphml(tmp_path / "graph.graphml")
    assert back.nodes["ab"]["label"] == "名字" and "code" not in back.nodes["ab"]
    assert [d["title"] for _, _, d in back.edges(data=True)] == ["书记"]


def test_node_link_and_schema_files(extract, tmp_path):
    graph, docs = corpus(extract, "中共天长市委书记周国强出席。")
    write_node_link(graph.corpus(), tmp_path)
    write_schema(graph.corpus(), tmp_path)
    data = json.loads((tmp_path / "graph.json").read_text(encoding="utf-8"))
    assert nx.node_link_graph(data, edges="edges").number_of_nodes() == graph.graph.number_of_nodes()
    schema = json.loads((tmp_path / "schema.json").read_text(encoding="utf-8"))
    assert schema["title"] == "Document" and "entities" in schema["properties"]
    Document.model_validate_json(docs[0].model_dump_json())


def test_exporters_in_parallel_write_what_they_write_one_by_one(extract, tmp_path):
    graph, _ = corpus(extract, "平江县三市镇党委书记刘建平主持会议。", "中共天长市委书记周国强出席。")
    names = ["graphml", "node_link", "gexf", "csv", "turtle"]
    serial = write_graph_exports(graph.corpus(), tmp_path / "serial", names)
    parallel = write_graph_exports(graph.corpus(), tmp_path / "parallel", names, processes=3)
    assert [p.relative_to(tmp_path / "parallel") for p in parallel] == \
        [p.relative_to(tmp_path / "serial") for p in serial]

    def files(root):
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    assert files(tmp_path / "parallel") == files(tmp_path / "serial") != {}


def test_an_exporter_failing_in_a_child_process_is_reported(extract, tmp_path, monkeypatch):
    def broken(corpus, out_dir):
        raise OSError("No space left on device")

    monkeypatch.setitem(GRAPH_EXPORTERS, "broken", broken)
    graph, _ = corpus(extract, "中共天长市委书记周国强出席。")
    with pytest.raises(ExportError, match="exporter 'broken': OSError: No space left on device"):
        write_graph_exports(graph.corpus(), tmp_path, ["graphml", "broken"], processes=2)


GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
GEXF = "{http://gexf.net/1.3}"


def _edge_ids(path, tag):
    return [edge.get("id") for edge in ET.parse(path).getroot().iter(tag)]


def test_export_edge_ids_are_unique_and_stable_in_graphml_and_gexf(extract, tmp_path):
    texts = ["平江县委书记李明主持会议，部署“清洁家园”行动和“厕所革命”行动。",
             "平江县三市镇党委书记刘建平主持会议，部署“清洁家园”行动。"]
    graph, _ = corpus(extract, *texts)
    reordered, _ = corpus(extract, *reversed(texts))
    promotes = [e for e in graph.corpus().edges if e.label == "PROMOTES"]
    assert len(promotes) >= 3  # several edges of one label: ids taken from the label would repeat
    for exporter, tag in ((write_graphml, GRAPHML + "edge"), (write_gexf, GEXF + "edge")):
        first = _edge_ids(exporter(graph.corpus(), tmp_path / "a"), tag)
        again = _edge_ids(exporter(reordered.corpus(), tmp_path / "b"), tag)
        assert len(first) == len(set(first)) == len(graph.corpus().edges)
        assert sorted(first) == sorted(again)


def test_export_gephi_keeps_every_edge_of_the_graphml(extract, tmp_path):
    """Gephi drops an edge whose id it has seen; read the file the same way and count what is left."""
    graph, _ = corpus(extract, "平江县委书记李明主持会议，部署“清洁家园”行动和“厕所革命”行动。")
    kept = {}
    for edge in ET.parse(write_graphml(graph.corpus(), tmp_path)).getroot().iter(GRAPHML + "edge"):
        kept.setdefault(edge.get("id"), edge)
    assert len(kept) == len(graph.corpus().edges)


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_export_files_get_the_mode_the_umask_gives(tmp_path, umask, mode):
    previous = os.umask(umask)
    try:
        assert current_umask() == umask
        written = [atomic_write_text(tmp_path / "a.txt", "x"), write_schema(Corpus(), tmp_path)]
    finally:
        os.umask(previous)
    assert [stat.S_IMODE(p.stat().st_mode) for p in written] == [mode, mode]
