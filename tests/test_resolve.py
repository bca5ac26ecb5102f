"""Within-document resolution: canonical names, aliases, place codes."""

import pytest

from conftest import names


def entity(doc, text):
    return next(e for e in doc.entities if e.text == text)


def test_relative_committee_expands_to_the_document_city(extract):
    doc = extract("天长市千秋街道党工委书记李明说，市委高度重视。市委提出新要求。")
    assert "中共天长市委" in names(doc, "ORG")
    assert "市委" in entity(doc, "中共天长市委").aliases


def test_short_and_full_place_names_are_one_entity(extract):
    doc = extract("平江县三市镇召开大会。三市今年粮食丰收，三市镇群众很满意。")
    place = entity(doc, "三市镇")
    assert "三市" in place.aliases and len(place.mentions) == 3


@pytest.mark.parametrize("text, name, code", [
    ("安宁市青龙街道党工委召开会议。", "青龙街道", "530181008"),
    ("重庆市云阳县青龙街道开展志愿服务。", "青龙街道", "500235001"),
    ("成都市成华区青龙街道开展志愿服务。", "青龙街道", "510108013"),
    ("宜宾市筠连县巡司镇开展活动。", "巡司镇", "511527102"),
])
def test_namesake_places_resolve_from_context(extract, text, name, code):
    assert entity(extract(text), name).code == code


def test_namesake_without_context_is_left_ambiguous(extract):
    place = entity(extract("青龙街道开展志愿服务。"), "青龙街道")
    assert place.code is None and place.resolution == "ambiguous" and place.resolution_note


def test_resolved_place_carries_level_and_parents(extract):
    place = entity(extract("筠连县开展大讨论。"), "筠连县")
    assert place.level == "county" and [p.name for p in place.parents] == ["宜宾市", "四川省"]


def test_surname_post_joins_the_named_person(extract):
    doc = extract("三市镇党委书记刘建平主持会议。会上，刘书记强调要抓好落实。")
    assert "刘书记" in entity(doc, "刘建平").aliases
