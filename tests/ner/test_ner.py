"""Entity rules on small hand-written sentences, through the whole configured pipeline."""

import pytest

from conftest import names


@pytest.mark.parametrize("text, expected", [
    ("近日，平江县三市镇党委书记刘建平带队检查防汛工作。", {"刘建平"}),
    ("中共天长市委书记周国强主持召开会议。", {"周国强"}),
    ("公司党支部书记、董事长赵永红介绍了情况。", {"赵永红"}),
    ("“我们将继续努力。”石坪村党支部书记黄志勇说。", {"黄志勇"}),
    ("驻村“第一书记”孙鹏结合实际开展走访。", {"孙鹏"}),
    ("王海涛：今年我们要把项目建设放在首位，全力推进。\n", {"王海涛"}),
    ("县委常委、组织部部长刘海燕出席活动。", {"刘海燕"}),
])
def test_persons_found_through_titles_and_speaker_lines(extract, text, expected):
    assert expected <= names(extract(text), "PERSON")


@pytest.mark.parametrize("text", [
    "县委常委班子率先垂范，带头调研。",
    "各级党委书记要扛起第一责任。",
    "习近平总书记关于统筹发展和安全的重要论述。",
])
def test_persons_not_invented_from_words_after_titles(extract, text):
    assert names(extract(text), "PERSON") == set()


@pytest.mark.parametrize("text, expected", [
    ("湖南省岳阳市平江县三市镇石坪村召开村民大会。", {"湖南省", "岳阳市", "平江县", "三市镇", "石坪村"}),
    ("秦安县莲花镇庞湾村", {"秦安县", "莲花镇", "庞湾村"}),
    ("他在兴国镇北关社区工作多年。", {"北关社区"}),
])
def test_places_from_gazetteer_and_unit_suffixes(extract, text, expected):
    assert expected <= names(extract(text), "PLACE")


def test_short_place_names_need_support_from_the_document(extract):
    # 惠民 is the short form of 惠民县 (Shandong) but here it is a word ("benefit the people").
    assert names(extract("我们将实施阳光惠民行动，办好民生实事。"), "PLACE") == set()
    supported = extract("天长市委提出新要求。天长全市上下迅速行动。")
    assert "天长市" in names(supported, "PLACE")


@pytest.mark.parametrize("text, short, place", [
    ("甘肃省召开会议，陇南代表发言。", "陇南", "陇南市"),  # a prefecture under its province
    ("湖北省召开会议，仙桃代表发言。", "仙桃", "仙桃市"),  # a county-level city directly under its province
    ("甘肃省召开会议，要求发展合作社。", "合作", None),  # 合作市 is two steps below the province
    ("召开会议，仙桃代表发言。", "仙桃", None),  # nothing supports it
])
def test_a_parent_supports_the_short_names_of_its_children_only(extract, text, short, place):
    found = names(extract(text), "PLACE")
    assert (place in found) if place else not any(short in name for name in found)


@pytest.mark.parametrize("text", [
    "村民们把村庄打扫得干干净净。",
    "要带动村集体经济增收。",
    "社区工作者深入一线。",
])
def test_common_words_with_place_suffixes_are_not_places(extract, text):
    assert names(extract(text), "PLACE") == set()


@pytest.mark.parametrize("text, expected", [
    ("中共平江县委召开全会。", "中共平江县委"),
    ("甘肃陇桃果品有限公司投资建设冷库。", "甘肃陇桃果品有限公司"),
    ("秦安县农业农村局派出工作队。", "秦安县农业农村局"),
    ("他毕业于兰州大学。", "兰州大学"),
    ("依托县融媒体中心开设专栏。", "县融媒体中心"),
])
def test_organisations_by_head_noun(extract, text, expected):
    found = names(extract(text), "ORG")
    assert any(expected in name for name in found), found


@pytest.mark.parametrize("text", [
    "统揽全局，协调各方。",
    "开创发展新局面。",
    "强化党建与中心工作结合。",
])
def test_common_words_with_org_heads_are_not_orgs(extract, text):
    assert names(extract(text), "ORG") == set()


@pytest.mark.parametrize("text, expected", [
    ("全镇深入实施“乡贤回归”工程。", "乡贤回归工程"),
    ("我们将推进“1+10”联户机制全覆盖。", "1+10联户机制"),
    ("县委提出“三个对标”要求。", "三个对标"),
    ("全面开展“美丽屋场”创建活动。", "美丽屋场创建活动"),
    ("今年全县启动作风建设专项行动。", "作风建设专项行动"),
])
def test_initiatives_from_quotes_heads_and_verbs(extract, text, expected):
    assert expected in names(extract(text), "INITIATIVE")


@pytest.mark.parametrize("text", [
    "“绿水青山就是金山银山”。大家深受鼓舞。",
    "他说：“我们一定不辜负组织的信任。”",
    "该镇被授予“省级卫生镇”称号。",
    "要做到“问题要解决、群众要满意”。",
    "大家都在思考“乡村发展怎么办”这个问题。",
])
def test_quotes_that_are_not_initiatives(extract, text):
    assert names(extract(text), "INITIATIVE") == set()


def test_two_character_county_named_by_a_document_about_its_county():
    from pipeline.ner.places import PlaceRuler

    ruler = PlaceRuler()
    ruler.initialize()
    about = "沛县召开经济工作会议。县委书记陆晓延主持会议，县长张永潮作报告。"
    assert "沛县" in {h.surface for h in ruler.supported_hits(about)}
    assert "沛县" not in {h.surface for h in ruler.supported_hits("沛县召开经济工作会议。")}
    assert "和县" not in {h.surface for h in ruler.supported_hits("市和县两级干部参加，县委书记讲话，县长作报告。")}
    assert "和县" not in {h.surface for h in ruler.supported_hits("市委书记和县委书记出席。县长作报告，全县干部参加。")}


def test_unlisted_county_of_a_document_about_its_county(extract):
    # 户县 was renamed 鄠邑区 in 2016 and is not in the division list.
    text = "县委书记陆晓延主持召开县委常委会议。县长张永潮出席。会议审定户县全面推行的意见和户县劳动模范名单。"
    assert "户县" in names(extract(text), "PLACE")
    assert "户县" not in names(extract("会议审定户县全面推行的意见和户县劳动模范名单。"), "PLACE")


@pytest.mark.parametrize("text, expected", [
    ("岳阳师范学院与县政府签订合作协议。", {"岳阳师范学院"}),
    ("省教育厅和市人社局联合发文。", {"省教育厅"}),
])
def test_coordinated_organisations_are_split(extract, text, expected):
    found = names(extract(text), "ORG")
    assert expected <= found and not any("与" in n or "和" in n for n in found)


def test_a_name_standing_alone_fixes_its_left_edge(extract):
    text = "华禾集团召开会议。资金不足严重制约华禾集团发展。会上，华禾集团党委书记卢振东讲话。"
    assert names(extract(text), "ORG") == {"华禾集团"}


@pytest.mark.parametrize("text", [
    "近年来，农业公司越来越多。",
    "部分公立医院将试点改革。",
    "学校附近新开了一家文化公司。",
])
def test_kinds_of_organisation_are_not_names(extract, text):
    assert names(extract(text), "ORG") == set()


def test_organs_named_in_titles_are_organisations(extract):
    doc = extract("平江县召开大会。县人大常委会主任李明华、县政协主席周小平出席。")
    assert {"平江县人大常委会", "平江县政协"} <= names(doc, "ORG")


def test_a_name_in_brackets_after_an_organisation_is_its_alias(extract):
    doc = extract("中共湖南省委党校（湖南行政学院）教授刘立新表示，改革要稳步推进。")
    orgs = {e.text: e for e in doc.entities if e.label == "ORG"}
    assert "中共湖南省委党校" in orgs and "湖南行政学院" in orgs["中共湖南省委党校"].aliases


def test_an_organisations_party_group_standing_alone_is_an_organisation(extract):
    doc = extract("平江县召开常委会议。会议审议了县政府党组《关于加强耕地保护的请示》。县卫健局党组书记刘明出席。")
    found = names(doc, "ORG")
    assert "平江县政府党组" in found and "平江县卫健局党组" not in found
