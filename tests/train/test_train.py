"""Corpus readers, span scoring, and the train/evaluate commands on tiny slices."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from conftest import ROOT, SHARED
from pipeline.cli import app
from pipeline.config import NormalizeConfig, load_config
from pipeline.extractor import Extractor
from pipeline.text.ingest import clean_article
from pipeline.ner.tagger.bio import bio_to_spans, spans_to_bio
from pipeline.text.normalize import Normalizer
from pipeline.schema import Document
from pipeline.train.corpora import (
    CorpusError,
    Tagged,
    entity_labels,
    peoples_daily_entities,
    read_bio,
    read_cluener,
    read_peoples_daily,
    split_long,
)
from pipeline.train.scores import score_spans
from pipeline.train.segmenter import title_words, words_of

DATA = SHARED / "data"
runner = CliRunner()

PD_LINES = (
    "19980105-02-003-001/m  [中共/j 湖南省/ns 委员会/n]nt  书记/n  王/nr  小明/nr  在/p  长沙/ns  考察/v  。/w\n"
    "19980127-01-001-002/m  新华社/nt  记者/n  李/nr  华/nr  、/w  张/nr  伟/nr  报道/v  １２/m  日/q\n"
)


@pytest.fixture()
def daily_file(tmp_path):
    path = tmp_path / "pd.txt"
    path.write_text(PD_LINES, encoding="utf-8")
    return path


def entities_of(tagged: Tagged) -> set[tuple[str, str]]:
    return {(tagged.text[s:e], label) for s, e, label in bio_to_spans(tagged.tags)}


def test_peoples_daily_compounds_names_and_places(daily_file):
    first, second = read_peoples_daily(daily_file)
    assert (first.day, second.day) == (5, 27)
    assert entities_of(peoples_daily_entities(first)) == {
        ("中共湖南省委员会", "ORG"), ("王小明", "PERSON"), ("长沙", "PLACE")}
    # 、 separates two people: each run of nr words is one name
    assert entities_of(peoples_daily_entities(second)) == {("新华社", "ORG"), ("李华", "PERSON"), ("张伟", "PERSON")}


def test_peoples_daily_abbreviations_take_the_label_other_corpora_give_them(tmp_path):
    path = tmp_path / "pd.txt"
    path.write_text("19980105-02-003-001/m  中/j  美/j  两国/n  与/p  欧盟/j  [中共/j 中央/n]nt  双拥/j  工作/vn\n",
                    encoding="utf-8")
    msra = [Tagged(tuple("中美和欧盟"), ("B-PLACE", "B-PLACE", "O", "B-ORG", "I-ORG")),
            Tagged(tuple("中美欧盟"), ("B-PLACE", "B-PLACE", "B-ORG", "I-ORG")),
            Tagged(tuple("中共中央"), ("B-ORG", "I-ORG", "I-ORG", "I-ORG"))]
    labels = entity_labels(msra)
    assert labels == {"中": "PLACE", "美": "PLACE", "欧盟": "ORG"}  # 中共中央 is tagged only once
    (sentence,) = read_peoples_daily(path)
    assert entities_of(peoples_daily_entities(sentence)) == {("中共中央", "ORG")}
    # the compound keeps its own label; 双拥, unknown elsewhere, stays a word
    assert entities_of(peoples_daily_entities(sentence, labels)) == {
        ("中", "PLACE"), ("美", "PLACE"), ("欧盟", "ORG"), ("中共中央", "ORG")}


def test_peoples_daily_rejects_a_line_without_sentence_id(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("迈向/v  充满/v\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bad\.txt:1"):
        list(read_peoples_daily(path))


def test_segmenter_words_join_names_and_fold_width(daily_file):
    _, second = read_peoples_daily(daily_file)
    words = words_of(second, Normalizer(NormalizeConfig()))
    assert words == ["新华社", "记者", "李华", "、", "张伟", "报道", "12", "日"]


def test_bio_reader_maps_labels_and_reports_bad_lines(tmp_path):
    path = tmp_path / "x.bio"
    path.write_text("张\tB-PER\n三\tI-PER\n在\tO\n京\tB-LOC\n\n好\tB-MISC\n", encoding="utf-8")
    first, second = read_bio(path)
    assert entities_of(first) == {("张三", "PERSON"), ("京", "PLACE")}
    assert second.tags == ("O",)
    path.write_text("张三\tB-PER\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"x\.bio:1"):
        list(read_bio(path))


def test_cluener_keeps_pipeline_labels_only(tmp_path):
    path = tmp_path / "c.json"
    record = {"text": "浙商银行行长张三看电影英雄", "label": {
        "company": {"浙商银行": [[0, 3]]}, "position": {"行长": [[4, 5]]}, "name": {"张三": [[6, 7]]},
        "movie": {"英雄": [[11, 12]]}}}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    (tagged,) = read_cluener(path)
    assert entities_of(tagged) == {("浙商银行", "ORG"), ("行长", "TITLE"), ("张三", "PERSON")}


@pytest.mark.parametrize("spans", [[(0, 2, "PERSON")], [(1, 3, "ORG"), (3, 4, "PLACE")], []])
def test_bio_round_trip(spans):
    assert bio_to_spans(spans_to_bio(5, spans)) == spans


def test_split_long_cuts_after_punctuation_never_inside_an_entity():
    text = "甲乙丙，丁戊己庚，辛壬"
    tags = spans_to_bio(len(text), [(4, 8, "ORG")])
    pieces = list(split_long(Tagged(tuple(text), tags), 6))
    assert "".join(p.text for p in pieces) == text
    assert [p.text for p in pieces] == ["甲乙丙，", "丁戊己庚，", "辛壬"]
    assert all(not p.tags[0].startswith("I-") for p in pieces)


def test_span_scores_by_hand():
    gold = [[(0, 2, "PERSON"), (3, 5, "PLACE")], [(0, 3, "ORG")]]
    predicted = [[(0, 2, "PERSON"), (3, 6, "PLACE"), (7, 9, "TITLE")], [(0, 3, "ORG"), (4, 6, "ORG")]]
    scores = score_spans(gold, predicted, ("PERSON", "PLACE", "ORG"))
    assert (scores["micro"].gold, scores["micro"].predicted, scores["micro"].correct) == (3, 4, 2)
    assert scores["PLACE"].f1 == 0.0
    assert scores["ORG"].precision == 0.5
    assert abs(scores["micro"].f1 - 2 * (2 / 4) * (2 / 3) / (2 / 4 + 2 / 3)) < 1e-9


def test_title_words_come_from_the_title_grammar():
    words = set(title_words())
    assert {"党工委书记", "县委书记", "副镇长", "第一书记"} <= words
    assert "书记书记" not in words


@pytest.mark.slow
def test_train_and_evaluate_ner_on_a_tiny_slice(tmp_path):
    out = tmp_path / "ner"
    result = runner.invoke(app, ["train", "ner", "--data", str(DATA), "--out", str(out), "--limit", "150",
                                 "--epochs", "1"])
    assert result.exit_code == 0, result.output
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["sentences"]["msra_train"] > 0 and metrics["sentences"]["peoples_daily"] > 0
    bio = tmp_path / "few.bio"
    bio.write_text("".join(f"{c}\t{t}\n" for c, t in zip("王小明在北京", ["B-PER", "I-PER", "I-PER", "O", "B-LOC",
                                                                   "I-LOC"], strict=True)), encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "ner", str(bio), "--model", str(out)])
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1].split()
    assert last[0] == "F1" and 0.0 <= float(last[1]) <= 1.0 and len(last) == 2
    # the tagger runs inside the pipeline; rule mentions survive fusion
    config = load_config(ROOT / "config.toml").with_component("entities", before="relations")
    config.components["entities"].settings["model"] = str(out)
    document = Extractor(config)(clean_article("县委书记王小明在大塘村调研。王小明说，要办好实事。", "t"))
    assert Document.model_validate(document.model_dump()) == document
    assert "王小明" in {e.text for e in document.entities if e.label == "PERSON"}


@pytest.mark.slow
def test_train_segmenter_on_a_tiny_slice(tmp_path):
    out = tmp_path / "seg"
    result = runner.invoke(app, ["train", "segmenter", "--data", str(DATA), "--out", str(out), "--limit", "200",
                                 "--iterations", "1"])
    assert result.exit_code == 0, result.output
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["test"]["model"]["gold"] > 0
    assert "青龙街道" in (out / "user_dict.txt").read_text(encoding="utf-8").split()


def test_evaluate_names_a_missing_model(tmp_path):
    bio = tmp_path / "x.bio"
    bio.write_text("王\tB-PER\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "ner", str(bio), "--model", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert "cadregraph train ner" in result.output
