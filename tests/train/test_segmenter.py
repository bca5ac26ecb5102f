"""The shipped pkuseg segmenter, loaded by spaCy with its user dictionary."""

from __future__ import annotations

import pytest

from conftest import ROOT
from pipeline.config import TokenizeConfig
from pipeline.text.tokenize import blank_nlp

SEGMENTER = ROOT / "models" / "segmenter"


@pytest.fixture(scope="module")
def word_nlp():
    return blank_nlp(TokenizeConfig(segmenter="pkuseg", pkuseg_model=str(SEGMENTER),
                                    pkuseg_user_dict=str(SEGMENTER / "user_dict.txt")))


@pytest.mark.parametrize("text, whole", [
    ("青龙街道党工委书记陈洪勇接受采访。", ["青龙街道", "党工委书记"]),
    ("筠连县委常委、副县长到巡司镇调研。", ["副县长", "巡司镇"]),
    ("秦皇台乡朝阳新村党总支书记说。", ["秦皇台乡", "党总支书记"]),
])
def test_segmenter_keeps_titles_and_division_names_whole(word_nlp, text, whole):
    words = [t.text for t in word_nlp(text)]
    assert "".join(words) == text
    for word in whole:
        assert word in words, words


def test_segmenter_splits_ordinary_text_into_words(word_nlp):
    words = [t.text for t in word_nlp("我们要把工作做实做细。")]
    assert 3 <= len(words) < len("我们要把工作做实做细。")
    assert "工作" in words
