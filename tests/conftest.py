"""Shared fixtures: the configured pipeline, built once per session."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.extractor import Extractor
from pipeline.text.ingest import clean_article

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def score_dev(outputs: Path, dev_set: str = "dev") -> dict:
    """The shared scorer's JSON summary of an output folder against the gold of ``dev_set`` (dev, dev2)."""
    summary = outputs.with_name(f"{outputs.name}-{dev_set}-score.json")
    subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), str(SHARED / "eval" / dev_set / "gold"),
                    str(outputs), "--json", str(summary)], check=True, capture_output=True)
    return json.loads(summary.read_text(encoding="utf-8"))


def _extract_eval_set(tmp_path_factory, name: str) -> Path:
    """``cadregraph extract`` over ``../shared/eval/NAME/docs`` with the project's configuration."""
    from typer.testing import CliRunner

    from pipeline.cli import app

    assert (SHARED / "eval" / "score.py").exists(), f"the shared eval set is expected at {SHARED}"
    out = tmp_path_factory.mktemp(name)
    result = CliRunner().invoke(app, ["extract", str(SHARED / "eval" / name / "docs"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"report:    {out / 'report.html'}" in result.output
    return out


@pytest.fixture(scope="session")
def dev_run(tmp_path_factory) -> Path:
    """The dev set extracted once per session (read-only: tests write elsewhere)."""
    return _extract_eval_set(tmp_path_factory, "dev")


@pytest.fixture(scope="session")
def dev2_run(tmp_path_factory) -> Path:
    """The dev2 set extracted once per session (read-only: tests write elsewhere)."""
    return _extract_eval_set(tmp_path_factory, "dev2")


@pytest.fixture(scope="session")
def config():
    return load_config(ROOT / "config.toml")


@pytest.fixture(scope="session")
def rules_config(config):
    """The project's configuration without the statistical tagger."""
    from pipeline.ner.fusion import TAGGER_FACTORY

    return config.with_settings(TAGGER_FACTORY, model="")


@pytest.fixture(scope="session")
def extractor(config):
    return Extractor(config)


@pytest.fixture(scope="session")
def rules_extractor(rules_config):
    """The pipeline without the statistical tagger: what rule tests run."""
    return Extractor(rules_config)


def _runner(extractor):
    def run(text: str, doc_id: str = "t"):
        return extractor(clean_article(text, doc_id))

    return run


@pytest.fixture(scope="session")
def extract(rules_extractor):
    """Run the rules (every stage, no tagger) on a text; returns the Document."""
    return _runner(rules_extractor)


@pytest.fixture(scope="session")
def full_extract(extractor):
    """Run the whole pipeline, tagger included, on a text; returns the Document."""
    return _runner(extractor)


def names(document, label: str) -> set[str]:
    return {e.text for e in document.entities if e.label == label}


def relations(document, label: str) -> set[tuple[str, str]]:
    by_id = {e.id: e.text for e in document.entities}
    return {(by_id[r.head], by_id[r.tail]) for r in document.relations if r.label == label}
