"""The extractor: declared stage contracts checked at build, resources loaded in initialize(), documents piped
together with a failing stage failing its document alone."""

from __future__ import annotations

import pytest
from spacy.language import Language

from pipeline.config import ConfigError
from pipeline.extractor import Extractor, StageError, build_nlp
from pipeline.schema import Document
from pipeline.text.ingest import clean_article, read_article

from conftest import SHARED


def _swapped(config, i: int):
    copy = config.model_copy(deep=True)
    names = copy.pipeline.components
    names[i], names[i + 1] = names[i + 1], names[i]
    return copy


def _facts(document) -> tuple:
    by_id = {e.id: (e.label, e.text) for e in document.entities}
    return (sorted(by_id.values()),
            sorted((r.label, by_id[r.head], by_id[r.tail], r.title or "") for r in document.relations))


@pytest.fixture(scope="module")
def dev_articles(rules_config):
    paths = sorted((SHARED / "eval" / "dev" / "docs").glob("*.txt"))
    return [read_article(path, rules_config.ingest) for path in paths]


@pytest.fixture(scope="module")
def dev_facts(rules_config, dev_articles):
    extractor = Extractor(rules_config)
    return [_facts(extractor(article)) for article in dev_articles]


@pytest.mark.parametrize("i", range(8))
def test_extractor_adjacent_swap_fails_at_build_or_changes_nothing(rules_config, dev_articles, dev_facts, i):
    """Swapping two neighbours either is refused with the names of the components, or gives the same output."""
    config = _swapped(rules_config, i)
    first, second = config.pipeline.components[i + 1], config.pipeline.components[i]
    try:
        extractor = Extractor(config)
    except ConfigError as err:
        assert repr(first) in str(err) or repr(second) in str(err)
        return
    assert [_facts(extractor(article)) for article in dev_articles] == dev_facts


def test_extractor_titles_before_places_is_refused(rules_config):
    """The title ruler reads place mentions: before the place ruler it would read none."""
    config = rules_config.model_copy(deep=True)
    names = config.pipeline.components
    names.remove("titles")
    names.insert(0, "titles")
    with pytest.raises(ConfigError, match=r"'titles' requires doc\._\.places"):
        build_nlp(config)


def test_extractor_reader_before_a_producer_is_refused(rules_config):
    """The unit context needs every mention: a mention stage after it would be missed."""
    config = rules_config.model_copy(deep=True)
    names = config.pipeline.components
    names.remove("entities")
    names.insert(names.index("relations"), "entities")
    with pytest.raises(ConfigError, match=r"'units' requires doc\._\.mentions, which 'entities' assigns later"):
        build_nlp(config)


def test_extractor_broken_resource_stops_the_build_naming_the_component(rules_config, monkeypatch):
    """Components load their tables in initialize(): a damaged one fails before any document runs."""
    from pipeline.ner import titles

    def broken():
        raise ValueError("titles.toml: invalid value at line 3")

    monkeypatch.setattr(titles, "load_title_grammar", broken)
    with pytest.raises(ConfigError, match=r"'titles' could not load its resources: ValueError: titles\.toml"):
        build_nlp(rules_config)


def test_extractor_truncated_model_stops_the_build(config, tmp_path):
    """A damaged tagger model is found when the pipeline is built, not on every document."""
    import shutil

    from pipeline.ner.fusion import TAGGER_FACTORY

    model = tmp_path / "ner"
    shutil.copytree(config.components["entities"].settings["model"], model)
    weights = next(p for p in model.iterdir() if p.suffix == ".pt")
    weights.write_bytes(weights.read_bytes()[:1000])
    with pytest.raises(ConfigError, match="cannot be loaded"):
        build_nlp(config.with_settings(TAGGER_FACTORY, model=str(model)))


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
