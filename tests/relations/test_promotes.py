"""PROMOTES: who launches, proposes or carries out an initiative, and when the text credits nobody we know.

Sentences are invented; the constructions are those of local-government news. Initiative names
are compared without quote marks or punctuation.
"""

from __future__ import annotations

import re

import pytest

from conftest import relations


def promotes(document) -> set[tuple[str, str]]:
    return {(head, re.sub(r"[^\w+]", "", tail)) for head, tail in relations(document, "PROMOTES")}


@pytest.mark.parametrize("text, pair", [
    # a proposer is credited even inside someone's quoted speech
    ("平江县三市镇党委书记刘建平说：“县委提出‘产业强县’战略，我们坚决落实。”", ("中共平江县委", "产业强县战略")),
    # a meeting or report of a unit proposes: its author
    ("岳阳市召开全市干部大会。市第八次党代会提出打造“智慧岳阳”。", ("岳阳市", "智慧岳阳")),
    # … also when only the interviewer's question names it
    ("平江县召开会议。\n主持人：县委十四届九次全会提出了“三个平江”的战略部署，请问如何落实？\n"
     "李军：我们将全力落实“三个平江”战略。", ("中共平江县委", "三个平江战略")),
    # the meeting speaks for its convener
    ("平江县委书记李军主持召开县委常委会会议。会议强调，要深入实施“头雁领航”计划。", ("李军", "头雁领航计划")),
    # reported speech: the speaker of the sentence, 他 for the person named before, the paragraph's speaker
    ("平江县三市镇党委书记刘建平在讲话中表示，要深入开展“美丽屋场”创建活动。", ("刘建平", "美丽屋场创建活动")),
    ("三市镇党委书记刘建平主持会议。他说，全镇要做好“三篇文章”。", ("刘建平", "三篇文章")),
    ("三市镇党委书记刘建平指出，要抓好基层党建。全镇上下要持续推进“红色屋场”建设。", ("刘建平", "红色屋场建设")),
    # the owner a predicate names
    ("“五联共建”是平江县抓党建促发展的重要举措。", ("平江县", "五联共建")),
    # places and partners after 在/与 are not the subject
    ("三市镇与加义镇在石坪村携手开展“双联双优”行动。", ("三市镇", "双联双优行动")),
    ("三市镇党委书记刘建平介绍了与平江县第一中学共建的“小小讲解员”项目。", ("刘建平", "小小讲解员项目")),
    # a sentence without a subject continues the paragraph's topic
    ("今年以来，平江县相继出台多项措施。同时，启动“企业服务月”活动。", ("平江县", "企业服务月活动")),
    # of units written together, the last is the subject
    ("岳阳市平江县积极适应新形势，扎实推进强村富民工程。", ("平江县", "强村富民工程")),
    # a fronted clause: the subject opening the next clause carries it out
    ("平江县委书记李军主持会议。依托《乡村民宿服务导则》，三市镇培育民宿集群。", ("三市镇", "乡村民宿服务导则")),
    # the issuer of a document
    ("岳阳市出台《关于加快发展夜间经济的若干措施》，激活消费。", ("岳阳市", "关于加快发展夜间经济的若干措施")),
])
def test_promoter(extract, text, pair):
    assert pair in promotes(extract(text))


@pytest.mark.parametrize("text, head", [
    ("三市镇与加义镇在石坪村携手开展“双联双优”行动。", "石坪村"),
    ("三市镇党委书记刘建平介绍了与平江县第一中学共建的“小小讲解员”项目。", "平江县第一中学"),
])
def test_obliques_are_not_promoters(extract, text, head):
    assert head not in {h for h, _ in promotes(extract(text))}


@pytest.mark.parametrize("text, initiative", [
    # a proposer we do not know: no guess at the speaker
    ("平江县三市镇党委书记刘建平说，专家提出“三区联动”设想。", "三区联动"),
    # a meeting nobody is known to convene
    ("会议提出“三区联动”构想。", "三区联动"),
    # a subject we do not know: no guess at the document's place
    ("平江县召开会议。随后，各村工作人员围绕“一村一品”展开讨论。", "一村一品"),
    # cited from a higher level
    ("三市镇党委书记刘建平说，省委提出“三高四新”战略。", "三高四新战略"),
])
def test_no_promoter_is_guessed(extract, text, initiative):
    document = extract(text)
    assert initiative in {re.sub(r"[^\w+]", "", e.text) for e in document.entities if e.label == "INITIATIVE"}
    assert initiative not in {tail for _, tail in promotes(document)}
