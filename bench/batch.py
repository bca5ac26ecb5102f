"""Batch benchmark on a corpus from bench/make_corpus.py: completeness, memory, kill-and-resume, speed-up.

    .venv/bin/python bench/make_corpus.py /tmp/corpus
    .venv/bin/python bench/batch.py /tmp/corpus [--work /tmp/batch-bench] [--workers 2] [--skip kill,speedup]

Phases (each runs ``cadregraph extract`` as a subprocess):

- ``full``: the whole corpus with ``--workers``; wall time, documents/s and the
  peak memory of the process tree (sampled every 0.1 s: the sum over the main
  process and its workers, and the largest single process); every good input
  must be a document and every broken one a line of errors.jsonl.
- ``kill``: the same run killed with SIGKILL at a random point, then rerun
  (resuming by default); the outputs must equal the full run's byte for byte,
  and no document finished before the kill may be written again.
- ``speedup``: 1 worker, then 2 workers, on the same corpus from scratch.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

CLI = str(Path(sys.executable).parent / "cadregraph")


def run(inputs: Path, out: Path, workers: int, config: Path | None, extra: list[str] = (),
        kill_after: float | None = None) -> dict:
    """Run the CLI, sampling the memory of its process tree; kill it with SIGKILL after ``kill_after`` s."""
    command = [CLI, "extract", str(inputs), "-o", str(out), "-j", str(workers), *extra]
    if config:
        command += ["-c", str(config)]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    root = psutil.Process(process.pid)
    peak_total = peak_single = orphans_left = 0
    children: list[psutil.Process] = []
    while process.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
            children = tree[1:] or children
            sizes = [p.memory_info().rss for p in tree]
        except psutil.Error:
            sizes = []
        peak_total, peak_single = max(peak_total, sum(sizes)), max([peak_single, *sizes])
        if kill_after is not None and time.perf_counter() - started >= kill_after:
            process.send_signal(signal.SIGKILL)
            process.wait()
            # The orphaned workers are expected to notice and exit by themselves.
            _, alive = psutil.wait_procs(children, timeout=30)
            orphans_left = len(alive)
            for child in alive:
                child.kill()
            break
        time.sleep(0.1)
    output = process.stdout.read() if process.stdout else ""
    return {"seconds": time.perf_counter() - started, "exit": process.returncode, "peak_tree_mb": peak_total / 2**20,
            "peak_process_mb": peak_single / 2**20, "output": output, "orphans_left": orphans_left}


# Files that say when and how long a run took, so differ between runs with the same results.
RUN_FILES = ("run.json", "report.html")


def outputs(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and str(p.relative_to(out)) not in RUN_FILES}


def check_complete(corpus: Path, out: Path) -> dict:
    """Good inputs that are documents, broken ones in errors.jsonl, and anything missing or unexpected."""
    expected = json.loads((corpus / "expected.json").read_text(encoding="utf-8"))
    documents = {p.stem for p in (out / "documents").glob("*.json")}
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    failed = {e["doc_id"] or Path(e["path"]).stem for e in errors}
    broken = {name for names in expected["broken"].values() for name in names}
    good = set(expected["good"])
    wrong_encoding = []
    for doc_id, encoding in expected["encodings"].items():
        path = out / "documents" / f"{doc_id}.json"
        found = json.loads(path.read_text(encoding="utf-8"))["metadata"]["encoding"] if path.exists() else None
        if found != encoding:
            wrong_encoding.append(f"{doc_id}: {encoding} read as {found}")
    return {"good": len(good), "encodings_checked": len(expected["encodings"]),
            "encodings_wrong": len(wrong_encoding), "encodings_wrong_examples": wrong_encoding[:5],
            "documents": len(documents), "good_missing": sorted(good - documents)[:10],
            "broken": len(broken), "errors": len(errors), "broken_not_in_errors": sorted(broken - failed)[:10],
            "unexpected_errors": sorted(failed - broken)[:10]}


def phase_full(corpus: Path, work: Path, workers: int, config: Path | None) -> dict:
    out = work / "full"
    shutil.rmtree(out, ignore_errors=True)
    result = run(corpus / "inputs", out, workers, config)
    result.update(check_complete(corpus, out))
    result["docs_per_second"] = result["documents"] / result["seconds"]
    return result


def phase_kill(corpus: Path, work: Path, workers: int, config: Path | None, full_seconds: float, seed: int) -> dict:
    out = work / "resume"
    shutil.rmtree(out, ignore_errors=True)
    kill_after = random.Random(seed).uniform(0.3, 0.9) * full_seconds
    killed = run(corpus / "inputs", out, workers, config, kill_after=kill_after)
    manifest = [json.loads(line) for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
                if line.strip().endswith("}")]
    done = {m["doc_id"] for m in manifest if m["failure"] is None}
    before = {p.stem: p.stat().st_mtime_ns for p in (out / "documents").glob("*.json")}
    resumed = run(corpus / "inputs", out, workers, config)
    after = {p.stem: p.stat().st_mtime_ns for p in (out / "documents").glob("*.json")}
    rewritten = sorted(d for d in done if before.get(d) != after.get(d))
    full, again = outputs(work / "full"), outputs(out)
    differing = sorted(name for name in full.keys() | again.keys() if full.get(name) != again.get(name))
    return {"killed_after_s": round(kill_after, 1), "killed_exit": killed["exit"],
            "workers_still_running_30s_after_kill": killed["orphans_left"], "done_at_kill": len(done),
            "finished_inputs_at_kill": len(manifest), "resume_output": resumed["output"].strip().splitlines()[:1],
            "done_rewritten_on_resume": rewritten[:10], "files_differing_from_full_run": differing[:10],
            "resume_seconds": resumed["seconds"]}


def phase_speedup(corpus: Path, work: Path, config: Path | None) -> dict:
    times = {}
    for workers in (1, 2):
        out = work / f"speed{workers}"
        shutil.rmtree(out, ignore_errors=True)
        times[workers] = run(corpus / "inputs", out, workers, config)["seconds"]
    return {"seconds_1_worker": times[1], "seconds_2_workers": times[2], "speedup": times[1] / times[2]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a folder made by bench/make_corpus.py")
    parser.add_argument("--work", type=Path, default=Path("/tmp/batch-bench"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--config", type=Path, default=None)
    parser.add_argument("--skip", default="", help="comma-separated phases to skip: kill, speedup")
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    args.work.mkdir(parents=True, exist_ok=True)
    report = {"cores": len(os.sched_getaffinity(0)), "workers": args.workers, "seed": args.seed}
    report["full"] = phase_full(args.corpus, args.work, args.workers, args.config)
    report["full"].pop("output")
    print(json.dumps(report, indent=1), flush=True)
    if "kill" not in skip:
        report["kill"] = phase_kill(args.corpus, args.work, args.workers, args.config, report["full"]["seconds"],
                                    args.seed)
        print(json.dumps(report["kill"], indent=1, ensure_ascii=False), flush=True)
    if "speedup" not in skip:
        report["speedup"] = phase_speedup(args.corpus, args.work, args.config)
        print(json.dumps(report["speedup"], indent=1), flush=True)
    (args.work / "report.json").write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
