"""Throughput, start-up and memory of the extraction pipeline (a benchmark, not a test).

    .venv/bin/python bench/throughput.py [--rules-only] [--msra] [FILES_OR_FOLDERS ...]

Defaults to ../shared/eval/dev/docs and examples/. ``--msra`` adds the MSRA NER
test text cut into documents of about 2,000 characters; ``--rules-only``
drops the statistical tagger (the ``entities`` component) from the
configured pipeline. Documents run as a batch does, through
``Extractor.pipe``. Prints start-up time, characters and documents per
second on one core, and peak memory.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.batch.run import collect_inputs  # noqa: E402
from pipeline.config import load_config  # noqa: E402
from pipeline.extractor import Extractor  # noqa: E402
from pipeline.text.ingest import Article, clean_article, read_article  # noqa: E402
from pipeline.ner.fusion import TAGGER_FACTORY  # noqa: E402
from pipeline.schema import Document  # noqa: E402
from pipeline.train.corpora import read_bio  # noqa: E402



def msra_documents(size: int = 2000) -> list[Article]:
    """The MSRA test sentences joined into documents of about ``size`` characters."""
    docs, current = [], []
    for sentence in read_bio(ROOT.parent / "shared" / "data" / "msra" / "msra_test_bio.txt"):
        current.append(sentence.text)
        if sum(map(len, current)) >= size:
            docs.append(clean_article("\n".join(current), f"msra_{len(docs)}"))
            current = []
    if current:
        docs.append(clean_article("\n".join(current), f"msra_{len(docs)}"))
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", type=Path)
    parser.add_argument("--rules-only", action="store_true", help="drop the statistical tagger")
    parser.add_argument("--msra", action="store_true", help="add the MSRA test text")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    inputs = args.inputs or [ROOT.parent / "shared" / "eval" / "dev" / "docs", ROOT / "examples"]
    config = load_config()
    if args.rules_only:
        config = config.with_settings(TAGGER_FACTORY, model="")
    t0 = time.perf_counter()
    extractor = Extractor(config)
    articles = [read_article(p, config.ingest) for p in collect_inputs(inputs)]
    extractor(articles[0])  # the first document loads the gazetteer and the model
    startup = time.perf_counter() - t0
    if args.msra:
        articles += msra_documents()
    chars = sum(len(a.text) for a in articles)
    t1, cpu = time.perf_counter(), time.process_time()
    for _ in range(args.rounds):
        for result in extractor.pipe(articles):
            if not isinstance(result, Document):
                raise result
    elapsed = time.perf_counter() - t1
    cpu = time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"pipeline: {', '.join(config.pipeline.components)}")
    print(f"documents {len(articles)}  characters {chars}  rounds {args.rounds}")
    print(f"start-up (config, pipeline, gazetteer, model, first document): {startup:.2f} s")
    print(f"throughput: {chars * args.rounds / elapsed:,.0f} chars/s, "
          f"{len(articles) * args.rounds / elapsed:.1f} docs/s (CPU time: {chars * args.rounds / cpu:,.0f} chars/s)")
    print(f"peak memory: {peak:.0f} MB")


if __name__ == "__main__":
    main()
