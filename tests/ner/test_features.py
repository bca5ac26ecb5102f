"""Lexicon features of the NER tagger: bit layout, leave-one-out, saving."""

from __future__ import annotations

import random

import numpy

from pipeline.ner.tagger.features import MAX_LENGTH, POSITIONS, SOURCES, TYPES, FeatureLexicon, code_points
from pipeline.ner.names import NameShapes
from pipeline.ner.tagger.model import END_CODE, CodeIds, _locked_vocab, bigrams, split_name_lists

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


def test_batch_features_equal_features_of_each_text():
    rng = random.Random(7)
    alphabet = "北京市大学王小明安宁街道😀a\0"
    entries = [("".join(rng.choices(alphabet, k=rng.randint(1, MAX_LENGTH + 2))), rng.choice(TYPES))
               for _ in range(400)]
    lexicon = FeatureLexicon.build([*entries, ("北京", "PLACE"), ("北京市", "PLACE"), ("京", "WORD")])
    texts = ["".join(rng.choices(alphabet, k=rng.randint(1, 40))) for _ in range(200)]
    texts += ["北京市", "京", "a"]
    for source in SOURCES:
        lengths = numpy.array([len(text) for text in texts])
        bits = lexicon.feature_array(code_points(texts, int(lengths.max())), lengths, source)
        for row, text in zip(bits.tolist(), texts, strict=True):
            assert row == lexicon.features(text, source) + [0] * (len(row) - len(text))


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


def test_character_and_bigram_ids_by_code_points_equal_the_vocabularies():
    texts = ["北京市大学", "北", "a\0😀京", "市北京"]
    chars = _locked_vocab(["北", "京", "a", "\0"])
    pairs = _locked_vocab(["北京", "京市", "a\0", "京</s>", "市</s>", "北京市"])
    codes = code_points(texts, 5)
    following = numpy.roll(codes.astype(numpy.int64), -1, axis=1)
    following[numpy.arange(len(texts)), [len(text) - 1 for text in texts]] = END_CODE
    char_ids = CodeIds.of_chars(chars)(codes).tolist()
    pair_ids = CodeIds.of_bigrams(pairs)(codes.astype(numpy.int64) << 21 | following).tolist()
    for text, row, pair_row in zip(texts, char_ids, pair_ids, strict=True):
        assert row[: len(text)] == [chars.get_idx(c) for c in text]
        assert pair_row[: len(text)] == [pairs.get_idx(b) for b in bigrams(text)]


def test_bio_spans_of_tag_ids_equal_those_of_the_tags():
    import random

    import numpy

    from pipeline.ner.tagger.bio import bio_spans_of_ids, bio_to_spans

    tags = ["O", "B-PERSON", "I-PERSON", "B-PLACE", "I-PLACE", "I-ORG"]
    rng = random.Random(3)
    for _ in range(500):
        ids = [rng.choice(range(len(tags))) if rng.random() < 0.4 else 0 for _ in range(rng.randint(0, 30))]
        assert bio_spans_of_ids(numpy.array(ids, dtype=numpy.int64), tags) == bio_to_spans(tags[i] for i in ids)
