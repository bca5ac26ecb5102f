"""Lexicon features of the NER tagger: bit layout, leave-one-out, saving."""

from __future__ import annotations

from pipeline.ner.tagger.features import POSITIONS, SOURCES, TYPES, FeatureLexicon
from pipeline.ner.names import NameShapes
from pipeline.ner.tagger.model import split_name_lists

BEGIN, MIDDLE, END, SINGLE = range(POSITIONS)


def bit(kind: str, position: int) -> int:
    return 1 << (TYPES.index(kind) * POSITIONS + position)


def source_bit(source: str) -> int:
    return 1 << (len(TYPES) * POSITIONS + SOURCES.index(source))


def test_each_character_says_where_it_sits_in_each_known_word():
    lexicon = FeatureLexicon.build([("王小明", "PERSON"), ("北京", "PLACE"), ("美", "PLACE"), ("访问", "WORD")])
    bits = lexicon.features("王小明访问美北京")
    msra = source_bit("msra")
    assert bits == [
        msra | bit("PERSON", BEGIN), msra | bit("PERSON", MIDDLE), msra | bit("PERSON", END),
        msra | bit("WORD", BEGIN), msra | bit("WORD", END),
        msra | bit("PLACE", SINGLE),
        msra | bit("PLACE", BEGIN), msra | bit("PLACE", END),
    ]


def test_a_training_sentence_does_not_see_entities_only_it_contains():
    lexicon = FeatureLexicon.build([("王小明", "PERSON"), ("北京", "PLACE"), ("北京", "PLACE")])
    own = {("王小明", "PERSON"), ("北京", "PLACE")}
    bits = lexicon.features("王小明在北京", "peoples_daily", own)
    pd = source_bit("peoples_daily")
    # 王小明 came from this sentence alone; 北京 also from another one.
    assert bits[:4] == [pd] * 4
    assert bits[4:] == [pd | bit("PLACE", BEGIN), pd | bit("PLACE", END)]
    assert lexicon.features("王小明")[0] & bit("PERSON", BEGIN)


def test_always_entries_never_drop_out_and_overlaps_add_up():
    lexicon = FeatureLexicon.build([("安宁", "WORD"), ("安宁", "WORD")], always=[("安宁市", "PLACE")])
    bits = lexicon.features("安宁市", own={("安宁市", "PLACE")})
    assert bits[0] & bit("PLACE", BEGIN) and bits[0] & bit("WORD", BEGIN)
    assert bits[1] & bit("PLACE", MIDDLE) and bits[1] & bit("WORD", END)
    assert bits[2] & bit("PLACE", END)


def test_lexicon_saves_and_loads(tmp_path):
    lexicon = FeatureLexicon.build([("王小明", "PERSON"), ("中共中央", "ORG"), ("访问", "WORD")])
    lexicon.save(tmp_path)
    again = FeatureLexicon.load(tmp_path)
    text = "中共中央王小明访问"
    assert again.features(text) == lexicon.features(text)
    assert again.counts == lexicon.counts


NAMES = NameShapes.from_names([
    "李鹏", "乔石", "李瑞环", "欧阳明华", "王小明", "张伟", "刘华", "陈建国", "杨明",
    "费尔南德斯", "斯特罗耶夫", "内塔尼亚胡", "约翰·曼利", "奥尔布赖特",
])


def test_a_run_of_chinese_names_tagged_as_one_person_is_cut_into_names():
    text = "出席的有李鹏乔石欧阳明华和费尔南德斯。"
    roster = (4, 12, "PERSON")  # 李鹏 乔石 欧阳明华
    foreign = (13, 18, "PERSON")  # 费尔南德斯: 费尔 and 南德斯 are surname-shaped, but it reads as one name
    spans = split_name_lists(text, [roster, foreign, (0, 2, "ORG")], NAMES)
    assert [text[a:b] for a, b, label in spans if label == "PERSON"] == ["李鹏", "乔石", "欧阳明华", "费尔南德斯"]
    assert (0, 2, "ORG") in spans


def test_names_never_seen_are_cut_by_their_shape():
    text = "刘建华杨小伟"
    assert split_name_lists(text, [(0, 6, "PERSON")], NAMES) == [(0, 3, "PERSON"), (3, 6, "PERSON")]


def test_a_transliterated_name_is_not_cut():
    for name in ("斯特罗耶夫", "奥尔布赖特", "内塔尼亚胡"):
        assert NAMES.cut(name) is None


def test_a_short_person_span_is_never_cut():
    text = "王小明"
    assert split_name_lists(text, [(0, 3, "PERSON")], None) == [(0, 3, "PERSON")]
