"""INITIATIVE mentions: quoted names with their cues, runs of quotes, unquoted plans and campaigns.

Sentences are invented; the constructions are those of local-government news. Names are
compared without quote marks or punctuation (“双强”支部创建 ~ 双强支部创建).
"""

from __future__ import annotations

import re

import pytest

from conftest import names


def plain(document) -> set[str]:
    return {re.sub(r"[^\w+]", "", name) for name in names(document, "INITIATIVE")}


@pytest.mark.parametrize("text, expected", [
    # a cue after the quote or a run of quotes
    ("平江县先后出台“稳企12条”“人才9条”等政策。", "稳企12条"),
    ("平江县先后出台“稳企12条”“人才9条”等政策。", "人才9条"),
    ("平江县印发“强工十条”、“兴农八条”等一系列措施。", "强工十条"),
    ("“五联共建”是平江县抓党建促发展的重要举措。", "五联共建"),
    ("“红色管家”已成为三市镇基层治理的一张名片。", "红色管家"),
    ("三市镇举行“红帆”工程启动仪式。", "红帆工程"),
    ("三市镇举行“红帆”启动仪式。", "红帆"),
    # a run of quotes: a numbered slogan carries the one before it
    ("平江县委围绕“七不变”“八统一”抓落实。", "七不变"),
    # a short core plus a descriptor and head
    ("三市镇党委聚焦“双强”支部创建，推动发展。", "双强支部创建"),
    # a launch verb farther back, only name words between
    ("全县深入推进城乡环境综合整治“百日攻坚”。", "百日攻坚"),
    # a head noun before the quote names it
    ("党员先锋平台“物业党建驿站”深受居民欢迎。", "物业党建驿站"),
    # objects joined to an earlier launch verb
    ("大家分享了开展院落整合以及“社区书记开放日”的经验。", "社区书记开放日"),
    # a quoted name ending in a head noun needs no other cue
    ("平江县“护林护河行动”成效明显。", "护林护河行动"),
    # ASCII quotes and corner brackets are quotes too
    ('平江县实施"红色引擎"工程。', "红色引擎工程"),
    ("平江县实施『红色引擎』工程。", "红色引擎工程"),
    # unquoted plans and programmes adopted, issued or heard
    ("会议审议了平江县人居环境整治工作方案。", "平江县人居环境整治工作方案"),
    ("平江县制定出台了《平江县优化营商环境三年行动计划》。", "平江县优化营商环境三年行动计划"),
    ("会议听取了关于平江县乡村振兴示范创建工作方案的汇报。", "平江县乡村振兴示范创建工作方案"),
    ("会议审议了县政府党组《关于审定平江县农村集体“三资”管理工作实施方案的请示》。",
     "平江县农村集体三资管理工作实施方案"),
    # unquoted campaigns: a meeting that launches one, an ordinal passed over, a place's brand
    ("三市镇召开紧密型医共体建设启动会。", "紧密型医共体建设"),
    ("区委组织部举办新一期优秀村党组织书记工作室沙龙活动。", "优秀村党组织书记工作室沙龙活动"),
    ("大家参观了三市镇党建四平台品牌。", "党建四平台品牌"),
])
def test_initiatives_from_cues(extract, text, expected):
    assert expected in plain(extract(text))


@pytest.mark.parametrize("text", [
    "村庄规划要避免“千村一面”。",                 # what is avoided is not launched
    "基层减负要防止出现“一刀切”。",
    "三市镇积极融入“一带一路”。",                 # a national formula only cited
    "三市镇开展植树活动。",                       # a generic activity
    "三市镇开展志愿服务活动。",
    "会议制定了年度工作计划。",                   # a generic plan
    "总医院“十大中心”主任参加会议。",             # a unit named in a title
])
def test_not_initiatives(extract, text):
    assert plain(extract(text)) == set()


def test_plan_name_starts_after_the_verb(extract):
    found = plain(extract("会议审议了平江县人居环境整治工作方案。"))
    assert found == {"平江县人居环境整治工作方案"}


def test_corner_brackets_are_not_part_of_an_initiative_name(extract):
    doc = extract("平江县启动『红色引擎』工程。")
    assert "红色引擎工程" in {e.text for e in doc.entities if e.label == "INITIATIVE"}


@pytest.mark.parametrize("text, name", [
    ("三市镇为外卖小哥开设“暖心门诊”，看病不用排队。", "暖心门诊"),
    ("平江县在各村建起“幸福食堂”，老人吃饭有了着落。", "幸福食堂"),
])
def test_quoted_service_brands_are_initiatives(extract, text, name):
    assert name in {e.text for e in extract(text).entities if e.label == "INITIATIVE"}


@pytest.mark.parametrize("text, name", [
    ("平江县联合建立闲置资产统一调配机制，规定资产先调剂后购买。", "闲置资产统一调配机制"),
    ("三市镇推进乡村工匠倍增计划，培训农民四百人。", "乡村工匠倍增计划"),
])
def test_unquoted_mechanisms_and_plans_after_a_launch_verb(extract, text, name):
    assert name in {e.text for e in extract(text).entities if e.label == "INITIATIVE"}
