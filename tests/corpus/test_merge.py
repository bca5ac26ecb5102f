"""Cross-document resolution and `cadregraph merge`: idempotent, order-free, namesakes kept apart."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from conftest import SHARED
from handwritten import LI_MING, WANG_JIANJUN
from pipeline.cli import app
from pipeline.corpus.graph import CorpusGraph
from pipeline.corpus.merge import load_corpus, merge_documents
from pipeline.schema import Document, Entity, Metadata, Relation

runner = CliRunner()
DEV_DOCS = SHARED / "eval" / "dev" / "docs"


def write_articles(folder: Path, articles: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for doc_id, text in articles.items():
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    return folder


def extract(articles: Path, out: Path) -> Path:
    result = runner.invoke(app, ["extract", str(articles), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def dev_out(dev_run):
    return dev_run


@pytest.fixture(scope="module")
def handwritten_out(tmp_path_factory):
    root = tmp_path_factory.mktemp("handwritten")
    return extract(write_articles(root / "in", {**LI_MING, **WANG_JIANJUN}), root / "out")


def documents(out: Path) -> list[Document]:
    files = sorted((out / "documents").glob("*.json"))
    return [Document.model_validate_json(p.read_text(encoding="utf-8")) for p in files]


def load_graph(folder: Path) -> nx.MultiDiGraph:
    """The corpus of an output folder as the networkx graph graph.json holds."""
    return load_corpus(folder).to_networkx()


def merged(docs: list[Document]) -> nx.MultiDiGraph:
    graph = CorpusGraph()
    for doc in docs:
        graph.add(doc)
    return graph.flat()


def as_data(graph: nx.MultiDiGraph) -> tuple[dict, dict]:
    return dict(graph.nodes(data=True)), {(h, t, k): d for h, t, k, d in graph.edges(keys=True, data=True)}


def test_merge_dev_twice_shuffled_equals_one_copy(dev_out):
    docs = documents(dev_out)
    assert len(docs) == 5
    once = merged(docs)
    twice = docs + docs
    random.Random(7).shuffle(twice)
    again = merged(twice)
    assert set(again.nodes) == set(once.nodes) and once.number_of_nodes() > 0
    assert as_data(again) == as_data(once)
    for seed in range(3):
        order = docs[:]
        random.Random(seed).shuffle(order)
        assert as_data(merged(order)) == as_data(once)


def test_merge_renamed_copies_give_the_same_nodes_and_count_once_in_weights(dev_out):
    docs = documents(dev_out)
    copies = [doc.model_copy(update={"doc_id": "copy_" + doc.doc_id}) for doc in reversed(docs)]
    once, both = merged(docs), merged(docs + copies)
    assert set(both.nodes) == set(once.nodes)
    for node, data in both.nodes(data=True):
        assert data["documents"] == 2 * once.nodes[node]["documents"]
    for head, tail, key, data in both.edges(keys=True, data=True):
        assert len(data["doc_ids"]) == 2 * len(once.edges[head, tail, key]["doc_ids"])
        assert data["weight"] == once.edges[head, tail, key]["weight"]  # a copy is the same article


def test_two_li_ming_in_different_villages_stay_two_people(handwritten_out):
    graph = load_graph(handwritten_out)
    li_ming = {n: d for n, d in graph.nodes(data=True) if d["type"] == "PERSON" and d["label"] == "李明"}
    assert len(li_ming) == 2
    villages = {}
    for node in li_ming:
        posts = [t for _, t, k in graph.out_edges(node, keys=True) if k == "SECRETARY_OF"]
        assert len(posts) == 1
        villages[graph.nodes[posts[0]]["label"]] = set(li_ming[node]["doc_ids"])
    assert villages == {"朝阳新村": {"liming_binzhou", "liming_binzhou_later"}, "翟刘村": {"liming_huimin"}}


def test_same_person_same_village_merges_with_dates_and_weight(handwritten_out):
    graph = load_graph(handwritten_out)
    edge = next(d for h, t, k, d in graph.edges(keys=True, data=True)
                if k == "SECRETARY_OF" and graph.nodes[t]["label"] == "朝阳新村")
    # Publication dates as written in the two article headers.
    assert (edge["weight"], edge["first_seen"], edge["last_seen"]) == (2, "2021-04-12", "2023-07-20")
    assert edge["doc_ids"] == ["liming_binzhou", "liming_binzhou_later"]


def test_posts_in_two_places_join_one_person(handwritten_out):
    graph = load_graph(handwritten_out)
    wang = [n for n, d in graph.nodes(data=True) if d["type"] == "PERSON" and d["label"] == "王建军"]
    assert len(wang) == 1
    units = {graph.nodes[t]["label"]: k for _, t, k in graph.out_edges(wang[0], keys=True) if k != "PROMOTES"}
    assert units == {"莲花镇": "SECRETARY_OF", "秦安县": "HOLDS_POSITION"}
    assert graph.nodes[wang[0]]["doc_ids"] == ["wang_lianhua", "wang_qinan"]


def _doc(doc_id: str, entities: list[tuple], relations: list[tuple] = (), date: str | None = None,
         confidence: float = 0.9) -> Document:
    return Document(
        doc_id=doc_id, metadata=Metadata(date=date), text=doc_id,
        entities=[Entity(id=f"e{i}", label=label, text=text, code=code, level=level, confidence=confidence)
                  for i, (label, text, code, level) in enumerate(entities)],
        relations=[Relation(id=f"r{i}", label=label, head=f"e{h}", tail=f"e{t}", title=title, confidence=confidence)
                   for i, (label, h, t, title) in enumerate(relations)])


ANNING = ("PLACE", "安宁市", "530181", "county")


def test_party_committee_names_normalise_to_their_place():
    graph = merged([_doc("a", [ANNING, ("ORG", "中共安宁市委", None, None)]),
                    _doc("b", [ANNING, ("ORG", "安宁市委", None, None)])])
    committees = [d for _, d in graph.nodes(data=True) if d["type"] == "ORG"]
    assert len(committees) == 1 and committees[0]["documents"] == 2
    assert committees[0]["label"] == "中共安宁市委" and committees[0]["aliases"] == ["安宁市委"]


def test_township_committees_merge_by_code_not_by_name():
    jinjiang = ("PLACE", "锦江镇", "360923103", "township")
    other_chengguan = ("PLACE", "城关镇", "350426100", "township")
    chengguan = ("PLACE", "城关镇", "620522100", "township")
    graph = merged([_doc("a", [jinjiang, ("ORG", "锦江镇党委", None, None)]),
                    _doc("b", [jinjiang, ("ORG", "锦江镇党委", None, None)]),
                    _doc("c", [chengguan, ("ORG", "城关镇党委", None, None)]),
                    _doc("d", [other_chengguan, ("ORG", "城关镇党委", None, None)])])
    committees = sorted((d["label"], "|".join(d["doc_ids"]), d["committee_of"]) for _, d in graph.nodes(data=True)
                        if d["type"] == "ORG")
    assert committees == [("城关镇党委", "c", "place:620522100"), ("城关镇党委", "d", "place:350426100"),
                          ("锦江镇党委", "a|b", "place:360923103")]


def test_relative_organisations_stay_per_document():
    graph = merged([_doc("a", [ANNING, ("ORG", "县财政局", None, None)]),
                    _doc("b", [ANNING, ("ORG", "县财政局", None, None)])])
    assert sum(1 for _, d in graph.nodes(data=True) if d["type"] == "ORG") == 2


def test_initiatives_merge_by_name_and_owner_unit():
    secretary = [ANNING, ("PERSON", "张三", None, None), ("INITIATIVE", "“金种子”计划", None, None)]
    by_person = _doc("a", secretary, [("SECRETARY_OF", 1, 0, "市委书记"), ("PROMOTES", 1, 2, None)], "2020-01-02")
    by_place = _doc("b", [ANNING, ("INITIATIVE", "金种子计划", None, None)], [("PROMOTES", 0, 1, None)],
                    "2021-03-04")
    elsewhere = _doc("c", [("PLACE", "筠连县", "511527", "county"), ("INITIATIVE", "金种子计划", None, None)],
                     [("PROMOTES", 0, 1, None)])
    graph = merged([by_person, by_place, elsewhere])
    initiatives = sorted(("|".join(d["doc_ids"]), d.get("first_seen"), d.get("last_seen"))
                         for _, d in graph.nodes(data=True) if d["type"] == "INITIATIVE")
    assert initiatives == [("a|b", "2020-01-02", "2021-03-04"), ("c", None, None)]


def test_merged_nodes_and_edges_keep_their_best_confidence():
    entities = [ANNING, ("PERSON", "张三", None, None)]
    posts = [("SECRETARY_OF", 1, 0, "市委书记")]
    docs = [_doc("a", entities, posts, confidence=0.6), _doc("b", entities, posts, confidence=0.85),
            _doc("c", entities, posts, confidence=0.7)]
    for order in (docs, docs[::-1]):
        graph = merged(order)
        assert sorted(d["confidence"] for _, d in graph.nodes(data=True)) == [0.85, 0.85]
        assert [d["confidence"] for _, _, d in graph.edges(data=True)] == [0.85]


def test_person_without_post_is_never_merged_by_name():
    graph = merged([_doc("a", [("PERSON", "王伟", None, None)]), _doc("b", [("PERSON", "王伟", None, None)])])
    assert graph.number_of_nodes() == 2


def test_merge_reports_bad_files_and_conflicting_ids(dev_out, tmp_path):
    bad = tmp_path / "bad" / "documents"
    bad.mkdir(parents=True)
    first = next((dev_out / "documents").glob("*.json"))
    doc = json.loads(first.read_text(encoding="utf-8"))
    doc["warnings"] = ["edited"]
    (bad / first.name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    (bad / "broken.json").write_text('{"doc_id": 1}', encoding="utf-8")
    dangling = _doc("dangling", [ANNING], [("LOCATED_IN", 0, 0, None)]).model_copy(
        update={"relations": [Relation(id="r1", label="LOCATED_IN", head="e0", tail="e9", confidence=0.9)]})
    (bad / "dangling.json").write_text(dangling.model_dump_json(), encoding="utf-8")
    result = merge_documents([dev_out, tmp_path / "bad"])
    assert len(result.graph) == 5
    assert len(result.problems) == 3
    assert any("broken.json" in p for p in result.problems)
    assert any("different content" in p and first.name in p for p in result.problems)
    assert any("unknown entity" in p and "e9" in p for p in result.problems)


def test_cli_merge_writes_a_graph_that_export_reads(dev_out, tmp_path):
    shuffled = tmp_path / "copy"
    shutil.copytree(dev_out / "documents", shuffled / "documents")
    out = tmp_path / "graph"
    result = runner.invoke(app, ["merge", str(dev_out), str(shuffled), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "5 merged, 0 problems" in result.output
    from_json = load_graph(out)
    from_docs = load_graph(dev_out)
    assert as_data(from_json) == as_data(from_docs)
    assert nx.read_graphml(out / "graph.graphml").number_of_nodes() == from_docs.number_of_nodes()


def test_cli_merge_fails_on_an_empty_source(tmp_path):
    result = runner.invoke(app, ["merge", str(tmp_path), "-o", str(tmp_path / "g")])
    assert result.exit_code == 1 and "no document JSON" in result.output
