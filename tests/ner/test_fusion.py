"""The fusion policy: how the tagger's spans join the rule mentions."""

from __future__ import annotations

import pytest

from pipeline.config import ConfigError
from pipeline.doc import mentions
from pipeline.extractor import build_nlp
from pipeline.ner.fusion import MODEL_RULE, fuse


@pytest.fixture(scope="module")
def rules_nlp(rules_config):
    return build_nlp(rules_config)


def fused(nlp, text, spans, any_place=False):
    doc = nlp(text)
    fuse(doc, [(text.index(s), text.index(s) + len(s), label) for s, label in spans], any_place)
    return doc


def found(doc, label):
    return [(m.text, m.id_) for m in mentions(doc, label)]


def test_model_adds_an_untitled_person_and_never_duplicates_a_place(rules_nlp):
    doc = fused(rules_nlp, "昨天李建国来到赵家庄村调研。", [("李建国", "PERSON"), ("赵家庄村", "PLACE")])
    assert ("李建国", MODEL_RULE) in found(doc, "PERSON")
    assert [text for text, _ in found(doc, "PLACE")].count("赵家庄村") == 1


def test_rule_mentions_win_over_overlapping_model_spans(rules_nlp):
    doc = fused(rules_nlp, "镇党委书记王大明说，要办好实事。", [("书记王大", "PERSON")])
    assert ("王大明", MODEL_RULE) not in found(doc, "PERSON")
    assert all(rule != MODEL_RULE for _, rule in found(doc, "PERSON"))


@pytest.mark.parametrize("text, span", [("我们一起干。", "我们"), ("镇里张家口号召。", "张家口号召")])
def test_person_needs_the_shape_of_a_name(rules_nlp, text, span):
    doc = fused(rules_nlp, text, [(span, "PERSON")])
    assert (span, MODEL_RULE) not in found(doc, "PERSON")


def test_place_without_an_administrative_suffix_needs_any_place(rules_nlp):
    text = "他曾去过瓦努阿图考察。"
    assert ("瓦努阿图", MODEL_RULE) not in found(fused(rules_nlp, text, [("瓦努阿图", "PLACE")]), "PLACE")
    assert ("瓦努阿图", MODEL_RULE) in found(fused(rules_nlp, text, [("瓦努阿图", "PLACE")], any_place=True), "PLACE")


@pytest.mark.parametrize("text, span, kept", [
    ("要借力街镇经济试点。", "力街镇", False),  # a township name the official list does not have
    ("借力赵家庄村的经验。", "赵家庄村", True),  # villages are below the official list
    ("他来到鸿图经济开发区调研。", "鸿图经济开发区", True),  # a zone
])
def test_model_place_is_a_locality_a_zone_or_a_listed_division(rules_nlp, text, span, kept):
    assert not any(t == span for t, _ in found(rules_nlp(text), "PLACE")), "the rules alone miss it"
    assert ((span, MODEL_RULE) in found(fused(rules_nlp, text, [(span, "PLACE")]), "PLACE")) == kept


def test_a_model_organisation_named_as_a_zone_is_a_place(rules_nlp):
    doc = fused(rules_nlp, "鸿图经济开发区召开会议。", [("鸿图经济开发区", "ORG")])
    assert ("鸿图经济开发区", MODEL_RULE) in found(doc, "PLACE")
    assert not found(doc, "ORG")


def test_a_place_inside_a_model_organisation_does_not_block_it(rules_nlp):
    doc = fused(rules_nlp, "安宁市永昌钢铁召开会议。", [("安宁市永昌钢铁", "ORG")])
    assert ("安宁市永昌钢铁", MODEL_RULE) in found(doc, "ORG")
    assert "安宁市" in [text for text, _ in found(doc, "PLACE")]


def test_model_title_is_kept_only_before_a_person(rules_nlp):
    doc = fused(rules_nlp, "网格员刘洋介绍，网格员们很忙。", [("网格员", "TITLE"), ("刘洋", "PERSON")])
    titles = [m for m in mentions(doc, "TITLE") if m.id_ == MODEL_RULE]
    assert [(m.text, m.start_char) for m in titles] == [("网格员", 0)]


@pytest.mark.parametrize("model_name, expected", [("王伟", "王伟"), ("王", "王伟召"), ("王伟召开", "王伟召")])
def test_model_corrects_a_heuristic_name_end_by_one_character_only(rules_nlp, model_name, expected):
    text = "县长王伟召开会议。"
    doc = rules_nlp(text)
    assert [m.text for m in mentions(doc, "PERSON")] == ["王伟召"], "the length heuristic takes three characters"
    fuse(doc, [(2, 2 + len(model_name), "PERSON")])
    assert [m.text for m in mentions(doc, "PERSON")] == [expected]


def test_tagger_without_a_model_is_a_config_error(config, tmp_path):
    with_tagger = config.with_component("entities", before="relations")
    with_tagger.components["entities"].settings["model"] = str(tmp_path / "absent")
    with pytest.raises(ConfigError, match="cadregraph train ner"):
        build_nlp(with_tagger)


def test_tagger_convention_must_be_a_training_corpus(config, tmp_path):
    with_tagger = config.with_component("entities", before="relations")
    with_tagger.components["entities"].settings["convention"] = "wikipedia"
    with pytest.raises(ConfigError, match="convention 'wikipedia'"):
        build_nlp(with_tagger)


def test_a_role_model_label_is_not_an_initiative(rules_nlp):
    text = "县委提出，要培育一批“刘明远式”村党组织书记，并开展“强基固本”行动。"
    before = [t for t, _ in found(rules_nlp(text), "INITIATIVE")]
    assert "“刘明远式”" in before, "the rules alone take the quote"
    doc = fused(rules_nlp, text, [("刘明远", "PERSON")])
    assert [t for t, _ in found(doc, "INITIATIVE")] == [t for t in before if t != "“刘明远式”"]
    assert "刘明远" not in [t for t, _ in found(doc, "PERSON")]


def test_a_label_on_a_name_the_model_does_not_tag_stays(rules_nlp):
    text = "县委提出，要培育一批“刘明远式”村党组织书记。"
    doc = fused(rules_nlp, text, [("刘明", "PERSON")])
    assert "“刘明远式”" in [t for t, _ in found(doc, "INITIATIVE")]


@pytest.mark.parametrize("span, kept", [("常委会", False), ("委员会", False), ("鸿图钢铁", True)])
def test_a_model_organisation_needs_a_name_of_its_own(rules_nlp, span, kept):
    text = f"昨天{span}的同志来到村里。"
    assert not found(rules_nlp(text), "ORG"), "the rules alone find no organisation"
    assert ((span, MODEL_RULE) in found(fused(rules_nlp, text, [(span, "ORG")]), "ORG")) == kept


def test_the_tagger_also_reads_role_model_labels_alone(rules_nlp):
    from pipeline.ner.fusion import role_model_labels
    from pipeline.doc import text_of

    doc = rules_nlp("县委提出，要培育一批“刘明远式”村党组织书记，并开展“强基固本”行动。")
    assert [text_of(doc)[s:e] for s, e in role_model_labels(doc)] == ["刘明远式"]
