"""Position relations across the discourse: every post of every official, each with its own unit.

Sentences are invented; the constructions are those of local-government news.
"""

import pytest

from conftest import relations
from pipeline.ner.title_grammar import load_title_grammar


@pytest.mark.parametrize("title, level, organ_kind, post, label", [
    ("县委副书记", "县", "committee", "书记", "HOLDS_POSITION"),
    ("镇党委书记", "镇", "party", "书记", "SECRETARY_OF"),
    ("县人大常委会主任", "县", "congress", "主任", "HOLDS_POSITION"),
    ("宣传部部长", "", "department", "部长", "HOLDS_POSITION"),
    ("组织部长", "", "department", "部长", "HOLDS_POSITION"),
    ("村第一书记", "村", "", "书记", "SECRETARY_OF"),
    ("纪委书记", "", "discipline", "书记", "SECRETARY_OF"),
    ("常务副县长", "", "", "县长", "HOLDS_POSITION"),
    ("市长候选人", "", "", "市长", "HOLDS_POSITION"),
])
def test_title_grammar_parses_level_organ_and_post(title, level, organ_kind, post, label):
    parsed = load_title_grammar().parse(title)
    assert parsed is not None
    assert (parsed.level, parsed.organ_kind, parsed.post, parsed.label) == (level, organ_kind, post, label)


@pytest.mark.parametrize("text, label, pair", [
    # elided unit: the level names it, the discourse supplies it
    ("三市镇今年新建茶厂3座。镇党委书记韩立群说，茶叶是全镇的支柱。", "SECRETARY_OF", ("韩立群", "三市镇")),
    ("平江县召开经济工作会议。县长许晨作报告。", "HOLDS_POSITION", ("许晨", "平江县")),
    # every post of a chain, each with its own unit
    ("平江县委副书记、县长许晨出席。", "HOLDS_POSITION", ("许晨", "平江县")),
    ("岳阳市委常委、平江县委书记韩卫东出席。", "SECRETARY_OF", ("韩卫东", "平江县")),
    ("岳阳市委常委、平江县委书记韩卫东出席。", "HOLDS_POSITION", ("韩卫东", "岳阳市")),
    # rosters: the title distributes over the names
    ("平江县委常委周瀚文、钱立恒、陆晓梅参加调研。", "HOLDS_POSITION", ("陆晓梅", "平江县")),
    # names padded to three places in a list, and names joined by ·
    ("平江县委常委张　伟、李　强、王小明出席。", "HOLDS_POSITION", ("李强", "平江县")),
    ("平江县副县长阿不都·热合曼主持会议。", "HOLDS_POSITION", ("阿不都·热合曼", "平江县")),
    # name before title, with the unit before the name
    ("三市镇石桥村的柏青松书记介绍了经验。", "SECRETARY_OF", ("柏青松", "石桥村")),
    # appointment notices
    ("经研究决定：蒋立华同志任中共平江县委书记。", "SECRETARY_OF", ("蒋立华", "平江县")),
    # a post given in brackets
    ("会议由许晨（平江县县长）主持。", "HOLDS_POSITION", ("许晨", "平江县")),
    # a bare title inherits the unit of the person listed before it
    ("华禾建设集团党委书记、董事长卢振东，副总经理马文杰出席。", "HOLDS_POSITION", ("马文杰", "华禾建设集团")),
    # a section between the unit and the post
    ("岳阳市财政局预算科科长黄丽娜说。", "HOLDS_POSITION", ("黄丽娜", "岳阳市财政局")),
    # a post in a 的-phrase before the name
    ("现任平江县应急管理局局长的陈银海说。", "HOLDS_POSITION", ("陈银海", "平江县应急管理局")),
    # a (兼) note inside a chain
    ("平江县副县长、县总工会主席(兼)赵立新参加。", "HOLDS_POSITION", ("赵立新", "平江县")),
])
def test_positions_across_the_discourse(full_extract, text, label, pair):
    assert pair in relations(full_extract(text), label)


def test_department_post_points_to_the_department(extract):
    doc = extract("平江县委常委、宣传部部长单晓丽出席。")
    assert ("单晓丽", "平江县") in relations(doc, "HOLDS_POSITION")
    assert ("单晓丽", "平江县委宣传部") in relations(doc, "HOLDS_POSITION")


def test_visitors_keep_their_home_unit(extract):
    text = "岳阳楼区组织部门来平江县考察。平江县今年发展很快。岳阳楼区组织部部长陆启明带队赴三市镇学习。"
    found = relations(extract(text), "HOLDS_POSITION")
    assert ("陆启明", "三市镇") not in found


def test_evidence_says_how_the_unit_was_found(extract):
    doc = extract("三市镇今年新建茶厂3座。镇党委书记韩立群说，茶叶是全镇的支柱。")
    rel = next(r for r in doc.relations if r.label == "SECRETARY_OF")
    assert rel.evidence[0].unit in ("discourse_unit", "home_unit")


@pytest.mark.parametrize("text", [
    "该县地处长沙以西。",  # 处长 inside a word, no official
    "书记常抓不懈，干部积极响应。",  # a title with no name
    "县委书记张德明主持会议。",  # 县委 of a county the document never names
    "岳阳市妇保院党委书记陈卓主持。",  # a unit the rules do not know: no guessed unit
])
def test_no_position_without_a_person_and_a_unit(extract, text):
    doc = extract(text)
    assert not [r for r in doc.relations if r.label in ("SECRETARY_OF", "HOLDS_POSITION")]


def test_a_title_before_another_name_is_not_an_apposition(full_extract):
    doc = full_extract("记者刘明，平江县县长许晨陪同调研。")
    assert ("刘明", "平江县") not in relations(doc, "HOLDS_POSITION")
    assert ("许晨", "平江县") in relations(doc, "HOLDS_POSITION")


def test_a_quoted_unit_is_a_saying_not_the_discourses_unit(full_extract):
    doc = full_extract("比如石桥村，过去是集体经济“空壳村”，村党支部书记黄立勇带着群众发展产业。")
    assert ("黄立勇", "石桥村") in relations(doc, "SECRETARY_OF")


def test_home_unit_counts_short_and_full_names_as_one(extract):
    text = ("岳阳市领导来天长市调研。天长今年发展很快，天长的企业增加了，天长干部作风好。"
            "我市将继续努力。岳阳市也有进展。市长王海明同志作了部署。")
    assert ("王海明", "天长市") in relations(extract(text), "HOLDS_POSITION")


def test_a_subject_takes_up_a_post_later_in_its_sentence(full_extract):
    doc = full_extract("三市镇石桥村是有名的茶村。张立祥是石桥村的致富能手，去年新当选为村党支部书记。")
    assert ("张立祥", "石桥村") in relations(doc, "SECRETARY_OF")


@pytest.mark.parametrize("text, title", [("李明担任平江县县长以来，工作有起色。", "县长"),
                                         ("岳阳市委书记王忠昆讲话。", "市委书记")])
def test_titles_are_written_without_their_units_level_word(full_extract, text, title):
    assert [r.title for r in full_extract(text).relations if r.label in ("SECRETARY_OF", "HOLDS_POSITION")] == [title]


def test_an_organisation_before_a_title_is_no_name(extract):
    doc = extract("平江县文旅局副局长王文静说，游客增加了。")
    assert "文旅局" not in {e.text for e in doc.entities if e.label == "PERSON"}
