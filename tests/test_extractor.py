"""The pipeline's declared stage contracts: a component placed before what it reads fails at build."""

from __future__ import annotations

import pytest

from pipeline.config import ConfigError
from pipeline.extractor import Extractor, build_nlp
from pipeline.text.ingest import read_article

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
    with pytest.raises(ConfigError, match="'titles' could not load its resources: ValueError: titles.toml"):
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
