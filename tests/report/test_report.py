"""The report's data, read from small hand-written output folders, and the page built from it."""

from __future__ import annotations

import json
import re
from itertools import pairwise
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import ConfigError, ReportConfig, load_config
from pipeline.export.jsonfiles import write_node_link
from pipeline.corpus.graph import CorpusGraph
from pipeline.batch.manifest import pipeline_version
from pipeline.report import REPORT_FILE, RUN_FILE, finish_extract, write_report
from pipeline.report.data import LABELS, ReportError, build_report_data
from pipeline.report.html import script_json
from pipeline.schema import Division, Document, Entity, Evidence, Mention, Metadata, Relation

ANNING = [Division(code="530181", name="安宁市", level="county"),
          Division(code="530100", name="昆明市", level="prefecture"),
          Division(code="530000", name="云南省", level="province")]


def _entity(eid: str, label: str, text: str, spans: list[tuple[int, int]], source: str, **extra) -> Entity:
    mentions = [Mention(start=s, end=e, text=source[s:e], rule="test") for s, e in spans]
    return Entity(id=eid, label=label, text=text, mentions=mentions, confidence=0.9, **extra)


def _relation(rid: str, label: str, head: str, tail: str, text: str, title: str | None = None) -> Relation:
    return Relation(id=rid, label=label, head=head, tail=tail, title=title, confidence=0.9,
                    evidence=[Evidence(sentence=text.strip(), start=0, end=len(text), rule="test")])


def secretary_document(doc_id: str, date: str, sentence: str = "青龙街道党工委书记陈洪勇主持会议。\n") -> Document:
    """陈洪勇 is 党工委书记 of 青龙街道 (530181008, in 安宁市), which has a village 青龙村 without a code."""
    text = sentence + "青龙街道青龙村推进“归雁”行动计划。"
    at = text.index
    place = _entity("e1", "PLACE", "青龙街道", [(at("青龙街道"), at("青龙街道") + 4)], text, code="530181008",
                    level="township", official_name="青龙街道", parents=ANNING, resolution="resolved")
    person = _entity("e2", "PERSON", "陈洪勇", [(at("陈洪勇"), at("陈洪勇") + 3)], text)
    village = _entity("e3", "PLACE", "青龙村", [(at("青龙村"), at("青龙村") + 3)], text, level="village")
    # 归雁 nested in the initiative's own mention: only the outer one is marked.
    start = at("“归雁”")
    plan = _entity("e4", "INITIATIVE", "归雁行动计划", [(start, start + 8)], text)
    inner = _entity("e5", "ORG", "归雁", [(start, start + 4)], text)
    village_in = Relation(id="r2", label="LOCATED_IN", head="e3", tail="e1", confidence=0.9,
                          evidence=[Evidence(sentence="青龙街道青龙村推进“归雁”行动计划。", start=len(sentence),
                                             end=len(text), rule="test")])
    return Document(doc_id=doc_id, metadata=Metadata(title=f"title {doc_id}", date=date), text=text,
                    entities=[place, person, village, plan, inner],
                    relations=[_relation("r1", "SECRETARY_OF", "e2", "e1", sentence, "党工委书记"), village_in])


def plain_document(doc_id: str, text: str = "今天天气很好。") -> Document:
    return Document(doc_id=doc_id, metadata=Metadata(), text=text)


def write_folder(out: Path, documents: list[Document], errors: list[dict] = (), run: dict | None = None) -> Path:
    (out / "documents").mkdir(parents=True)
    for document in documents:
        (out / "documents" / f"{document.doc_id}.json").write_text(document.model_dump_json(), encoding="utf-8")
    (out / "errors.jsonl").write_text("".join(json.dumps(e) + "\n" for e in errors), encoding="utf-8")
    if run is not None:
        (out / RUN_FILE).write_text(json.dumps(run), encoding="utf-8")
    return out


@pytest.fixture
def two_articles(tmp_path):
    """The same post in two articles of different dates (not copies of each other), plus an article with no
    entities."""
    return write_folder(tmp_path / "out", [secretary_document("a", "2020-01-10"),
                                           secretary_document("b", "2021-03-02",
                                                              "青龙街道党工委书记陈洪勇出席揭牌仪式。\n"),
                                           plain_document("c")],
                        errors=[{"path": "bad.txt", "record_id": None, "doc_id": None, "stage": "ingest",
                                 "error": "IngestError", "message": "empty article"}],
                        run={"seconds": 2.0, "extracted": 3, "resumed": 0, "failed": 1, "chars": 100})


def test_report_officials_row_joins_the_post_across_articles(two_articles):
    data = build_report_data(two_articles)
    [row] = data["officials"]
    assert (row["person"], row["post"], row["unit"], row["label"]) == (
        "陈洪勇", "党工委书记", "青龙街道", "SECRETARY_OF")
    assert row["code"] == "530181008"
    assert row["chain"] == ["安宁市", "昆明市", "云南省"]
    assert (row["first"], row["last"], row["support"]) == ("2020-01-10", "2021-03-02", 2)
    assert data["nodes"][row["pn"]]["l"] == "陈洪勇" and data["nodes"][row["un"]]["c"] == "530181008"
    for doc, rel in row["evidence"]:
        document = data["documents"][doc]
        label, head, _tail, title, sentences = document["relations"][rel]
        assert (label, document["entities"][head][:2], title) == ("SECRETARY_OF", [0, "陈洪勇"], "党工委书记")
        start, end = document["sentences"][sentences[0]]
        assert document["text"][start:end] == document["text"].splitlines()[0]  # the line break is trimmed
    assert sorted(data["documents"][doc]["id"] for doc, _ in row["evidence"]) == ["a", "b"]


@pytest.mark.parametrize(("sentence", "status"), [
    ("原青龙街道党工委书记陈洪勇主持会议。\n", "former"),
    ("时任党工委书记陈洪勇主持会议。\n", "former"),
    ("青龙街道党工委书记陈洪勇主持会议。\n", ""),
])
def test_report_officials_status_from_the_wording(tmp_path, sentence, status):
    out = write_folder(tmp_path / "out", [secretary_document("a", "2020-01-10", sentence)])
    assert [row["status"] for row in build_report_data(out)["officials"]] == [status]


def test_report_summary_counts_failures_and_run_time(two_articles):
    summary = build_report_data(two_articles)["summary"]
    assert (summary["documents"], summary["failed"], summary["inputs"]) == (3, 1, 4)
    assert summary["failures"][0]["message"] == "empty article"
    assert summary["failure_kinds"] == {"ingest: IngestError": 1}
    assert summary["entities"] == {"INITIATIVE": 2, "ORG": 2, "PERSON": 2, "PLACE": 4}
    assert summary["relations"] == {"LOCATED_IN": 2, "SECRETARY_OF": 2}
    assert summary["edges"]["SECRETARY_OF"] == 1  # one corpus edge for the two articles
    assert summary["run"]["seconds"] == 2.0


def test_report_places_tree_holds_ancestors_and_uncoded_villages(two_articles):
    data = build_report_data(two_articles)
    places = {p["name"]: p for p in data["places"]}
    assert [places[n]["parent"] for n in ("青龙街道", "安宁市", "昆明市", "云南省")] == [
        "530181", "530100", "530000", ""]
    assert places["青龙村"]["code"] == "" and places["青龙村"]["parent"] == "530181008"
    named_by = sorted(data["documents"][d]["id"] for d in places["青龙街道"]["d"])
    assert named_by == ["a", "b"] and places["安宁市"]["d"] == []  # named only as a parent


def test_report_marks_outermost_mention_only(two_articles):
    document = build_report_data(two_articles)["documents"][0]
    labels = [LABELS[document["entities"][n][0]] for _, _, n in document["marks"]]
    assert "ORG" not in labels and "INITIATIVE" in labels
    ends = [(s, e) for s, e, _ in document["marks"]]
    assert all(e1 <= s2 for (_, e1), (s2, _) in pairwise(ends))


def test_report_text_budget_keeps_articles_with_posts(tmp_path):
    out = write_folder(tmp_path / "out", [plain_document("a", "很长的文章。" * 20),
                                          secretary_document("b", "2020-01-10")])
    data = build_report_data(out, ReportConfig(max_text_chars=60))
    by_id = {d["id"]: d for d in data["documents"]}
    assert by_id["b"]["text"] is not None and by_id["a"]["text"] is None
    assert data["officials"][0]["support"] == 1


def test_report_without_text_keeps_evidence_sentences(tmp_path):
    out = write_folder(tmp_path / "out", [secretary_document("a", "2020-01-10")])
    [document] = build_report_data(out, ReportConfig(max_text_chars=0))["documents"]
    assert document["text"] is None and document["marks"] == []
    assert document["sentences"][0] == "青龙街道党工委书记陈洪勇主持会议。"


def test_report_graph_keeps_top_nodes_by_support(tmp_path):
    documents = [secretary_document("a", "2020-01-10"), secretary_document("b", "2020-01-11")]
    documents.append(Document(doc_id="c", metadata=Metadata(), text="李四", entities=[
        _entity("e1", "PERSON", "李四", [(0, 2)], "李四")]))
    data = build_report_data(write_folder(tmp_path / "out", documents), ReportConfig(max_graph_nodes=2, graph_nodes=1))
    assert [n["s"] for n in data["nodes"]] == [2, 2]  # 李四 (one article) is left out
    assert "李四" not in {n["l"] for n in data["nodes"]}
    assert data["initial_nodes"] == 1
    assert all(h < 2 and t < 2 for h, t, *_ in data["edges"])


def test_report_skips_invalid_document_files(two_articles):
    (two_articles / "documents" / "broken.json").write_text("{not json", encoding="utf-8")
    data = build_report_data(two_articles)
    assert data["summary"]["documents"] == 3
    assert [p.split(":")[0] for p in data["summary"]["problems"]] == ["broken.json"]


def test_report_needs_an_output_folder(tmp_path):
    with pytest.raises(ReportError, match="documents/"):
        build_report_data(tmp_path)


def test_report_page_is_self_contained(two_articles, tmp_path):
    result = write_report(two_articles, tmp_path / "r.html")
    page = result.path.read_text(encoding="utf-8")
    assert result.size == len(page.encode("utf-8"))
    assert not re.search(r"<(script|img|iframe)[^>]*\ssrc=|<link[^>]*href=", page)
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", page)
    assert "new vis.Network" in page and "vis-network" in page
    data = json.loads(re.search(r'<script id="cg-data" type="application/json">(.*?)</script>', page, re.S)[1])
    assert data["documents_href"] == "out/documents/"
    assert {d["id"] for d in data["documents"]} == {"a", "b", "c"}


def test_report_data_cannot_close_its_script_element():
    text = script_json({"text": "</script><script>alert(1)</script><!--"})
    assert "<" not in text and json.loads(text)["text"].startswith("</script>")


def test_report_cli_writes_the_page_and_rejects_other_folders(two_articles, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["report", str(two_articles)])
    assert result.exit_code == 0, result.output
    assert (two_articles / REPORT_FILE).stat().st_size > 100_000  # vis-network is inlined
    result = runner.invoke(app, ["report", str(tmp_path / "nothing"), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2 and "no documents/ folder" in result.output
    assert not (tmp_path / "r.html").exists()


def test_report_after_extract_follows_the_config(two_articles, config):
    summary = SimpleNamespace(documents=3, resumed=1, failures=[object()], chars=1000)
    off = config.model_copy(update={"report": ReportConfig(enabled=False)})
    assert finish_extract(two_articles, off, summary, 4.0) is None
    assert not (two_articles / REPORT_FILE).exists()
    run = json.loads((two_articles / RUN_FILE).read_text(encoding="utf-8"))
    assert (run["seconds"], run["extracted"], run["resumed"], run["failed"]) == (4.0, 2, 1, 1)
    assert "documents" not in run  # the shared scorer reads every JSON file; this key would be a document list
    assert finish_extract(two_articles, config, summary, 4.0).path == two_articles / REPORT_FILE


def test_report_config_is_checked_and_does_not_change_the_pipeline_version(tmp_path, config):
    changed = config.model_copy(update={"report": ReportConfig(enabled=False, max_text_chars=10)})
    assert pipeline_version(changed) == pipeline_version(config)  # toggling the report redoes no document
    path = tmp_path / "config.toml"
    pipeline = '[pipeline]\ncomponents = []\n'
    path.write_text(pipeline + "[report]\nenabled = false\ngraph_nodes = 40\n", encoding="utf-8")
    assert (load_config(path).report.enabled, load_config(path).report.graph_nodes) == (False, 40)
    assert load_config(Path(__file__).resolve().parents[2] / "config.toml").report == ReportConfig()
    path.write_text(pipeline + "[report]\nenable = false\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="enable"):
        load_config(path)


def test_report_places_lists_an_uncoded_name_once(tmp_path):
    """Two articles' own 新村 (no code, no coded unit above) are two graph nodes but one place of the tree."""
    documents = []
    for doc_id, text in (("a", "新村很美。"), ("b", "新村的路修好了。")):
        documents.append(Document(doc_id=doc_id, metadata=Metadata(), text=text, entities=[
            _entity("e1", "PLACE", "新村", [(0, 2)], text, level="village")]))
    data = build_report_data(write_folder(tmp_path / "out", documents))
    assert sum(data["summary"]["nodes"].values()) == 2
    [place] = data["places"]
    assert (place["name"], place["code"], place["parent"], place["d"]) == ("新村", "", "", [0, 1])


def test_report_reads_graph_json_only_when_it_is_of_these_documents(two_articles, monkeypatch):
    without = build_report_data(two_articles)
    graph = CorpusGraph()
    for document in (secretary_document("a", "2020-01-10"),
                     secretary_document("b", "2021-03-02", "青龙街道党工委书记陈洪勇出席揭牌仪式。\n"),
                     plain_document("c")):
        graph.add(document)
    write_node_link(graph.corpus(), two_articles)
    with monkeypatch.context() as patch:
        patch.setattr("pipeline.report.data.merge_documents", lambda sources: pytest.fail("graph.json not used"))
        assert build_report_data(two_articles) == without
    stale = json.loads((two_articles / "graph.json").read_text(encoding="utf-8"))
    stale["nodes"] = stale["nodes"][:1]  # a graph.json from an earlier run: its document list differs
    stale["graph"]["documents"].pop("c")
    (two_articles / "graph.json").write_text(json.dumps(stale), encoding="utf-8")
    assert build_report_data(two_articles) == without
