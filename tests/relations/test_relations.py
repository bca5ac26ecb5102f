"""Relation rules on hand-written sentences."""

import pytest

from conftest import relations


@pytest.mark.parametrize("text, label, pair", [
    ("平江县三市镇党委书记刘建平主持会议。", "SECRETARY_OF", ("刘建平", "三市镇")),
    ("中共天长市委书记周国强出席。", "SECRETARY_OF", ("周国强", "天长市")),
    ("秦安县兴国镇北关社区党委书记杨丽娟说。", "SECRETARY_OF", ("杨丽娟", "北关社区")),
    ("三市镇镇长陈志刚汇报工作。", "HOLDS_POSITION", ("陈志刚", "三市镇")),
    ("甘肃陇桃果品有限公司党支部书记、董事长赵永红说。", "SECRETARY_OF", ("赵永红", "甘肃陇桃果品有限公司")),
    ("甘肃陇桃果品有限公司党支部书记、董事长赵永红说。", "HOLDS_POSITION", ("赵永红", "甘肃陇桃果品有限公司")),
])
def test_positions_from_title_appositions(extract, text, label, pair):
    assert pair in relations(extract(text), label)


def test_deputy_secretary_is_a_position_not_secretary(extract):
    doc = extract("平江县三市镇党委副书记李卓然参加调研。")
    assert ("李卓然", "三市镇") in relations(doc, "HOLDS_POSITION")
    assert relations(doc, "SECRETARY_OF") == set()


def test_located_in_from_adjacent_units(extract):
    doc = extract("平江县三市镇石坪村党支部书记黄志勇说。")
    found = relations(doc, "LOCATED_IN")
    assert ("石坪村", "三市镇") in found and ("三市镇", "平江县") in found


def test_located_in_from_division_list(extract):
    doc = extract("三市镇位于平江县东部。三市镇今年发展很快。")
    assert ("三市镇", "平江县") in relations(doc, "LOCATED_IN")


@pytest.mark.parametrize("text, pair", [
    ("秦安县推出“五星支部”创建活动。", ("秦安县", "五星支部创建活动")),
    ("中共天长市委提出“项目攻坚年”工作主题。", ("中共天长市委", "项目攻坚年")),
    ("北关社区党委书记杨丽娟说：“我们将持续擦亮‘红色楼栋’党建品牌。”", ("杨丽娟", "红色楼栋党建品牌")),
])
def test_promotes_from_who_launches_what(extract, text, pair):
    assert pair in relations(extract(text), "PROMOTES")


def test_promotes_goes_to_the_speaker_of_a_first_person_article(extract):
    text = ("——三市镇党委书记 刘建平\n"
            "我们将把作风建设放在首位。本人作为第一责任人，带头实施“头雁领航”计划，我们一定抓出成效。")
    assert ("刘建平", "头雁领航计划") in relations(extract(text), "PROMOTES")


def test_national_formulas_are_cited_not_promoted(extract):
    doc = extract("三市镇党委书记刘建平说：“我们要增强‘四个意识’，实施‘乡贤回归’工程。”")
    promoted = {tail for _, tail in relations(doc, "PROMOTES")}
    assert "乡贤回归工程" in promoted and "四个意识" not in promoted


def test_relations_carry_evidence(extract):
    text = "近日，平江县三市镇党委书记刘建平主持会议。"
    doc = extract(text)
    rel = next(r for r in doc.relations if r.label == "SECRETARY_OF")
    ev = rel.evidence[0]
    assert ev.rule == "title_apposition"
    assert doc.text[ev.start:ev.end].strip() == ev.sentence and "刘建平" in ev.sentence
