"""The real CLI, end to end: dev-set quality, bad inputs, validation."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, SHARED, score_dev
from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()


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
    (tmp_path / "a.txt").write_text("平江县三市镇党委书记刘建平主持会议。", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path), "-o", str(tmp_path / "o"), "-c", str(path)])
    assert result.exit_code == 2 and "cadregraph_nope_v1" in result.output


# --- usage errors: one line naming the problem and the fix, never a traceback ---------------------

ARTICLE_A = "平江县委书记李明主持会议。\n岳阳市平江县三市镇党委书记刘建平讲话。\n"
ARTICLE_B = "岳阳市华容县委书记汤粤赣出席活动。\n"


@pytest.fixture(scope="module")
def rules_toml(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("config") / "rules.toml"
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    path.write_text(text.replace('model = "models/ner"', 'model = ""'), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def small_run(tmp_path_factory, rules_toml) -> Path:
    folder = tmp_path_factory.mktemp("small")
    (folder / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    out = folder / "out"
    result = runner.invoke(app, ["extract", str(folder / "a.txt"), "-o", str(out), "-c", str(rules_toml), "-q"])
    assert result.exit_code == 0, result.output
    return out


def _one_clean_line(result, code: int, *words: str) -> None:
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert all(word in lines[0] for word in words), lines[0]


def test_cli_export_merge_and_kb_load_to_a_file_are_usage_errors(small_run, tmp_path):
    file = tmp_path / "taken.txt"
    file.write_text("x", encoding="utf-8")
    for args in (["export", "gexf", str(small_run), "-o", str(file)], ["merge", str(small_run), "-o", str(file)],
                 ["kb", "load", str(small_run), "--store", str(file)]):
        _one_clean_line(runner.invoke(app, args), 2, str(file), "is a file", "give a folder")
    assert file.read_text(encoding="utf-8") == "x"


def test_cli_extract_to_a_file_is_a_usage_error_not_a_resume(tmp_path, rules_toml):
    file = tmp_path / "taken.txt"
    file.write_text("x", encoding="utf-8")
    (tmp_path / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path / "a.txt"), "-o", str(file), "-c", str(rules_toml)])
    _one_clean_line(result, 2, str(file), "is a file")
    assert "resume" not in result.output


def test_cli_kb_query_errors_in_one_line(small_run, tmp_path):
    store = tmp_path / "kb"
    assert runner.invoke(app, ["kb", "load", str(small_run), "--store", str(store)]).exit_code == 0
    missing = tmp_path / "missing.rq"
    _one_clean_line(runner.invoke(app, ["kb", "query", f"@{missing}", "--store", str(store)]), 2,
                    str(missing), "No such file")
    result = runner.invoke(app, ["kb", "query", "SELECT ?x WHERE { ?x foo:bar ?y }", "--store", str(store)])
    _one_clean_line(result, 2, "invalid SPARQL", "prefix not declared", "PREFIX")
    assert len(result.stderr) < 200


def test_cli_merge_of_a_folder_that_is_not_extract_output_says_so_once(small_run, tmp_path):
    merged = tmp_path / "merged"
    assert runner.invoke(app, ["merge", str(small_run), "-o", str(merged)]).exit_code == 0
    result = runner.invoke(app, ["merge", str(merged), "-o", str(tmp_path / "again")])
    _one_clean_line(result, 1, str(merged), "not an output folder of 'cadregraph extract'")
    assert not (tmp_path / "again").exists()


def test_cli_extract_of_a_missing_input_changes_nothing(small_run, tmp_path, rules_toml):
    before = {p: p.read_bytes() for p in sorted(small_run.rglob("*")) if p.is_file()}
    for spec in (str(tmp_path / "exampels"), str(tmp_path / "*.txt")):
        result = runner.invoke(app, ["extract", spec, "-o", str(small_run), "-c", str(rules_toml)])
        _one_clean_line(result, 2, spec)
    assert {p: p.read_bytes() for p in sorted(small_run.rglob("*")) if p.is_file()} == before


def test_cli_second_extract_into_a_folder_keeps_the_first_in_the_graph(small_run, tmp_path, rules_toml):
    out = tmp_path / "out"
    shutil.copytree(small_run, out)
    (tmp_path / "b.txt").write_text(ARTICLE_B, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path / "b.txt"), "-o", str(out), "-c", str(rules_toml)])
    assert result.exit_code == 0, result.output
    assert "also 1 documents of earlier runs" in result.output
    names = {d["label"] for d in json.loads((out / "graph.json").read_text(encoding="utf-8"))["nodes"]}
    assert {"刘建平", "汤粤赣"} <= names
    graphml = (out / "graph.graphml").read_text(encoding="utf-8")
    assert "刘建平" in graphml and "汤粤赣" in graphml


def test_cli_models_folder_without_the_model_is_a_config_error(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path / "a.txt"), "-o", str(tmp_path / "out"),
                                 "--models", str(tmp_path / "nowhere")])
    _one_clean_line(result, 2, "model", str(tmp_path / "nowhere"), "--models")
    assert not (tmp_path / "out").exists()
