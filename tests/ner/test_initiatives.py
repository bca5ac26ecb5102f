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
    # policy documents in 《》 that the text's actor issues, one after another too
    ("岳阳市出台《关于加快发展夜间经济的若干措施》，激活消费。", "关于加快发展夜间经济的若干措施"),
    ("平江县制定《屋场会议事规则》《村级小微权力清单》，规范议事。", "屋场会议事规则"),
    ("平江县制定《屋场会议事规则》《村级小微权力清单》，规范议事。", "村级小微权力清单"),
    ("依托全省首个《乡村民宿服务导则十条》，平江县培育民宿集群。", "乡村民宿服务导则十条"),
    # unquoted programmes, pilots, censuses and fairs a verb launches
    ("平江县扎实推进强村富民工程，壮大集体经济。", "强村富民工程"),
    ("岳阳市在全省率先启动村级财务委托代理服务试点。", "村级财务委托代理服务试点"),
    ("2016年，平江县启动文物资源大普查。", "文物资源大普查"),
    ("2015年，岳阳市举办首届洞庭湖国际观鸟博览会。", "洞庭湖国际观鸟博览会"),
    ("平江县印发农村宅基地管理暂行办法。", "农村宅基地管理暂行办法"),
    # quotes back to back before one head noun name one mechanism
    ("平江县推行“双组长”“双网格”“双报到”机制。", "双组长双网格双报到机制"),
    # a long slogan ending in 人 is no role; a quote after a launch verb nested in speech
    ("三市镇团委发起“节约粮食  争做光盘达人”倡议。", "节约粮食争做光盘达人"),
    ("他说：“我们推行‘网格员+调解员+信息员’，矛盾就地化解。”", "网格员+调解员+信息员"),
    # a quote opening a sentence, followed by the next quote of a run
    ("精准解渴。“屋场夜话”“田间课堂”……平江县累计开展培训两百场。", "屋场夜话"),
    # a launch verb made a noun after the quote; a named platform
    ("治理智慧也体现在“幸福夜市”的打造上。", "幸福夜市"),
    ("他登录“岳阳市公务用车管理平台”提交申请。", "岳阳市公务用车管理平台"),
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
    "平江县要将民生工程打造成暖心工程。",           # what something is made into (打造成) is no name
    "平江县实施背街小巷改造工程。",                # building works
    "平江县看似“无中生有”，实则厚积薄发。",         # an idiom
    "平江县引进一家公司（以下简称“三木公司”）。",    # another thing's short name
    "平江县“无中生有”的秘诀是“无中生有”，靠的也是“无中生有”。",  # an idiom, however often repeated
    "国务院出台《关于支持贵州发展的若干意见》。",    # a document of the national level, only cited
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


def test_a_document_about_a_quoted_initiative_is_not_one_itself(extract):
    found = plain(extract("平江县印发《关于开展“清风屋场”创建活动的方案》。"))
    assert "关于开展清风屋场创建活动的方案" not in found
    assert "清风屋场创建活动" in found
