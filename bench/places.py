"""Cost of place resolution: gazetteer start-up and throughput with and without the resolver.

    .venv/bin/python bench/places.py [FILES_OR_FOLDERS ...]

Defaults to ../shared/eval/dev/docs and examples/. Start-up figures come from
fresh interpreters (median of three); throughput alternates the pipeline of
config.toml with the same pipeline less its ``resolver`` component, round by
round, and keeps each one's best round, so a busy machine hurts both alike.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.batch.run import collect_inputs  # noqa: E402
from pipeline.config import Config, load_config  # noqa: E402
from pipeline.doc import mentions, text_of  # noqa: E402
from pipeline.gazetteer import load_gazetteer  # noqa: E402
from pipeline.extractor import Extractor, build_nlp  # noqa: E402
from pipeline.text.ingest import read_article  # noqa: E402
from pipeline.text.normalize import Normalizer  # noqa: E402
from pipeline.resolve.places import resolve_surfaces  # noqa: E402

# Run in a fresh interpreter: pipeline imports first (not counted), then the gazetteer and its index.
_COLD_LOAD = """
import resource, time
from pipeline.extractor import Extractor
from pipeline.gazetteer import load_gazetteer
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
gazetteer = load_gazetteer()
gazetteer.scan("安宁市青龙街道")
print(time.perf_counter() - t0, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss) / 1024)
"""


def cold_gazetteer_cost(runs: int = 3) -> tuple[float, float]:
    """Median seconds and MB to load the division list and build its index, in fresh interpreters."""
    times, memory = [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", _COLD_LOAD], cwd=ROOT, capture_output=True, text=True, check=True)
        seconds, mb = out.stdout.strip().splitlines()[-1].split()
        times.append(float(seconds))
        memory.append(float(mb))
    return statistics.median(times), statistics.median(memory)


def without(config: Config, component: str) -> Config:
    """The same configuration less one component."""
    names = [n for n in config.pipeline.components if n != component]
    return config.model_copy(update={"pipeline": config.pipeline.model_copy(update={"components": names})})


def one_round(nlp, texts: list[str]) -> float:
    """Seconds for one pass of the spaCy components over the texts."""
    t0 = time.perf_counter()
    for text in texts:
        doc = nlp.make_doc(text)
        for _, component in nlp.pipeline:
            doc = component(doc)
    return time.perf_counter() - t0


def main(args: list[str]) -> None:
    inputs = [Path(a) for a in args] or [ROOT.parent / "shared" / "eval" / "dev" / "docs", ROOT / "examples"]
    config = load_config()
    articles = [read_article(p, config.ingest) for p in collect_inputs(inputs)]
    normalizer = Normalizer(config.normalize)
    texts = [normalizer(a.text) for a in articles]
    chars = sum(len(t) for t in texts)

    gazetteer_s, gazetteer_mb = cold_gazetteer_cost()
    t0 = time.perf_counter()
    extractor = Extractor(config)
    build_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    extractor(articles[0])
    first_s = time.perf_counter() - t1

    with_resolver, without_resolver = build_nlp(config), build_nlp(without(config, "resolver"))
    one_round(with_resolver, texts)  # warm both (the gazetteer is shared through its cache)
    one_round(without_resolver, texts)
    a = b = float("inf")
    for _ in range(9):
        a = min(a, one_round(with_resolver, texts))
        b = min(b, one_round(without_resolver, texts))
    docs = [with_resolver(t) for t in texts]
    places = [(mentions(d, "PLACE"), text_of(d)) for d in docs]
    gazetteer = load_gazetteer()
    c = float("inf")
    for _ in range(9):
        t3 = time.perf_counter()
        for spans, text in places:
            resolve_surfaces(gazetteer, spans, text)
        c = min(c, time.perf_counter() - t3)
    t2 = time.perf_counter()
    for _ in range(3):
        for article in articles:
            extractor(article)
    full = (time.perf_counter() - t2) / 3

    print(f"documents {len(articles)}  characters {chars}")
    print(f"start-up: pipeline build {build_s:.2f} s (gazetteer not loaded), first document {first_s:.2f} s")
    print(f"gazetteer load + index, cold, median of 3: {gazetteer_s:.2f} s, +{gazetteer_mb:.0f} MB peak (bar: < 0.5 s)")
    print(f"components with resolver:    {chars / a:,.0f} chars/s")
    print(f"components without resolver: {chars / b:,.0f} chars/s")
    print(f"resolver cost: {(a - b) / b:+.1%} of component time, {(a - b) / full:.1%} of full extraction "
          f"({chars / full:,.0f} chars/s with normalize and emit) (bar: < 10%)")
    print(f"of which choosing place codes (resolve_surfaces): {c / b:.1%} of component time, "
          f"{c / full:.1%} of full extraction")


if __name__ == "__main__":
    main(sys.argv[1:])
