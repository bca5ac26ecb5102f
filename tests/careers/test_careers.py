"""Careers over time: the status, date and rank of every post, and each official's timeline.

Sentences and the articles of ``tests/data/careers`` are invented (real places, invented persons); the
constructions are those of appointment notices and local news. The d3_07 test reads a real notice.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from conftest import ROOT, SHARED
from pipeline.careers.dates import as_of, document_date, stated_date
from pipeline.careers.ranks import load_rank_table
from pipeline.careers.status import read_status
from pipeline.cli import app
from pipeline.export import GRAPH_EXPORTERS
from pipeline.corpus.merge import merge_documents
from pipeline.ner.title_grammar import load_title_grammar
from pipeline.schema import SCHEMA_VERSION

CAREERS = ROOT / "tests" / "data" / "careers"


def posts_of(document) -> dict[tuple[str, str, str, str], dict]:
    """(label, person, unit, title) → the post's fields, for every post of every position relation."""
    by_id = {e.id: e.text for e in document.entities}
    return {(r.label, by_id[r.head], by_id[r.tail], p.title): p.model_dump()
            for r in document.relations if r.posts for p in r.posts}


def status_of(document, person: str, unit: str, title_end: str) -> set[str]:
    """The statuses of the person's posts in the unit whose title ends with ``title_end``."""
    return {p["status"] for (_, head, tail, title), p in posts_of(document).items()
            if head == person and tail == unit and title.endswith(title_end)}


# -- the status grammar, on its own --------------------------------------------------------------
@pytest.mark.parametrize(("text", "title", "status"), [  # | marks where the post's chain (unit + title) begins
    ("经研究决定：蒋某同志任|青禾县委书记", "县委书记", "appointed"),
    ("蒋某同志任命为|青禾县县长", "县长", "appointed"),
    ("2019年，韩某当选为|石桥村党支部书记", "党支部书记", "appointed"),
    ("蒋某同志出任|青禾县县长", "县长", "appointed"),
    ("蒋某同志提名为|青禾县县长候选人", "县长候选人", "nominated"),
    ("|青禾县代县长蒋某", "代县长", "acting"),
    ("代理|青禾县县长蒋某", "县长", "acting"),
    ("原|青禾县县长蒋某", "县长", "former"),
    ("前任|青禾县委书记卢某", "县委书记", "former"),
    ("蒋某曾任|青禾县县长", "县长", "former"),
    ("在担任岳阳市副市长之前，蒋某任|青禾县县长", "县长", "former"),
    ("免去卢某同志的|青禾县委书记职务", "县委书记", "removed"),
    ("蒋某不再担任|青禾县县长职务", "县长", "removed"),
    ("|青禾县县长蒋某主持会议", "县长", "current"),
    ("蒋某现任|青禾县县长", "县长", "current"),
    ("县委办主任王某陪同|青禾县县长蒋某", "县长", "current"),  # 任 of 主任 (a title) is no verb
    ("蒋某落实任务，|青禾县县长蒋某", "县长", "current"),  # nor 任 of 任务, in another clause anyway
    ("目前|青禾县县长蒋某", "县长", "current"),  # 前 alone is no marker
    ("原青禾|县委书记卢某", "县委书记", "former"),  # 原 before a unit name the NER missed
    ("草原|县委书记卢某", "县委书记", "current"),  # 原 inside a word
])
def test_status_grammar_reads_the_clause_before_the_post(text, title, status):
    chain = text.index("|")
    text = text.replace("|", "")
    parsed = load_title_grammar().parse(title)
    masked = [(text.index("县委办主任"), text.index("县委办主任") + 5)] if "主任" in text else []
    assert read_status(text, 0, chain, title, parsed.modifier, masked, level=parsed.level) == status


@pytest.mark.parametrize(("metadata", "text", "date"), [
    ("2023-05-12", "2021年1月1日 …", "2023-05-12"),
    (None, "标题\n2023年5月12日 08:30\n正文", "2023-05-12"),
    (None, "发布时间：2019-03-05\n正文", "2019-03-05"),
    (None, "标题\n二〇二一年十月八日", None),  # month and day in numerals: not read
    (None, "本报讯 8日，…", None),
    (None, "2023年2月30日", None),  # no such day
])
def test_document_date_from_metadata_else_the_top_of_the_text(metadata, text, date):
    assert document_date(metadata, text) == date


def test_stated_date_is_the_nearest_before_the_post_and_not_a_target():
    text = "2015年任平江县副县长，2018年3月任县长，力争到2025年建成示范县"
    assert stated_date(text, 0, text.index("平江县"), None) == "2015"
    assert stated_date(text, 0, text.index("县长，力争"), None) == "2018-03"
    assert stated_date(text, 0, len(text), None) == "2018-03"  # 到2025年 is a goal
    assert stated_date("去年当选为村党支部书记", 0, 5, "2021-12-31") == "2020"
    assert as_of("2023", "2023-06-01") == "2023-06-01" and as_of("2019", "2023-06-01") == "2019"


@pytest.mark.parametrize(("title", "level", "code", "parents", "rank"), [
    ("县委书记", "county", "430626", [("430600", "岳阳市", "prefecture")], "正处"),
    ("县长", "county", "430626", [("430600", "岳阳市", "prefecture")], "正处"),
    ("副县长", "county", "430626", [("430600", "岳阳市", "prefecture")], "副处"),
    ("常务副县长", "county", "430626", [("430600", "岳阳市", "prefecture")], "副处"),
    ("县委常委", "county", "430626", [("430600", "岳阳市", "prefecture")], "副处"),
    ("市委书记", "county", "430681", [("430600", "岳阳市", "prefecture")], "正处"),  # 汨罗市: county-level
    ("镇党委书记", "township", "430626102", [], "正科"),
    ("副镇长", "township", "430626102", [], "副科"),
    ("市委书记", "prefecture", "430600", [("430000", "湖南省", "province")], "正厅"),
    ("副市长", "prefecture", "430600", [("430000", "湖南省", "province")], "副厅"),
    ("市委书记", "prefecture", "210200", [("210000", "辽宁省", "province")], "副部"),  # 大连: sub-provincial
    ("区委书记", "county", "110105", [("110000", "北京市", "province")], "正厅"),  # a district of 北京
    ("省长", "province", "430000", [], "正部"),
    ("村党支部书记", "village", None, [], None),  # villages have no rank
    ("局长", "county", "430626", [], None),  # not a post of the locality itself
    ("县长", "township", "430626102", [], None),  # the title does not fit the unit
])
def test_rank_from_title_and_unit_level(title, level, code, parents, rank):
    parsed = load_title_grammar().parse(title)
    assert load_rank_table().rank(parsed, level, code, parents) == rank


# -- in the pipeline ----------------------------------------------------------------------------------
def test_issue_example_notice_statuses(full_extract):
    document = full_extract("经研究决定：蒋卫平同志任中共平江县委书记，不再担任平江县县长职务；"
                       "免去卢振华同志的平江县委书记职务。")
    assert status_of(document, "蒋卫平", "平江县", "书记") == {"appointed"}
    assert status_of(document, "蒋卫平", "平江县", "县长") == {"removed"}
    assert status_of(document, "卢振华", "平江县", "书记") == {"removed"}


def test_stated_year_dates_the_post(full_extract):
    document = full_extract("石桥村是平江县三市镇的产茶村。2019年，韩秀英当选为三市镇石桥村党支部书记。")
    post = next(p for (_, person, _, _), p in posts_of(document).items() if person == "韩秀英")
    assert (post["status"], post["as_of"]) == ("appointed", "2019")


@pytest.mark.skipif(not (SHARED / "eval" / "dev2" / "docs" / "d3_07.txt").exists(), reason="needs ../shared/eval")
def test_real_appointment_meeting_d3_07(full_extract):
    text = (SHARED / "eval" / "dev2" / "docs" / "d3_07.txt").read_text(encoding="utf-8")
    document = full_extract(text, "d3_07")
    posts = posts_of(document)
    assert posts[("SECRETARY_OF", "王忠昆", "鞍山市", "市委书记")]["status"] == "appointed"
    assert posts[("HOLDS_POSITION", "王忠昆", "鞍山市", "市长")]["status"] == "removed"
    assert posts[("SECRETARY_OF", "余功斌", "鞍山市", "市委书记")]["status"] == "removed"
    assert posts[("HOLDS_POSITION", "吴开华", "鞍山市", "市长候选人")]["status"] == "nominated"
    assert posts[("SECRETARY_OF", "王忠昆", "鞍山市", "市委书记")]["rank"] == "正厅"
    assert document.schema_version == SCHEMA_VERSION == "1.3"


def test_other_relations_carry_no_post_fields(extract):
    document = extract("平江县委书记谭志远提出实施“强县富民”工程。")
    promotes = [r for r in document.relations if r.label == "PROMOTES"]
    assert promotes and all(r.status is None and not r.posts for r in promotes)


# -- across documents ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def careers_out(tmp_path_factory):
    """The hand-written dated articles, extracted, with their timeline written beside."""
    out = tmp_path_factory.mktemp("careers")
    runner = CliRunner()
    result = runner.invoke(app, ["extract", str(CAREERS), "-o", str(out), "-q", "--workers", "1"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["timeline", str(out), "-o", str(out / "timeline")])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def rows(careers_out):
    with open(careers_out / "timeline" / "positions.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def careers(careers_out):
    lines = (careers_out / "timeline" / "careers.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def career_of(careers, name: str) -> list[tuple]:
    """(unit, title, rank, status, first_seen, last_seen) of each post of the one person of that name."""
    found = [c for c in careers if c["person"] == name]
    assert len(found) == 1, [c["person_key"] for c in found]
    return [(p["unit"], p["title"], p["rank"], p["status"], p["first_seen"], p["last_seen"]) for p in found[0]["posts"]]


def test_positions_csv_columns(rows):
    assert list(rows[0]) == ["person", "person_key", "unit", "unit_code", "title", "rank", "status", "first_seen",
                             "last_seen", "documents"]


def test_timeline_of_the_official_who_moved_units(careers, rows):
    assert career_of(careers, "邝立新") == [
        ("三市镇", "党委书记", "正科", "removed", "2018-04-10", "2020-05-18"),
        ("平江县", "副县长", "副处", "appointed", "2020-05-18", "2020-05-18"),
        ("平江县", "县委副书记", "副处", "appointed", "2021-09-15", "2021-09-15"),
        ("平江县", "县长", "正处", "former", "2021-09-15", "2024-06-05"),
        ("岳阳市", "副市长", "副厅", "current", "2024-03-18", "2024-06-05"),
    ]
    history = [(h["doc_id"], h["status"]) for c in careers if c["person"] == "邝立新" for p in c["posts"]
               if p["title"] == "县长" for h in p["history"]]
    assert history == [("c05_notice_2021", "nominated"), ("c06_acting_visit", "acting"),
                       ("c07_election", "appointed"), ("c10_notice_2024", "removed"), ("c11_city_forum", "former")]
    codes = {(r["unit"], r["unit_code"]) for r in rows if r["person"] == "邝立新"}
    assert codes == {("三市镇", "430626102"), ("平江县", "430626"), ("岳阳市", "430600")}


def test_transitions_stated_and_observed(careers):
    moves = [(t["from"]["unit"], t["from"]["title"], t["to"]["unit"], t["to"]["title"], t["date"], t["rule"])
             for c in careers if c["person"] == "邝立新" for t in c["transitions"]]
    assert moves == [
        ("三市镇", "党委书记", "平江县", "副县长", "2020-05-18", "stated"),
        ("平江县", "副县长", "平江县", "县长", "2021-09-15", "observed"),
        ("平江县", "县长", "岳阳市", "副市长", "2024-03-18", "stated"),
    ]


def test_timelines_of_the_other_officials(careers):
    assert career_of(careers, "舒红梅") == [("三市镇", "镇长", "正科", "removed", "2018-04-10", "2020-05-18"),
                                           ("三市镇", "党委书记", "正科", "appointed", "2020-05-18", "2020-05-18")]
    assert career_of(careers, "葛文松") == [("平江县", "县长", "正处", "removed", "2019-03-05", "2021-09-15")]
    assert career_of(careers, "谭志远") == [("平江县", "县委书记", "正处", "former", "2019-03-05", "2024-06-05")]
    assert career_of(careers, "严卫东") == [("平江县", "县委书记", "正处", "appointed", "2023-02-20", "2023-02-20")]
    assert career_of(careers, "陈启明") == [("伍市镇", "党委书记", "正科", "current", "2019-06-20", "2021-10-08")]
    assert career_of(careers, "方晓东") == [("伍市镇", "党委书记", "正科", "current", "2022-06-30", "2022-06-30")]
    assert career_of(careers, "韩春燕") == [("石桥村", "党支部书记", "", "appointed", "2017", "2017")]


def test_successions_stated_and_observed(careers):
    found = {(s["from"]["person"], s["to"]["person"], s["to"]["unit"], s["to"]["title"], s["date"], s["rule"])
             for c in careers for s in c["succeeded"]}
    assert found == {
        ("葛文松", "邝立新", "平江县", "县长", "2021-09-15", "stated"),
        ("谭志远", "严卫东", "平江县", "县委书记", "2023-02-20", "stated"),
        ("邝立新", "舒红梅", "三市镇", "党委书记", "2020-05-18", "stated"),
        ("陈启明", "方晓东", "伍市镇", "党委书记", "2022-06-30", "observed"),
    }
    by = {s["to"]["person"] for c in careers if c["person"] == "葛文松" for s in c["succeeded_by"]}
    assert by == {"邝立新"}


def test_namesakes_in_two_units_stay_two_people(careers):
    found = sorted((p["unit"], p["title"]) for c in careers if c["person"] == "李建华" for p in c["posts"])
    assert found == [("新墙镇", "镇长"), ("白水镇", "党委书记")]
    assert len([c for c in careers if c["person"] == "李建华"]) == 2


def test_succeeded_edges_in_the_graph_and_every_export(careers_out, tmp_path):
    corpus = merge_documents([careers_out]).graph.corpus()
    graph = corpus.to_networkx()
    edges = {(graph.nodes[h]["label"], graph.nodes[t]["label"]): d for h, t, k, d in graph.edges(keys=True, data=True)
             if k == "SUCCEEDED"}
    assert set(edges) == {("邝立新", "葛文松"), ("严卫东", "谭志远"), ("舒红梅", "邝立新"), ("方晓东", "陈启明")}
    evidence = edges[("严卫东", "谭志远")]["evidence"]
    assert {e["doc_id"] for e in evidence} == {"c09_notice_2023"} and "免去谭志远" in evidence[0]["sentence"]
    post = next(d for h, t, k, d in graph.edges(keys=True, data=True)
                if k == "HOLDS_POSITION" and graph.nodes[h]["label"] == "葛文松")
    assert (post["status"], post["rank"], post["as_of"]) == ("removed", "正处", "2021-09-15")
    for exporter in GRAPH_EXPORTERS.values():
        exporter(corpus, tmp_path)
    assert nx.read_graphml(tmp_path / "graph.graphml").number_of_edges() == graph.number_of_edges()
    relationships = (tmp_path / "neo4j" / "relationships.csv").read_text(encoding="utf-8")
    assert relationships.count(",SUCCEEDED,") == 4 and "MERGE (a)-[r:SUCCEEDED]->(b)" in (
        tmp_path / "neo4j" / "load.cypher").read_text(encoding="utf-8")
    assert "cg:succeeded" in (tmp_path / "graph.ttl").read_text(encoding="utf-8")
    with open(tmp_path / "relations.csv", encoding="utf-8", newline="") as handle:
        types = [r["type"] for r in csv.DictReader(handle)]
    assert types.count("SUCCEEDED") == 4


def test_report_accepts_succeeded_edges(careers_out, tmp_path):
    from pipeline.report import write_report

    result = write_report(careers_out, tmp_path / "report.html")
    assert result.path.exists()
    page = result.path.read_text(encoding="utf-8")
    assert "SUCCEEDED" in page


def test_timeline_of_a_folder_without_documents_fails(tmp_path):
    result = CliRunner().invoke(app, ["timeline", str(tmp_path), "-o", str(tmp_path / "t")])
    assert result.exit_code == 1 and not (tmp_path / "t" / "positions.csv").exists()


def test_documents_of_schema_1_2_still_give_a_timeline(careers_out, tmp_path):
    folder = tmp_path / "old" / "documents"
    folder.mkdir(parents=True)
    for path in sorted((careers_out / "documents").glob("c0[12]*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["schema_version"] = "1.2"
        for relation in data["relations"]:
            for name in ("status", "as_of", "rank", "posts"):
                relation.pop(name, None)
        (folder / path.name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    timeline = merge_documents([Path(tmp_path / "old")]).graph.timeline()
    statuses = {p.title: (p.status, p.first_seen) for p in timeline.posts}
    assert statuses["县长"] == ("current", "2019-03-05")
