"""Confidence: calibration counts judged by the shared scorer, smoothing, fallbacks, the shipped table, filtering."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT, SHARED
from handwritten import LI_MING, WANG_JIANJUN
from typer.testing import CliRunner

from pipeline.calibrate import (DEFAULT_TABLE, CalibrationError, Counts, build_table, count_document, load_gold,
                                load_scorer, readme_table, table_markdown, update_readme)
from pipeline.cli import app
from pipeline.confidence import Calibration, entity_rule, filter_document, relation_rule, smoothed
from pipeline.schema import Document, Entity, Evidence, Mention, Metadata, Relation

runner = CliRunner()
SCORER = SHARED / "eval" / "score.py"

# An invented article's gold: 王五 is optional, 白水镇 ⊂ 青山县 ⊂ 云岭省.
GOLD = {"doc_id": "g1", "entities": [
    {"label": "PERSON", "name": "张三"}, {"label": "PERSON", "name": "王五", "optional": True},
    {"label": "PLACE", "name": "青山县", "aliases": ["青山"]}, {"label": "PLACE", "name": "白水镇"},
    {"label": "PLACE", "name": "云岭省"}, {"label": "ORG", "name": "青山县农业农村局"}],
    "relations": [{"label": "SECRETARY_OF", "head": "张三", "tail": "青山县", "title": "县委书记"},
                  {"label": "LOCATED_IN", "head": "白水镇", "tail": "青山县"},
                  {"label": "LOCATED_IN", "head": "青山县", "tail": "云岭省"}]}


def _entity(n: int, label: str, text: str, *rules: tuple[int, str], confidence: float = 0.9) -> Entity:
    mentions = [Mention(start=start, end=start + len(text), text=text, rule=rule) for start, rule in rules]
    return Entity(id=f"e{n}", label=label, text=text, mentions=mentions, confidence=confidence)


def _relation(n: int, label: str, head: int, tail: int, rule: str, unit: str | None = None,
              confidence: float = 0.9) -> Relation:
    return Relation(id=f"r{n}", label=label, head=f"e{head}", tail=f"e{tail}", confidence=confidence,
                    evidence=[Evidence(sentence="…", start=0, end=1, rule=rule, unit=unit)])


def predicted() -> Document:
    """A prediction for GOLD, each item annotated with what the scorer makes of it."""
    entities = [
        _entity(1, "PERSON", "张三", (30, "model"), (10, "title_name")),  # TP; first mention: title_name
        _entity(2, "PERSON", "李四", (40, "model")),  # FP
        _entity(3, "PERSON", "王五", (50, "title_name")),  # optional: neither
        _entity(4, "PLACE", "青山", (0, "gazetteer_short")),  # TP through the alias
        _entity(5, "PLACE", "青山县", (60, "gazetteer")),  # FP: the same gold place again
        _entity(6, "PLACE", "白水镇", (70, "unit_suffix")),  # TP
        _entity(7, "PLACE", "云岭省", (80, "gazetteer")),  # TP
        _entity(8, "ORG", "农业农村局", (90, "org_head")),  # TP: fuzzy, 5 of 8 characters
    ]
    relations = [
        _relation(1, "SECRETARY_OF", 1, 4, "title_apposition", "explicit_unit"),  # TP
        _relation(2, "SECRETARY_OF", 2, 4, "title_apposition", "explicit_unit"),  # FP
        _relation(3, "LOCATED_IN", 6, 7, "adjacent_units"),  # implied by the gold chain: neither
        _relation(4, "LOCATED_IN", 6, 4, "division_hierarchy"),  # TP
        _relation(5, "HOLDS_POSITION", 1, 8, "title_apposition", "chain_unit"),  # FP
    ]
    return Document(doc_id="g1", metadata=Metadata(), text="x" * 100, entities=entities, relations=relations)


@pytest.fixture(scope="module")
def counts(tmp_path_factory) -> Counts:
    gold_dir = tmp_path_factory.mktemp("gold")
    (gold_dir / "g1.json").write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    scorer = load_scorer(SCORER)
    counts = Counts()
    count_document(scorer, load_gold(scorer, gold_dir)["g1"], predicted(), counts)
    return counts


def test_calibrate_counts_follow_the_scorer(counts):
    assert counts.entities == Counter({
        ("PERSON", "title_name", True): 1, ("PERSON", "model", False): 1, ("PLACE", "gazetteer_short", True): 1,
        ("PLACE", "gazetteer", False): 1, ("PLACE", "unit_suffix", True): 1, ("PLACE", "gazetteer", True): 1,
        ("ORG", "org_head", True): 1})
    assert counts.relations == Counter({
        ("SECRETARY_OF", "title_apposition", "explicit_unit", True): 1,
        ("SECRETARY_OF", "title_apposition", "explicit_unit", False): 1,
        ("LOCATED_IN", "division_hierarchy", None, True): 1,
        ("HOLDS_POSITION", "title_apposition", "chain_unit", False): 1})


def test_calibrate_keys_are_the_first_mention_and_first_evidence():
    entity = _entity(1, "PERSON", "张三", (30, "model"), (10, "title_name"), (20, "repeat"))
    assert entity_rule(entity.mentions) == "title_name"
    assert entity_rule([]) == "none"
    relation = _relation(1, "SECRETARY_OF", 1, 2, "roster", "home_unit")
    assert relation_rule(relation.evidence) == ("roster", "home_unit")
    assert relation_rule([]) == ("none", None)


def test_calibrate_smoothing():
    assert smoothed(0, 0) == 0.5
    assert smoothed(9, 0) == 0.9091  # 10/11
    assert smoothed(3, 1) == 0.6667  # 4/6
    assert smoothed(0, 4) == 0.1667  # 1/6


def test_calibrate_table_rows_and_totals(counts):
    table = build_table(counts, {"tiny": 1})
    entities = {(r["label"], r["rule"]): (r["tp"], r["fp"], r["confidence"]) for r in table["entities"]}
    assert entities[("PLACE", "*")] == (3, 1, 0.6667)
    assert entities[("PLACE", "gazetteer")] == (1, 1, 0.5)
    assert entities[("PERSON", "*")] == (1, 1, 0.5)
    assert ("PERSON", "title_name") in entities and ("INITIATIVE", "*") not in entities
    relations = {(r["label"], r["rule"], r["unit"]): (r["tp"], r["fp"]) for r in table["relations"]}
    assert relations == {
        ("SECRETARY_OF", "*", "*"): (1, 1), ("SECRETARY_OF", "title_apposition", "*"): (1, 1),
        ("SECRETARY_OF", "title_apposition", "explicit_unit"): (1, 1),
        ("HOLDS_POSITION", "*", "*"): (0, 1), ("HOLDS_POSITION", "title_apposition", "*"): (0, 1),
        ("HOLDS_POSITION", "title_apposition", "chain_unit"): (0, 1),
        ("LOCATED_IN", "*", "*"): (1, 0), ("LOCATED_IN", "division_hierarchy", None): (1, 0)}
    labels = [r["label"] for r in table["relations"]]
    assert labels == sorted(labels, key=["SECRETARY_OF", "HOLDS_POSITION", "PROMOTES", "LOCATED_IN"].index)


def test_calibrate_unseen_keys_fall_back(counts):
    calibration = Calibration.from_table({**build_table(counts, {"tiny": 1}), "default": 0.42})
    assert calibration.entity("PLACE", "unit_suffix") == 0.6667  # 2/3, its own row
    assert calibration.entity("PLACE", "a_new_rule") == 0.6667  # PLACE over all rules: 4/6
    assert calibration.entity("INITIATIVE", "quote_head") == 0.42  # a label the table lacks
    assert calibration.relation("HOLDS_POSITION", "title_apposition", "chain_unit") == 0.3333
    assert calibration.relation("SECRETARY_OF", "title_apposition", "home_unit") == 0.5  # the rule over its units
    assert calibration.relation("HOLDS_POSITION", "roster", "home_unit") == 0.3333  # the label: 1/3
    assert calibration.relation("LOCATED_IN", "division_hierarchy") == 0.6667
    assert calibration.relation("PROMOTES", "actor_verb") == 0.42
    assert Calibration().entity("PERSON", "title_name") == 0.5


def test_calibrate_filter_drops_an_entity_with_its_relations():
    document = predicted().model_copy(update={
        "entities": [_entity(1, "PERSON", "张三", (0, "title_name"), confidence=0.9),
                     _entity(2, "PLACE", "青山县", (5, "unit_suffix"), confidence=0.5),
                     _entity(3, "ORG", "青山县委", (9, "org_head"), confidence=0.8)],
        "relations": [_relation(1, "SECRETARY_OF", 1, 2, "title_apposition", confidence=0.95),
                      _relation(2, "HOLDS_POSITION", 1, 3, "title_apposition", confidence=0.7),
                      _relation(3, "HOLDS_POSITION", 1, 3, "roster", confidence=0.8)]})
    kept = filter_document(document, 0.75)
    assert [e.id for e in kept.entities] == ["e1", "e3"]
    assert [r.id for r in kept.relations] == ["r3"]
    assert filter_document(document, 0) == document


# --- the shipped table and its page -------------------------------------------------------------

def test_calibrate_shipped_table_is_well_formed():
    table = json.loads(DEFAULT_TABLE.read_text(encoding="utf-8"))
    assert set(table["sets"]) == {"dev", "dev2"}
    for row in table["entities"] + table["relations"]:
        assert row["confidence"] == smoothed(row["tp"], row["fp"]), row
    for kind in ("entities", "relations"):
        totals = {r["label"]: r for r in table[kind] if r["rule"] == "*"}
        for label, total in totals.items():
            rows = [r for r in table[kind] if r["label"] == label and r["rule"] != "*" and r.get("unit") != "*"]
            assert (total["tp"], total["fp"]) == (sum(r["tp"] for r in rows), sum(r["fp"] for r in rows))


def test_calibrate_readme_shows_the_shipped_table():
    table = json.loads(DEFAULT_TABLE.read_text(encoding="utf-8"))
    readme = (ROOT / "docs" / "confidence.md").read_text(encoding="utf-8")
    assert readme_table(readme) == table_markdown(table), \
        "docs/confidence.md is stale: run cadregraph calibrate ../shared/eval --readme docs/confidence.md"


def test_calibrate_update_readme_replaces_only_the_table(counts, tmp_path):
    table = build_table(counts, {"tiny": 1})
    readme = tmp_path / "README.md"
    shipped = (ROOT / "docs" / "confidence.md").read_text(encoding="utf-8")
    readme.write_text(shipped, encoding="utf-8")
    update_readme(readme, table)
    text = readme.read_text(encoding="utf-8")
    assert readme_table(text) == table_markdown(table) != readme_table(shipped)
    assert text.replace(readme_table(text), "") == shipped.replace(readme_table(shipped), "")
    readme.write_text("# no markers\n", encoding="utf-8")
    with pytest.raises(CalibrationError, match=r"README\.md"):
        update_readme(readme, table)


@pytest.mark.slow
def test_calibrate_shipped_table_is_what_the_command_writes(tmp_path):
    out = tmp_path / "calibration.json"
    result = runner.invoke(app, ["calibrate", str(SHARED / "eval"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == DEFAULT_TABLE.read_text(encoding="utf-8"), \
        "the shipped table is stale: run cadregraph calibrate ../shared/eval --readme docs/confidence.md"


# --- emit and the CLI -----------------------------------------------------------------------------

def test_calibrate_emit_takes_confidence_from_the_table(extract):
    table = json.loads(DEFAULT_TABLE.read_text(encoding="utf-8"))
    entity_rows = {(r["label"], r["rule"]): r["confidence"] for r in table["entities"]}
    relation_rows = {(r["label"], r["rule"], r["unit"]): r["confidence"] for r in table["relations"]}
    document = extract(WANG_JIANJUN["wang_qinan"])
    looked_up = 0
    for entity in document.entities:
        first = min(entity.mentions, key=lambda m: m.start)
        if (entity.label, first.rule) in entity_rows:
            assert entity.confidence == entity_rows[(entity.label, first.rule)], entity
            looked_up += 1
    for relation in document.relations:
        key = (relation.label, relation.evidence[0].rule, relation.evidence[0].unit)
        if key in relation_rows:
            assert relation.confidence == relation_rows[key], relation
            looked_up += 1
    assert looked_up >= 4


def _run(articles: Path, out: Path, *options: str) -> list[Document]:
    result = runner.invoke(app, ["extract", str(articles), "-o", str(out), "-q", *options])
    assert result.exit_code == 0, result.output
    return [Document.model_validate_json(p.read_text(encoding="utf-8"))
            for p in sorted((out / "documents").glob("*.json"))]


def test_calibrate_cli_min_confidence_filters_and_a_rerun_applies_it(tmp_path):
    articles = tmp_path / "in"
    articles.mkdir()
    for doc_id, text in {**LI_MING, **WANG_JIANJUN}.items():
        (articles / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    full = _run(articles, out)
    levels = sorted({e.confidence for d in full for e in d.entities})
    assert len(levels) >= 2, levels
    threshold = levels[len(levels) // 2]
    # Rerun into the same folder: the documents kept from the unfiltered run must not be resumed.
    filtered = _run(articles, out, "--min-confidence", str(threshold))
    assert [d.doc_id for d in filtered] == [d.doc_id for d in full]
    dropped = 0
    for before, after in zip(full, filtered, strict=True):
        kept = {e.id for e in before.entities if e.confidence >= threshold}
        dropped += len(before.entities) - len(kept)
        assert [e.id for e in after.entities] == [e.id for e in before.entities if e.id in kept]
        assert [r.id for r in after.relations] == [r.id for r in before.relations if r.confidence >= threshold
                                                   and r.head in kept and r.tail in kept]
    assert dropped and sum(len(d.entities) for d in filtered)
    result = runner.invoke(app, ["extract", str(articles), "-o", str(tmp_path / "x"), "--min-confidence", "1.5"])
    assert result.exit_code == 2


def test_calibrate_cli_bad_folders_name_the_path(tmp_path):
    missing = tmp_path / "missing"
    result = runner.invoke(app, ["calibrate", str(missing), "-o", str(tmp_path / "t.json")])
    assert result.exit_code == 2 and str(missing) in result.output
    (tmp_path / "eval" / "only" / "docs").mkdir(parents=True)
    result = runner.invoke(app, ["calibrate", str(tmp_path / "eval"), "-o", str(tmp_path / "t.json")])
    assert result.exit_code == 2 and str(tmp_path / "eval" / "only" / "gold") in result.output
    (tmp_path / "eval" / "only" / "gold").mkdir()
    (tmp_path / "eval" / "only" / "gold" / "a.json").write_text(json.dumps(GOLD), encoding="utf-8")
    result = runner.invoke(app, ["calibrate", str(tmp_path / "eval"), "-o", str(tmp_path / "t.json")])
    assert result.exit_code == 2 and str(tmp_path / "eval" / "score.py") in result.output
    assert not (tmp_path / "t.json").exists()
