"""The typed corpus: built from documents, written as graph.json and read back, also from older files."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.corpus.merge import SourceError, load_corpus
from pipeline.corpus.model import Corpus, CorpusEdge, CorpusNode
from pipeline.export import write_node_link


@pytest.fixture(scope="module")
def corpus(dev_run):
    return load_corpus(dev_run)


def test_graph_json_reads_back_as_the_same_corpus(corpus, tmp_path):
    write_node_link(corpus, tmp_path)
    assert load_corpus(tmp_path / "graph.json") == corpus
    assert {e.label for e in corpus.edges} >= {"SECRETARY_OF", "HOLDS_POSITION", "PROMOTES", "LOCATED_IN"}


def test_every_edge_joins_two_nodes_and_carries_evidence_from_its_documents(corpus):
    for edge in corpus.edges:
        assert edge.head in corpus.by_id and edge.tail in corpus.by_id
        assert edge.evidence and {e.doc_id for e in edge.evidence} <= set(edge.doc_ids) <= set(corpus.documents)
        assert 1 <= edge.weight <= edge.documents == len(edge.doc_ids)


def test_older_graph_json_with_joined_lists_and_missing_counts_is_read():
    graph = nx.MultiDiGraph(documents={"d1": {"title": "标题"}, "d2": {}})
    graph.add_node("person:刘建平", type="PERSON", label="刘建平", aliases="刘书记|建平", doc_ids="d1|d2")
    graph.add_node("place:430626", type="PLACE", label="平江县", code="430626", doc_ids="d1")
    graph.add_edge("person:刘建平", "place:430626", key="SECRETARY_OF", title="书记", doc_ids="d1|d2")
    corpus = Corpus.from_graph(graph)
    person = corpus.node("person:刘建平")
    assert person.aliases == ["刘书记", "建平"] and person.documents == 2
    (edge,) = corpus.edges
    assert (edge.label, edge.type, edge.title, edge.documents, edge.weight) == ("SECRETARY_OF", "SECRETARY_OF",
                                                                              ["书记"], 2, 2)


def test_a_node_link_file_that_is_no_corpus_is_a_source_error(tmp_path):
    undirected = nx.Graph([("a", "b")])
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "graph.json").write_text(json.dumps(nx.node_link_data(undirected, edges="edges")))
    with pytest.raises(SourceError, match="directed multigraph"):
        load_corpus(tmp_path / "plain")
    untyped = nx.MultiDiGraph([("a", "b", "X")])
    (tmp_path / "untyped").mkdir()
    (tmp_path / "untyped" / "graph.json").write_text(json.dumps(nx.node_link_data(untyped, edges="edges")))
    result = CliRunner().invoke(app, ["export", "csv", str(tmp_path / "untyped"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "not the graph of a corpus" in result.output
    assert not (tmp_path / "out" / "entities.csv").exists()


def test_networkx_view_keeps_lists_and_evidence_as_plain_values():
    corpus = Corpus(nodes=[CorpusNode(id="a", type="PERSON", label="甲", doc_ids=["d"]),
                           CorpusNode(id="b", type="PLACE", label="乙", code="1")],
                    edges=[CorpusEdge(head="a", tail="b", label="SECRETARY_OF", doc_ids=["d"],
                                      evidence=[{"doc_id": "d", "sentence": "甲任乙书记。", "start": 0, "end": 6,
                                                 "rule": "r"}])])
    graph = corpus.to_networkx()
    assert "code" not in graph.nodes["a"] and graph.nodes["b"]["code"] == "1"
    data = graph.edges["a", "b", "SECRETARY_OF"]
    assert data["evidence"] == [{"doc_id": "d", "sentence": "甲任乙书记。", "start": 0, "end": 6, "rule": "r",
                                 "unit": None}]
    json.dumps(nx.node_link_data(graph, edges="edges"))  # plain JSON values only


def test_the_readme_python_example_runs_on_an_output_folder(dev_run, capsys):
    import re

    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Knowledge-base exports"):]
    (code,) = re.findall(r"```python\n(.*?)```", section[:section.index("\n## ", 1)], re.DOTALL)
    namespace: dict = {}
    # The README's own code, pointed at the dev output folder.
    exec(code.replace('Path("graph/")', f"Path({str(dev_run)!r})"), namespace)
    printed = capsys.readouterr().out.splitlines()
    assert printed and any(line.startswith("陈洪勇 青龙街道") for line in printed)
    assert namespace["graph"].number_of_nodes() == len(namespace["corpus"].nodes)
