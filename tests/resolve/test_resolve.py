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


@pytest.mark.parametrize("name, level, short", [
    ("黔东南苗族侗族自治州", 2, ["黔东南"]),
    ("西双版纳傣族自治州", 2, ["西双版纳"]),
    ("张家川回族自治县", 3, ["张家川"]),
    ("管城回族区", 3, ["管城"]),
    ("龙胜各族自治县", 3, ["龙胜"]),
    ("鄂温克族自治旗", 3, []),
    ("中山市", 2, ["中山"]),
    ("秦皇台乡", 4, ["秦皇台"]),
])
def test_resolve_short_forms_keep_the_whole_stem(name, level, short):
    from pipeline.gazetteer import load_name_grammar

    assert load_name_grammar().short_forms(name, level) == short


@pytest.mark.parametrize("name, code, kind", [
    ("凉山州", "513400", "abbreviation"),
    ("石柱县", "500240", "abbreviation"),
    ("沾化县", "371603", "renamed"),
    ("毕节地区", "520500", "renamed"),
])
def test_resolve_variants_of_names_the_list_lacks(name, code, kind):
    from pipeline.gazetteer import load_gazetteer

    assert [(v.code, v.kind) for v in load_gazetteer().variants(name)] == [(code, kind)]


@pytest.mark.parametrize("name", ["大城市", "民族乡", "安宁市"])
def test_resolve_common_words_and_full_names_are_no_variants(name):
    from pipeline.gazetteer import load_gazetteer

    assert load_gazetteer().variants(name) == []


def test_resolve_scan_is_leftmost_longest():
    from pipeline.gazetteer import load_gazetteer

    hits = load_gazetteer().scan("滨州市滨城区秦皇台乡朝阳新村，吴江市场")
    assert [(h.surface, h.kind) for h in hits] == [
        ("滨州市", "full"), ("滨城区", "full"), ("秦皇台乡", "full"), ("朝阳", "short"), ("新村", "short"),
        ("吴江", "short"), ("市场", "short")]
    assert [(h.start, h.end) for h in load_gazetteer().scan("来到安宁市")] == [(2, 5)]


@pytest.mark.parametrize("text, absent", [
    ("湖北省公安厅发布交通安全提示。", "公安"),
    ("山东泰山迎来登山游客高峰。", "泰山"),
    ("不少年轻人离开大城市回到家乡。", "大城市"),
])
def test_resolve_words_after_a_province_are_not_places(extract, text, absent):
    assert absent not in names(extract(text), "PLACE")


def test_resolve_two_short_forms_in_a_chain_support_each_other(extract):
    doc = extract("兰州安宁的白凤桃熟了。")
    assert {(e.text, e.code) for e in doc.entities if e.label == "PLACE"} == {("兰州市", "620100"), ("安宁", "620105")}


def test_resolve_located_in_reaches_the_nearest_ancestor_in_the_text(extract):
    doc = extract("眉山市出台乡村振兴新政。锦江镇随即成立了工作专班。")
    edges = [r for r in doc.relations if r.label == "LOCATED_IN"]
    by_id = {e.id: e.text for e in doc.entities}
    assert [(by_id[r.head], by_id[r.tail], r.source) for r in edges] == [("锦江镇", "眉山市", "gazetteer")]


def test_resolve_text_containment_the_list_contradicts_is_dropped(extract):
    doc = extract("昆明市成华区开展志愿服务。")
    assert entity(doc, "成华区").code == "510108"
    assert not [r for r in doc.relations if r.label == "LOCATED_IN"]


def test_resolve_village_without_a_unit_before_it_says_so(extract):
    place = entity(extract("大塘村中药材基地初见规模。"), "大塘村")
    assert place.parents == [] and "no unit named before it" in place.resolution_note


def test_resolve_importing_the_package_loads_no_resource():
    import subprocess
    import sys
    from pathlib import Path

    probe = ("import sys; from pipeline import cli, extractor; from pipeline.gazetteer import load_gazetteer; "
             "print(load_gazetteer.cache_info().currsize, 'hanlp' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], cwd=Path(__file__).resolve().parents[2],
                         capture_output=True, text=True, check=True)
    assert out.stdout.split()[-2:] == ["0", "False"]


@pytest.mark.parametrize("outlet, county", [("太和县融媒体中心", "太和县"), ("凤台县新闻中心", "凤台县")])
def test_resolve_outlet_line_decides_a_namesake_township(extract, outlet, county):
    from pipeline.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    expected = next(c for c in gaz.lookup("城关镇") if gaz.by_code[c].parent == gaz.lookup(county)[0])
    document = extract(f"来源：{outlet}\n\n城关镇召开干部大会，部署秋收工作。")
    (town,) = [e for e in document.entities if e.text == "城关镇"]
    assert town.code == expected
    assert county not in {e.text for e in document.entities}, "the outlet supports, it is not an entity"


def test_resolve_without_an_outlet_the_township_stays_ambiguous(extract):
    document = extract("城关镇召开干部大会，部署秋收工作。")
    (town,) = [e for e in document.entities if e.text == "城关镇"]
    assert town.code is None and town.resolution == "ambiguous"


@pytest.mark.parametrize("short, full, same", [
    ("富平县政府", "富平县人民政府", True),
    ("青川县卫健局", "青川县卫生健康局", True),
    ("三犁公司", "山西雁门三犁农业科技有限公司", True),
    ("富平县财政局", "富平县人民政府", False),  # another head
    ("县政府", "县人民政府办公室", False),  # another head character
    ("雁门公司", "山西三犁雁农业公司", False),  # the name core is not written together
])
def test_organisation_abbreviations(short, full, same):
    from pipeline.resolve.entities import is_abbreviation

    assert is_abbreviation(short, full) is same


def test_abbreviated_organisation_is_one_entity(extract):
    doc = extract("平江县卫生健康局召开会议。县卫健局局长刘明出席。")
    orgs = [e for e in doc.entities if e.label == "ORG"]
    assert [e.text for e in orgs] == ["平江县卫生健康局"]


@pytest.mark.parametrize("place, committee", [("安宁市", "中共安宁市委"), ("户县", "中共户县县委")])
def test_committee_names(place, committee):
    from pipeline.resolve.entities import committee_name

    assert committee_name(place, "委") == committee


def test_resolve_support_is_the_same_unit_a_descendant_or_a_near_ancestor():
    from pipeline.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    province, prefecture, county = gaz.lookup("甘肃省")[0], gaz.lookup("天水市")[0], gaz.lookup("秦安县")[0]
    town = next(c for c in gaz.lookup("莲花镇") if gaz.by_code[c].parent == county)
    assert gaz.supports(county, county, reach=1)
    assert gaz.supports(town, province, reach=1), "a descendant at any depth"
    assert gaz.supports(prefecture, county, reach=1) and not gaz.supports(province, county, reach=1)
    assert gaz.supports(province, county, reach=2) and not gaz.supports(province, town, reach=2)
    assert not gaz.supports(gaz.lookup("兰州市")[0], county, reach=3), "a sibling branch never supports"
