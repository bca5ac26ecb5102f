"""The shipped models against their quality bars: MSRA test, and the dev set with and without the tagger."""

from __future__ import annotations

import pytest
from conftest import ROOT, SHARED, score_dev
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.ner.fusion import TAGGER_FACTORY
from pipeline.train.ner import evaluate_file

runner = CliRunner()
NER_MODEL = ROOT / "models" / "ner"


def dev_scores(tmp_path, config_file) -> dict:
    out = tmp_path / config_file.stem
    result = runner.invoke(app, ["extract", str(SHARED / "eval" / "dev" / "docs"), "-o", str(out),
                                 "-c", str(config_file), "-q", "-j", "1"])
    assert result.exit_code == 0, result.output
    return score_dev(out)


def test_the_default_pipeline_runs_the_shipped_tagger(config):
    factories = [config.components[name].factory for name in config.pipeline.components]
    assert TAGGER_FACTORY in factories
    assert (NER_MODEL / "config.json").exists() and (NER_MODEL / "MODEL_CARD.md").exists()


@pytest.mark.slow
def test_shipped_tagger_meets_its_msra_test_bar():
    scores = evaluate_file(SHARED / "data" / "msra" / "msra_test_bio.txt", NER_MODEL)
    assert scores["micro"].f1 >= 0.90


@pytest.mark.slow
def test_tagger_beats_the_rules_alone_on_the_dev_set(tmp_path):
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    rules_file = tmp_path / "rules.toml"
    rules_file.write_text(text.replace('model = "models/ner"', 'model = ""'), encoding="utf-8")
    assert rules_file.read_text(encoding="utf-8") != text, "the default pipeline lists 'entities'"
    with_model, rules = dev_scores(tmp_path, ROOT / "config.toml"), dev_scores(tmp_path, rules_file)
    assert with_model["entities"]["ALL"]["f1"] > rules["entities"]["ALL"]["f1"]
    assert with_model["relations"]["ALL"]["f1"] > rules["relations"]["ALL"]["f1"]
    assert with_model["entities"]["PERSON"]["r"] >= 0.95
    assert with_model["entities"]["ALL"]["f1"] >= 0.93 and with_model["relations"]["ALL"]["f1"] >= 0.92
