"""The real CLI, end to end: dev-set quality, bad inputs, validation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT, SHARED, score_dev
from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()


def _extract_dev_set(tmp_path_factory, dev_set: str) -> Path:
    out = tmp_path_factory.mktemp(dev_set)
    result = runner.invoke(app, ["extract", str(SHARED / "eval" / dev_set / "docs"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def dev_run(tmp_path_factory):
    return _extract_dev_set(tmp_path_factory, "dev")


@pytest.mark.slow
def test_cli_dev_set_meets_quality_bars(dev_run):
    assert (SHARED / "eval" / "score.py").exists(), f"the shared eval set is expected at {SHARED}"
    summary = score_dev(dev_run)
    assert summary["missing_documents"] == []
    assert summary["entities"]["ALL"]["f1"] >= 0.80
    assert summary["relations"]["ALL"]["f1"] >= 0.94
    assert summary["place_code_accuracy"] >= 0.90
    for group, label, bar in (("entities", "ORG", 0.89), ("entities", "INITIATIVE", 0.98),
                              ("relations", "PROMOTES", 0.92)):
        assert summary[group][label]["f1"] >= bar, (label, summary[group][label])


@pytest.fixture(scope="module")
def dev2_run(tmp_path_factory):
    return _extract_dev_set(tmp_path_factory, "dev2")


@pytest.mark.slow
def test_cli_dev2_positions_meet_quality_bars(dev2_run):
    """24 articles the rules were not written on: every post of every official, with its unit."""
    summary = score_dev(dev2_run, "dev2")
    assert summary["missing_documents"] == []
    for label in ("SECRETARY_OF", "HOLDS_POSITION"):
        scores = summary["relations"][label]
        assert scores["r"] >= 0.85 and scores["p"] >= 0.90, (label, scores)
    assert summary["relations"]["ALL"]["f1"] >= 0.78
    assert summary["entities"]["ALL"]["f1"] >= 0.82


@pytest.mark.slow
def test_cli_dev2_organisations_initiatives_and_promoters_meet_quality_bars(dev2_run):
    summary = score_dev(dev2_run, "dev2")
    for group, label, bar in (("entities", "ORG", 0.85), ("entities", "INITIATIVE", 0.85),
                              ("relations", "PROMOTES", 0.75)):
        assert summary[group][label]["f1"] >= bar, (label, summary[group][label])


def test_cli_writes_every_artefact_and_validates(dev_run):
    for name in ("graph.graphml", "graph.json", "schema.json", "errors.jsonl"):
        assert (dev_run / name).exists(), name
    assert len(list((dev_run / "documents").glob("*.json"))) == 5
    assert (dev_run / "errors.jsonl").read_text(encoding="utf-8") == ""
    result = runner.invoke(app, ["validate", str(dev_run)])
    assert result.exit_code == 0 and "5 documents checked, 0 problems" in result.output


def test_cli_bad_inputs_fail_alone(tmp_path):
    docs = tmp_path / "in"
    docs.mkdir()
    (docs / "good.txt").write_text("平江县三市镇党委书记刘建平主持会议。", encoding="utf-8")
    (docs / "empty.txt").write_text("   \n", encoding="utf-8")
    (docs / "binary.txt").write_bytes(b"\x00\x01\x02PNG")
    (docs / "gbk.txt").write_bytes("县委书记主持会议".encode("gbk")[:-1])  # truncated inside a character
    out = tmp_path / "out"
    result = runner.invoke(app, ["extract", str(docs), "-o", str(out)])
    assert result.exit_code == 1
    assert "3 failed" in result.output
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {Path(e["path"]).name for e in errors} == {"binary.txt", "gbk.txt", "empty.txt"}
    assert all(e["stage"] == "ingest" and e["path"] in e["message"] for e in errors)
    assert any("no article text (the input is empty" in e["message"] for e in errors)
    written = {p.stem for p in (out / "documents").glob("*.json")}
    assert written == {"good"}
    assert not list(out.rglob("*.tmp"))


def test_cli_duplicate_ids_are_reported_not_overwritten(tmp_path):
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "same.txt").write_text(f"{sub}镇党委书记王明说。", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["extract", str(tmp_path / "a"), str(tmp_path / "b"), "-o", str(out)])
    assert result.exit_code == 1 and "already produced" in result.output


def test_cli_validate_flags_a_broken_file(dev_run, tmp_path):
    broken = tmp_path / "broken"
    (broken / "documents").mkdir(parents=True)
    doc = json.loads(next((dev_run / "documents").glob("*.json")).read_text(encoding="utf-8"))
    doc["entities"][0]["label"] = "ANIMAL"
    (broken / "documents" / "x.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(broken)])
    assert result.exit_code == 1 and "x.json" in result.output


def test_cli_unknown_factory_is_a_config_error(tmp_path):
    config = (ROOT / "config.toml").read_text(encoding="utf-8").replace("cadregraph_org_ruler_v1", "cadregraph_nope_v1")
    path = tmp_path / "config.toml"
    path.write_text(config, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path), "-o", str(tmp_path / "o"), "-c", str(path)])
    assert result.exit_code == 2 and "cadregraph_nope_v1" in result.output
