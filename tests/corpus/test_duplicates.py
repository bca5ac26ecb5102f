"""Duplicate articles: exact and near copies found by text hash and MinHash, grouped under their smallest id."""

from __future__ import annotations

from conftest import ROOT
from handwritten import edited_copies, wire_story

from pipeline.config import DuplicatesConfig
from pipeline.corpus.duplicates import duplicate_groups, text_signature


def other_story() -> str:
    return (ROOT / "examples" / "03_secretary_speech.txt").read_text(encoding="utf-8")


def _groups(texts: dict[str, str], settings: DuplicatesConfig) -> dict[str, str]:
    return duplicate_groups([(doc_id, *text_signature(text, settings)) for doc_id, text in texts.items()], settings)


def test_duplicates_exact_and_lightly_edited_copies_form_one_group():
    wire = wire_story()
    texts = {"b_copy": wire, "a_wire": wire, "c_rewrapped": wire.replace("\n\n", "\n  \n"), "other": other_story()}
    texts.update({f"d_edit{n}": text for n, text in enumerate(edited_copies(wire))})
    groups = _groups(texts, DuplicatesConfig())
    assert groups == {doc_id: "a_wire" for doc_id in texts if doc_id != "other"}


def test_duplicates_threshold_and_switch_come_from_the_settings():
    wire = wire_story()
    texts = {"a": wire, "b": wire, "c": edited_copies(wire)[2]}
    assert _groups(texts, DuplicatesConfig(threshold=0.99)) == {"a": "a", "b": "a"}
    assert _groups(texts, DuplicatesConfig(enabled=False)) == {"a": "a", "b": "a"}


def test_duplicates_none_among_different_articles():
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.txt"))}
    assert _groups(texts, DuplicatesConfig()) == {}
