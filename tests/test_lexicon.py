"""The shared vocabulary is data: the patterns follow the resource files."""

from __future__ import annotations

import dataclasses
import re

from pipeline.lexicon import load_lexicon


def test_title_chain_matches_chained_titles_whole():
    chain = load_lexicon().title_chain
    assert re.fullmatch(chain, "县委书记、县长")
    assert re.fullmatch(chain, "镇党委副书记、常务副镇长")
    assert not re.fullmatch(chain, "县委书记和县长")


def test_patterns_are_built_from_the_files_words():
    shipped = load_lexicon()
    org_heads = {**shipped.org_heads, "left_cut": {"words": ["携手"], "characters": "之"}}
    national = {**shipped.national, "formulas": ["三个平江"]}
    edited = dataclasses.replace(shipped, org_heads=org_heads, national=national)
    assert edited.org_left_cut.search("平江县携手") and not edited.org_left_cut.search("成立")
    assert shipped.org_left_cut.search("成立") and not shipped.org_left_cut.search("携手")
    assert "三个平江" in edited.national_formulas and "一带一路" not in edited.national_formulas


def test_names_and_self_units():
    lexicon = load_lexicon()
    assert {"王", "欧"} <= lexicon.surnames_single and "欧阳" in lexicon.surnames_compound
    assert "\n" not in lexicon.surnames_single
    assert lexicon.self_unit.fullmatch("我街道")[2] == "街道"
    assert lexicon.higher_level.search("省第十二次党代会明确提出") is not None
    assert lexicon.higher_level.search("县委提出") is None
