"""The extractor's batches: documents piped together, a failing stage failing its document alone."""

from __future__ import annotations

import pytest
from spacy.language import Language

from pipeline.extractor import Extractor, StageError
from pipeline.ingest import clean_article
from pipeline.schema import Document

MARKER = "BREAKS"
FAILING = "cadregraph_test_fails_on_marker"
TEXTS = ["平江县三市镇党委书记刘建平主持会议。", f"{MARKER} 青龙街道党工委书记陈洪勇出席。",
         "县委书记王小明在大塘村调研。王小明说，要办好实事。"]


def fails_on_marker(doc):
    """A component that fails on the documents holding MARKER."""
    if MARKER in doc.text:
        raise ValueError("marked document")
    return doc


@pytest.fixture(scope="module")
def failing_extractor(rules_config):
    """The rules pipeline with a component named 'breaker' that fails on marked documents."""
    if not Language.has_factory(FAILING):
        Language.component(FAILING, func=fails_on_marker)
    extractor = Extractor(rules_config)
    extractor.nlp.add_pipe(FAILING, name="breaker", after="titles")
    return extractor


def articles():
    return [clean_article(text, f"d{n}") for n, text in enumerate(TEXTS)]


def test_extractor_pipe_fails_only_the_document_a_component_fails_on(failing_extractor):
    results = list(failing_extractor.pipe(articles()))
    assert [type(r) for r in results] == [Document, StageError, Document]
    assert results[1].stage == "breaker" and isinstance(results[1].error, ValueError)
    assert [r.doc_id for r in (results[0], results[2])] == ["d0", "d2"]
    alone = [failing_extractor(a) for a in articles() if MARKER not in a.text]
    assert [r.model_dump() for r in (results[0], results[2])] == [d.model_dump() for d in alone]


def test_extractor_call_raises_the_stage_error(failing_extractor):
    with pytest.raises(StageError, match="breaker: ValueError: marked document") as caught:
        failing_extractor(articles()[1])
    assert caught.value.stage == "breaker"


def test_extractor_pipe_gives_each_document_as_alone(extractor):
    together = list(extractor.pipe(articles(), batch_size=3))
    assert [d.model_dump() for d in together] == [extractor(a).model_dump() for a in articles()]


def test_extractor_tagger_failure_in_a_shared_batch_fails_one_document(extractor, monkeypatch):
    tagger = extractor.nlp.get_pipe("entities").tagger
    tag = tagger.tag

    def tag_unless_marked(texts, *args):
        if any(MARKER in t for t in texts):
            raise RuntimeError("marked text")
        return tag(texts, *args)

    monkeypatch.setattr(tagger, "tag", tag_unless_marked)
    results = list(extractor.pipe(articles(), batch_size=3))
    assert [type(r) for r in results] == [Document, StageError, Document]
    assert results[1].stage == "entities" and "marked text" in str(results[1])
    assert any(e.label == "PERSON" for e in results[2].entities)
