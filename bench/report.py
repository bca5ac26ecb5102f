"""Report benchmark: time and size of ``cadregraph report`` on a large output folder (a benchmark, not a test).

    .venv/bin/python bench/make_corpus.py /tmp/corpus --docs 5000
    .venv/bin/cadregraph extract /tmp/corpus/inputs -o /tmp/corpus-out -q
    .venv/bin/python bench/report.py /tmp/corpus-out [--repeat 3]

Each repeat runs the CLI as a subprocess (start-up included) and notes its
wall time, its CPU time and the page's size; the bars are under 10 s and
under 20 MB for 5,000 documents. The machine's load is printed too, since
other work on it stretches the wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLI = str(Path(sys.executable).parent / "cadregraph")
BARS = {"seconds": 10.0, "mb": 20.0}


def run_once(out: Path, target: Path) -> dict:
    """One ``cadregraph report`` run: wall and CPU seconds, bytes written."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([CLI, "report", str(out), "-o", str(target)], check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return {"seconds": round(wall, 2), "cpu_seconds": round(cpu, 2), "mb": round(target.stat().st_size / 1e6, 2)}


def page_contents(target: Path) -> dict:
    """What the page holds: documents, those with their text, nodes, officials, places."""
    page = target.read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script id="cg-data" type="application/json">(.*?)</script>', page, re.S)[1])
    return {"documents": len(data["documents"]),
            "documents_with_text": sum(d["text"] is not None for d in data["documents"]),
            "nodes_in_page": len(data["nodes"]), "nodes_in_graph": sum(data["summary"]["nodes"].values()),
            "officials": len(data["officials"]), "places": len(data["places"])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="an output folder of 'cadregraph extract'")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "report.html"
        runs = [run_once(args.out, target) for _ in range(args.repeat)]
        result = {"load_average": [round(x, 2) for x in os.getloadavg()], "cores": len(os.sched_getaffinity(0)),
                  "runs": runs, **page_contents(target)}
    best = min(runs, key=lambda r: r["seconds"])
    result["within_bars"] = best["seconds"] < BARS["seconds"] and best["mb"] < BARS["mb"]
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
