"""Batch runs: fault isolation, resume, time budget, and equal outputs from every engine and worker count."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import ROOT
from handwritten import edited_copies, wire_story
from typer.testing import CliRunner

from pipeline.batch.run import ERRORS_FILE, RunOptions, run_extract
from pipeline.cli import app
from pipeline.batch.engines import ProcessEngine
from pipeline.export import GRAPH_EXPORTERS
from pipeline.extractor import Extractor
from pipeline.batch.manifest import MANIFEST_FILE, read_entries
from pipeline.batch.inputs import Inputs, Task

runner = CliRunner()
FAILURE_FIELDS = {"path", "record_id", "doc_id", "stage", "error", "message"}


class CountingExtractor:
    """Wraps an extractor: counts the documents it sees, optionally stops or stalls on some."""

    def __init__(self, inner: Extractor, stop_after: int | None = None, slow_marker: str | None = None):
        self.inner = inner
        self.seen: list[str] = []
        self.stop_after = stop_after
        self.slow_marker = slow_marker

    def __call__(self, article):
        if self.stop_after is not None and len(self.seen) >= self.stop_after:
            raise KeyboardInterrupt
        self.seen.append(article.doc_id)
        if self.slow_marker and self.slow_marker in article.text:
            time.sleep(3)
        return self.inner(article)


def make_corpus(folder: Path) -> Path:
    """Example articles in several encodings and formats, plus broken inputs."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.txt"))}
    names = list(texts)
    (folder / f"{names[0]}.txt").write_text(texts[names[0]], encoding="utf-8")
    (folder / f"{names[1]}.txt").write_bytes(texts[names[1]].encode("gb18030"))
    (folder / f"{names[2]}.txt").write_bytes(texts[names[2]].encode("utf-16"))
    (folder / "records.jsonl").write_text(
        json.dumps({"id": "rec/1", "text": texts[names[3]], "title": "记录一", "date": "2022-01-02"},
                   ensure_ascii=False) + "\n" + json.dumps({"text": texts[names[4]]}, ensure_ascii=False) + "\n"
        + "{broken\n", encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (folder / "truncated.txt").write_bytes(truncated_gbk(texts[names[1]]))
    return folder


def truncated_gbk(text: str) -> bytes:
    """GBK bytes of ``text`` cut inside its last two-byte character."""
    last = max(i for i, c in enumerate(text) if ord(c) > 0x7F)
    return text[:last + 1].encode("gbk")[:-1]


def files_of(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("corpus") / "in")


@pytest.fixture(scope="module")
def reference(tmp_path_factory, corpus, rules_config, rules_extractor) -> Path:
    """The corpus run by one pipeline in this process."""
    out = tmp_path_factory.mktemp("reference")
    run_extract([corpus], out, rules_config, extractor=rules_extractor)
    return out


def test_batch_broken_inputs_fail_alone(reference, corpus):
    errors = [json.loads(line) for line in (reference / ERRORS_FILE).read_text(encoding="utf-8").splitlines()]
    assert all(set(e) == FAILURE_FIELDS for e in errors)
    failed = {(Path(e["path"]).name, e["stage"]) for e in errors}
    assert failed == {("binary.txt", "ingest"), ("truncated.txt", "ingest"), ("records.jsonl", "ingest"),
                      ("empty.txt", "ingest")}
    assert any("empty.txt: no article text" in e["message"] for e in errors)
    assert any("records.jsonl:3" in e["message"] for e in errors)
    docs = {p.stem for p in (reference / "documents").glob("*.json")}
    assert len(docs) == 5 and "empty" not in docs
    encodings = {json.loads(p.read_text(encoding="utf-8"))["metadata"]["encoding"]
                 for p in (reference / "documents").glob("*.json")}
    assert {"gb18030", "utf-16", "utf-8"} <= encodings
    record = [json.loads(p.read_text(encoding="utf-8")) for p in (reference / "documents").glob("rec*.json")]
    assert [(d["metadata"]["record_id"], d["metadata"]["title"]) for d in record] == [("rec/1", "记录一")]


@pytest.mark.parametrize("max_chunk", [1, 2])
def test_batch_worker_processes_give_identical_outputs(reference, corpus, rules_config, tmp_path, monkeypatch,
                                                       max_chunk):
    monkeypatch.setattr("pipeline.batch.registry.MAX_CHUNK", max_chunk)  # tasks sent one or two at a time
    out = tmp_path / "out"
    run_extract([corpus], out, rules_config, options=RunOptions(workers=2))
    assert files_of(out) == files_of(reference)


def test_batch_dask_cluster_gives_identical_outputs(reference, corpus, rules_config, tmp_path):
    distributed = pytest.importorskip("distributed")
    # Worker processes (not threads), so each worker builds its own pipeline as on a real cluster.
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        out = tmp_path / "out"
        run_extract([corpus], out, rules_config,
                    options=RunOptions(engine="dask", scheduler=cluster.scheduler_address))
    assert files_of(out) == files_of(reference)


def test_batch_interrupted_run_resumes_without_redoing(reference, corpus, rules_config, rules_extractor, tmp_path):
    out = tmp_path / "out"
    first = CountingExtractor(rules_extractor, stop_after=3)
    with pytest.raises(KeyboardInterrupt):
        run_extract([corpus], out, rules_config, extractor=first)
    done = {e.doc_id for e in read_entries(out / MANIFEST_FILE).values() if e.failure is None}
    assert done == set(first.seen) and len(done) == 3
    second = CountingExtractor(rules_extractor)
    summary = run_extract([corpus], out, rules_config, extractor=second)
    assert not set(second.seen) & done
    assert len(second.seen) + len(done) == summary.documents == 5
    assert summary.resumed == 3
    assert files_of(out) == files_of(reference)


def test_batch_resume_redoes_changed_inputs_only(corpus, rules_config, rules_extractor, tmp_path):
    inputs = tmp_path / "in"
    shutil.copytree(corpus, inputs)
    out = tmp_path / "out"
    run_extract([inputs], out, rules_config, extractor=rules_extractor)
    changed = next(inputs.glob("01_*.txt"))
    changed.write_text(changed.read_text(encoding="utf-8") + "\n青龙街道党工委书记陈洪勇出席。", encoding="utf-8")
    (inputs / "new.txt").write_text("平江县三市镇党委书记刘建平主持会议。", encoding="utf-8")
    again = CountingExtractor(rules_extractor)
    run_extract([inputs], out, rules_config, extractor=again)
    assert sorted(again.seen) == sorted([changed.stem, "new"])
    forced = CountingExtractor(rules_extractor)
    run_extract([inputs], out, rules_config, extractor=forced, options=RunOptions(resume=False))
    assert len(forced.seen) == 6


def test_batch_time_budget_fails_the_slow_document(rules_config, rules_extractor, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "slow.txt").write_text("SLOW 平江县三市镇党委书记刘建平主持会议。", encoding="utf-8")
    (tmp_path / "in" / "fast.txt").write_text("平江县三市镇党委书记刘建平主持会议。", encoding="utf-8")
    config = rules_config.model_copy(update={"batch": rules_config.batch.model_copy(update={"doc_timeout": 0.5})})
    started = time.perf_counter()
    summary = run_extract([tmp_path / "in"], tmp_path / "out", config,
                          extractor=CountingExtractor(rules_extractor, slow_marker="SLOW"))
    assert time.perf_counter() - started < 2.5
    assert [(f.doc_id, f.error) for f in summary.failures] == [("slow", "DocumentTimeout")]
    assert summary.documents == 1


@pytest.mark.parametrize("chunk", [1, 3])
def test_batch_dead_worker_loses_at_most_its_document(corpus, rules_config, chunk):
    tasks = [t for t in Inputs([corpus], rules_config.ingest) if isinstance(t, Task)]
    results = []
    with ProcessEngine(rules_config, 2, chunk=chunk) as engine:
        for n, result in enumerate(engine.run(tasks)):
            results.append(result)
            if n == 0:
                victim = next(iter(engine.workers.values())).process
                os.kill(victim.pid, 9)
        assert victim.pid not in {w.process.pid for w in engine.workers.values()}, "the dead worker is replaced"
    assert sorted(r.task.key for r in results) == sorted(t.key for t in tasks)
    # A lone document the worker died on is recorded as failed; any other it held is retried on a new worker.
    crashed = [r for r in results if r.failure is not None and r.failure.stage == "worker"]
    assert len(crashed) <= 1


def test_batch_cli_exit_codes_and_stdin(tmp_path, rules_config):
    config_file = tmp_path / "rules.toml"
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    config_file.write_text(text.replace('model = "models/ner"', 'model = ""'), encoding="utf-8")
    good = json.dumps({"id": "s1", "text": "平江县三市镇党委书记刘建平主持会议。"}, ensure_ascii=False) + "\n"
    result = runner.invoke(app, ["extract", "-", "-o", str(tmp_path / "a"), "-c", str(config_file), "-q", "-j", "1"],
                           input=good.encode("utf-8"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "a" / "documents" / "s1.json").exists()
    bad = good + '{"id": "s2"}\n'
    result = runner.invoke(app, ["extract", "-", "-o", str(tmp_path / "b"), "-c", str(config_file), "-q", "-j", "1",
                                 "--text-field", "text"], input=bad.encode("utf-8"))
    assert result.exit_code == 1
    assert "no string field 'text'" in result.output
    result = runner.invoke(app, ["extract", "-", "-o", str(tmp_path / "c"), "--engine", "spark"], input=b"")
    assert result.exit_code == 2


def test_batch_cli_reports_an_output_it_cannot_write(tmp_path, monkeypatch):
    def full_disk(graph, out_dir):
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(GRAPH_EXPORTERS, "graphml", full_disk)
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "s1", "text": "平江县三市镇党委书记刘建平主持会议。"}, ensure_ascii=False),
                      encoding="utf-8")
    result = runner.invoke(app, ["extract", str(source), "-o", str(tmp_path / "out"), "-q", "-j", "1"])
    assert result.exit_code == 3
    assert "output error" in result.output and "No space left on device" in result.output
    assert read_entries(tmp_path / "out" / MANIFEST_FILE)  # what was finished is kept for a rerun


def test_batch_rerun_removes_temporary_files_of_a_killed_run(corpus, rules_config, rules_extractor, tmp_path):
    out = tmp_path / "out"
    run_extract([corpus], out, rules_config, extractor=rules_extractor)
    torn = [out / "documents" / ".01_township_interview.json.x1y2z3.tmp", out / ".graph.json.a1b2c3.tmp"]
    for path in torn:
        path.write_text('{"doc_id": "01_tow', encoding="utf-8")
    run_extract([corpus], out, rules_config, extractor=rules_extractor)
    assert not any(path.exists() for path in torn)
    assert not list(out.rglob("*.tmp"))


def test_batch_streamed_graph_equals_a_merge_of_the_documents(reference, tmp_path):
    from pipeline.export import write_node_link
    from pipeline.corpus.merge import merge_documents

    merged = merge_documents([reference])
    assert merged.problems == []
    write_node_link(merged.graph.corpus(), tmp_path)
    assert (tmp_path / "graph.json").read_bytes() == (reference / "graph.json").read_bytes()


def test_pipeline_version_follows_the_data_tables(tmp_path, monkeypatch, config):
    """A changed word list or grammar table redoes documents on resume, as changed code does."""
    import shutil

    from pipeline.batch import manifest

    package = tmp_path / "pipeline"
    shutil.copytree(manifest._PACKAGE / "resources", package / "resources")
    (package / "stage.py").write_text("x = 1\n", encoding="utf-8")
    monkeypatch.setattr(manifest, "_PACKAGE", package)
    before = manifest.pipeline_version(config)
    table = package / "resources" / "titles.toml"
    table.write_text(table.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert manifest.pipeline_version(config) != before


def test_batch_duplicate_articles_count_once_in_edge_weights(rules_config, rules_extractor, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    wire = wire_story()
    copies = [wire, wire, wire, wire, *edited_copies(wire)]
    for n, text in enumerate(copies):
        (folder / f"wire_{n}.txt").write_text(text, encoding="utf-8")
    (folder / "zhang.txt").write_text("庞湾村蜜桃喜获丰收\n2022-07-10 09:00 来源：天水日报\n"
                                      "秦安县莲花镇庞湾村党支部书记王志刚介绍，今年全村蜜桃喜获丰收。\n",
                                      encoding="utf-8")
    out = tmp_path / "out"
    summary = run_extract([folder], out, rules_config, extractor=rules_extractor)
    assert summary.documents == 8 and summary.duplicates == 7
    groups = {p.stem: json.loads(p.read_text(encoding="utf-8"))["duplicate_group"]
              for p in (out / "documents").glob("*.json")}
    assert groups == {**{f"wire_{n}": "wire_0" for n in range(7)}, "zhang": None}
    assert {e.doc_id: e.duplicate_group for e in read_entries(out / MANIFEST_FILE).values()} == groups
    graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    names = {n["id"]: n["label"] for n in graph["nodes"]}
    edges = {(names[e["source"]], e["key"], names[e["target"]]): e for e in graph["edges"]}
    shared = edges[("王志刚", "SECRETARY_OF", "庞湾村")]
    assert len(shared["doc_ids"]) == 8 and shared["weight"] == 2
    wire_only = [e for e in graph["edges"] if "zhang" not in e["doc_ids"]]
    assert wire_only and all(e["weight"] == 1 for e in wire_only)
    assert max(len(e["doc_ids"]) for e in wire_only) == 7


def sleeps_on_marker(doc):
    """A component that stalls on documents holding SLOW."""
    if "SLOW" in doc.text:
        time.sleep(3)
    return doc


def fails_on_marker(doc):
    """A component that fails on documents holding BREAKS."""
    if "BREAKS" in doc.text:
        raise ValueError("marked document")
    return doc


@pytest.fixture(scope="module")
def stalling_extractor(rules_config):
    """The rules pipeline with components that stall ('staller') or fail ('breaker') on marked documents."""
    from spacy.language import Language

    for name, func in (("cadregraph_test_sleeps", sleeps_on_marker), ("cadregraph_test_breaks", fails_on_marker)):
        if not Language.has_factory(name):
            Language.component(name, func=func)
    extractor = Extractor(rules_config)
    extractor.nlp.add_pipe("cadregraph_test_sleeps", name="staller", after="titles")
    extractor.nlp.add_pipe("cadregraph_test_breaks", name="breaker", after="staller")
    return extractor


def test_batch_stage_failure_in_a_shared_batch_fails_its_document_alone(rules_config, stalling_extractor, tmp_path,
                                                                        reference):
    inputs = tmp_path / "in"
    shutil.copytree(ROOT / "examples", inputs)
    (inputs / "broken.txt").write_text("BREAKS 平江县三市镇党委书记刘建平主持会议。", encoding="utf-8")
    summary = run_extract([inputs], tmp_path / "out", rules_config, extractor=stalling_extractor)
    assert [(f.doc_id, f.stage, f.error) for f in summary.failures] == [("broken", "breaker", "ValueError")]
    assert summary.documents == 5
    for name in ("01_township_interview", "02_county_roundup"):  # as one by one in the reference run
        ours, theirs = (json.loads((out / "documents" / f"{name}.json").read_text(encoding="utf-8"))
                        for out in (tmp_path / "out", reference))
        assert [ours[k] for k in ("text", "entities", "relations")] == [theirs[k] for k in ("text", "entities",
                                                                                            "relations")]


def test_batch_time_budget_fails_the_slow_document_of_a_shared_batch(rules_config, stalling_extractor, tmp_path):
    (tmp_path / "in").mkdir()
    for name in ("a", "b", "c"):
        (tmp_path / "in" / f"{name}.txt").write_text("平江县三市镇党委书记刘建平主持会议。", encoding="utf-8")
    (tmp_path / "in" / "slow.txt").write_text("SLOW 平江县三市镇党委书记刘建平主持会议。", encoding="utf-8")
    config = rules_config.model_copy(update={"batch": rules_config.batch.model_copy(update={"doc_timeout": 0.5})})
    started = time.perf_counter()
    summary = run_extract([tmp_path / "in"], tmp_path / "out", config, extractor=stalling_extractor)
    assert time.perf_counter() - started < 3.5
    assert [(f.doc_id, f.stage, f.error) for f in summary.failures] == [("slow", "staller", "DocumentTimeout")]
    assert summary.documents == 3
