"""Throughput and start-up of the extraction pipeline (a benchmark, not a test).

    .venv/bin/python bench/throughput.py [FILES_OR_FOLDERS ...]

Defaults to ../shared/eval/dev/docs and examples/. Prints start-up time,
characters per second and documents per second on one core.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.batch import collect_inputs  # noqa: E402
from pipeline.config import load_config  # noqa: E402
from pipeline.extractor import Extractor  # noqa: E402
from pipeline.ingest import read_article  # noqa: E402


def main(args: list[str]) -> None:
    inputs = [Path(a) for a in args] or [ROOT.parent / "shared" / "eval" / "dev" / "docs", ROOT / "examples"]
    config = load_config()
    t0 = time.perf_counter()
    extractor = Extractor(config)
    articles = [read_article(p, config.ingest) for p in collect_inputs(inputs)]
    extractor(articles[0])  # first document loads the gazetteer
    startup = time.perf_counter() - t0
    chars = sum(len(a.text) for a in articles)
    rounds = 5
    t1 = time.perf_counter()
    for _ in range(rounds):
        for article in articles:
            extractor(article)
    elapsed = time.perf_counter() - t1
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"documents {len(articles)}  characters {chars}  rounds {rounds}")
    print(f"start-up (config, pipeline, gazetteer, first document): {startup:.2f} s")
    print(f"throughput: {chars * rounds / elapsed:,.0f} chars/s, {len(articles) * rounds / elapsed:.1f} docs/s")
    print(f"peak memory: {peak:.0f} MB")


if __name__ == "__main__":
    main(sys.argv[1:])
