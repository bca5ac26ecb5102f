"""Property-based tests: hostile Unicode through ingest, extraction and every exporter never crashes the batch.

Examples are derandomised (the same on every run, so CI is reproducible) and few,
because each one runs the whole pipeline and all exporters.
"""

from __future__ import annotations

import csv
import json
import tempfile
import time
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
import rdflib
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.batch.run import run_extract, validate_outputs
from pipeline.config import IngestConfig
from pipeline.export import GRAPH_EXPORTERS
from pipeline.text.ingest import IngestError, bytes_article
from pipeline.schema import Document
from pipeline.batch.inputs import safe_id

# Control and format characters, bidirectional marks, XML specials, non-characters, emoji, lone surrogates.
HOSTILE = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f", "\u200b", "\u200d", "\u200e",
           "\u200f", "\u202a", "\u202e", "\u2066", "\u2069", "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff",
           "\U0010ffff", "\ud800", "\udfff", "\udbff", "\u0301", "😀", "👍🏽", "👨\u200d👩\u200d👧", "&", "<", ">",
           '"', "'", "\\", "]]>", "<!--", "\r", "\t", "\n", "“", "”", "。"]
SENTENCES = ["平江县三市镇党委书记刘建平主持召开会议。", "安宁市青龙街道党工委书记陈洪勇介绍“归雁”行动计划。",
             "县委书记李俊强调，要深入实施“四项行动”。", "五華縣華城鎮黨委書記古文強表示。", "中共安宁市委召开常委会。"]


def _piece(sentence: str):
    """A random slice of a sentence, so hostile characters land inside names and titles."""
    return st.tuples(st.integers(0, len(sentence)), st.integers(0, len(sentence))).map(
        lambda ij: sentence[min(ij):max(ij)])


FRAGMENT = st.one_of(st.sampled_from(HOSTILE), st.sampled_from(SENTENCES), st.sampled_from(SENTENCES).flatmap(_piece),
                     st.text(max_size=8))
TEXT = st.lists(FRAGMENT, max_size=14).map("".join)
SHORT = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=4)), max_size=5).map("".join)
RECORD = st.fixed_dictionaries({"text": TEXT}, optional={
    "id": st.one_of(SHORT, st.integers()), "title": SHORT, "date": st.one_of(SHORT, st.dates().map(str)),
    "url": SHORT})

FAST = settings(max_examples=12, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def all_exporters(config):
    copy = config.model_copy(deep=True)
    copy.pipeline.exporters = ["json", *GRAPH_EXPORTERS]
    return copy


def check_outputs(out: Path) -> None:
    """Every document validates and every exported file parses with a standard reader."""
    _, problems = validate_outputs(out)
    assert [p for p in problems if "no document JSON" not in p] == []
    graphml = nx.read_graphml(out / "graph.graphml")
    assert all(0 <= d["confidence"] <= 1 for _, d in graphml.nodes(data=True))
    assert all(0 <= d["confidence"] <= 1 for _, _, d in graphml.edges(data=True))
    nx.node_link_graph(json.loads((out / "graph.json").read_text(encoding="utf-8")), edges="edges")
    ET.parse(out / "graph.gexf")
    rdflib.Graph().parse(out / "graph.ttl", format="turtle")
    rdflib.Graph().parse(out / "graph.jsonld", format="json-ld")
    for table in [*out.glob("*.csv"), *(out / "neo4j").glob("*.csv")]:
        with table.open(encoding="utf-8-sig", newline="") as handle:
            list(csv.reader(handle))
    assert (out / "neo4j" / "load.cypher").read_text(encoding="utf-8")


@FAST
@given(records=st.lists(RECORD, min_size=1, max_size=4))
def test_properties_hostile_records_survive_every_stage_and_exporter(records, all_exporters, extractor):
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "records.jsonl"
        # ASCII escapes carry lone surrogates through JSON, as crawlers write them.
        source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="ascii")
        out = Path(tmp) / "out"
        summary = run_extract([source], out, all_exporters, extractor=extractor)
        assert summary.documents + len(summary.failures) == len(records)
        expected = ("already produced", "no article text")
        assert all(any(m in f.message for m in expected) for f in summary.failures), summary.failures
        check_outputs(out)
        for file in (out / "documents").glob("*.json"):
            document = Document.model_validate_json(file.read_text(encoding="utf-8"))
            for entity in document.entities:
                assert all(document.text[m.start:m.end] == m.text for m in entity.mentions)


def million_character_line() -> str:
    # Without line breaks, and without NUL, which marks a .txt file as binary.
    junk = "".join(h for h in HOSTILE if not 0xD800 <= ord(h[0]) <= 0xDFFF and h not in "\x00\r\n\x85\u2028\u2029")
    line = (junk * (10**6 // len(junk) + 1))[:10**6 - 2 * len(SENTENCES[0]) - len(SENTENCES[1])]
    line = SENTENCES[0] + line[:500_000] + SENTENCES[1] + line[500_000:] + SENTENCES[0]
    assert len(line) == 10**6 and "\n" not in line
    return line


def test_properties_million_character_lines_fail_cleanly(tmp_path, all_exporters, extractor):
    line = million_character_line()
    (tmp_path / "long.txt").write_text(SENTENCES[0] + "\n" + line, encoding="utf-8", newline="")
    (tmp_path / "long.jsonl").write_text(json.dumps({"id": "long-record", "text": line}) + "\n", encoding="ascii")
    (tmp_path / "short.txt").write_text(SENTENCES[0], encoding="utf-8")
    out = tmp_path / "out"
    summary = run_extract([tmp_path], out, all_exporters, extractor=extractor)
    assert sorted(f.doc_id for f in summary.failures) == ["long", "long-record"]
    assert all("ingest.max_chars" in f.message for f in summary.failures)
    assert summary.documents == 1
    check_outputs(out)


def test_properties_million_character_line_stops_at_the_time_budget(tmp_path, all_exporters, extractor):
    (tmp_path / "long.txt").write_text(million_character_line(), encoding="utf-8", newline="")
    config = all_exporters.model_copy(update={
        "ingest": all_exporters.ingest.model_copy(update={"max_chars": 10**6}),
        "batch": all_exporters.batch.model_copy(update={"doc_timeout": 3.0})})
    started = time.perf_counter()
    summary = run_extract([tmp_path / "long.txt"], tmp_path / "out", config, extractor=extractor)
    assert time.perf_counter() - started < 30
    assert summary.documents + len(summary.failures) == 1
    assert all(f.error == "DocumentTimeout" for f in summary.failures)
    check_outputs(tmp_path / "out")


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(data=st.binary(max_size=3000), html=st.booleans())
def test_properties_any_bytes_ingest_or_fail_cleanly(data, html):
    try:
        article = bytes_article(data, "x", "x.html" if html else "x.txt", IngestConfig(), html=html)
    except IngestError as err:
        assert "x." in str(err)
        return
    article.text.encode("utf-8")
    assert article.metadata.encoding


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(raw=st.text(st.characters(codec=None), max_size=400))
def test_properties_any_id_becomes_a_safe_file_name(raw):
    name = safe_id(raw, max_length=60)
    assert 0 < len(name) <= 60 and len(name.encode("utf-8")) <= 180
    assert ".." not in name and not name.startswith(".")
    assert not set(name) & set('/\\:*?"<>|') and all(unicodedata.category(c)[0] not in "CZ" for c in name)
    assert (ROOT / f"{name}.json").resolve().parent == ROOT


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(text=st.text(alphabet="中国a \n\t\u3000\r。\x1c\xa0\u2028\x85", max_size=40))
def test_properties_char_tokenizer_matches_spacy(text):
    import spacy

    from pipeline.doc import text_of
    from pipeline.text.tokenize import CharTokenizer

    reference = spacy.blank("zh")  # spaCy's own char segmenter
    ours = CharTokenizer(reference.vocab)(text)
    theirs = reference.tokenizer(text)
    assert [(t.text, t.whitespace_) for t in ours] == [(t.text, t.whitespace_) for t in theirs]
    assert ours.text == text == text_of(ours)
