"""Exports: GraphML for Gephi, node-link JSON, schema; corpus merging."""

import json

import networkx as nx

from pipeline.export import write_graphml, write_node_link, write_schema
from pipeline.graph import CorpusGraph
from pipeline.schema import Document


def corpus(extract, *texts):
    graph = CorpusGraph()
    docs = [extract(t, doc_id=f"d{i}") for i, t in enumerate(texts)]
    for d in docs:
        graph.add(d)
    return graph, docs


def test_graphml_reads_back_with_types(extract, tmp_path):
    graph, _ = corpus(extract, "平江县三市镇党委书记刘建平主持会议。", "平江县三市镇党委书记刘建平调研。")
    write_graphml(graph.flat(), tmp_path)
    back = nx.read_graphml(tmp_path / "graph.graphml", force_multigraph=True)
    for _, data in back.nodes(data=True):
        assert isinstance(data["label"], str) and data["type"] in {"PERSON", "PLACE", "ORG", "INITIATIVE"}
        assert isinstance(data["documents"], int)
    edges = list(back.edges(data=True))
    assert edges and all(isinstance(d["weight"], int) and d["label"] for _, _, d in edges)
    secretary = [d for _, _, d in edges if d["label"] == "SECRETARY_OF"]
    assert secretary and secretary[0]["weight"] == 2 and secretary[0]["doc_ids"] == "d0|d1"


def test_same_person_in_same_post_merges_namesakes_elsewhere_do_not(extract):
    graph, _ = corpus(extract, "三市镇党委书记刘建平主持会议。", "三市镇党委书记刘建平调研。",
                      "秦安县莲花镇党委书记刘建平讲话。")
    persons = [n for n, d in graph.graph.nodes(data=True) if d["type"] == "PERSON"]
    assert len(persons) == 2


def test_graphml_strips_xml_illegal_characters(tmp_path):
    graph = nx.MultiDiGraph()
    graph.add_node("a\x01b", label="名\x0b字", type="PERSON", code=None)
    graph.add_edge("a\x01b", "c", key="X", title="书\x00记")
    write_graphml(graph, tmp_path)
    back = nx.read_graphml(tmp_path / "graph.graphml")
    assert back.nodes["ab"]["label"] == "名字" and "code" not in back.nodes["ab"]
    assert back.nodes["c"]["label"] == "c"


def test_node_link_and_schema_files(extract, tmp_path):
    graph, docs = corpus(extract, "中共天长市委书记周国强出席。")
    write_node_link(graph.flat(), tmp_path)
    write_schema(graph.flat(), tmp_path)
    data = json.loads((tmp_path / "graph.json").read_text(encoding="utf-8"))
    assert nx.node_link_graph(data, edges="edges").number_of_nodes() == graph.graph.number_of_nodes()
    schema = json.loads((tmp_path / "schema.json").read_text(encoding="utf-8"))
    assert schema["title"] == "Document" and "entities" in schema["properties"]
    Document.model_validate_json(docs[0].model_dump_json())
