"""Generate a batch-test corpus by recombining the project's example articles (a benchmark fixture, not a test).

    .venv/bin/python bench/make_corpus.py OUT [--docs 5000] [--broken 0.02] [--seed 7]

Good documents are new articles made of the examples' header lines and
paragraphs, shuffled and re-cut into sentences: .txt files in UTF-8 (with and
without BOM), GB18030, Big5 (traditional articles) and UTF-16; .html pages;
and records in .jsonl files. The broken share is split between binary files,
GBK files cut inside a character, empty files and one 20 MB single-line file.
Inputs go to ``OUT/inputs/``; ``OUT/expected.json`` lists which are good and which are broken.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RECORDS_PER_FILE = 50
BIG_LINE_BYTES = 20 * 1024 * 1024


def example_parts() -> tuple[list[list[str]], list[list[str]], list[str]]:
    """Header lines and paragraphs per example article, and every sentence of them."""
    headers, paragraphs, sentences = [], [], []
    for path in sorted((ROOT / "examples").glob("*.txt")):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        body = [line for line in lines if len(line) >= 40]
        headers.append([line for line in lines[:4] if len(line) < 40])
        paragraphs.append(body)
        sentences += [s for p in body for s in re.findall(r"[^。！？]+[。！？]”?", p)]
    return headers, paragraphs, sentences


def article(rng: random.Random, headers, paragraphs, sentences) -> tuple[str, bool]:
    """A new article: one example's header, some of its paragraphs, and a paragraph of mixed sentences."""
    source = rng.randrange(len(paragraphs))
    body = rng.sample(paragraphs[source], k=min(len(paragraphs[source]), rng.randint(2, 5)))
    traditional = "縣" in "".join(paragraphs[source])
    # A traditional article mixes in its own sentences only, so it stays encodable in Big5.
    pool = [s for p in paragraphs[source] for s in re.findall(r"[^。！？]+[。！？]”?", p)] if traditional else sentences
    body.append("".join(rng.sample(pool, k=rng.randint(2, 6))))
    rng.shuffle(body)
    return "\n".join(headers[source] + body) + "\n", traditional


def truncated_gbk(text: str) -> bytes:
    """GBK bytes cut inside the last two-byte character."""
    last = max(i for i, c in enumerate(text) if ord(c) > 0x7F)
    return text[:last + 1].encode("gbk", errors="replace")[:-1]


def page(text: str, number: int) -> str:
    title, *rest = text.splitlines()
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in rest)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title></head><body>'
            f'<div class="nav"><a href="/">首页</a> | <a href="/news">新闻中心</a></div><div class="article">'
            f"<h1>{html.escape(title)}</h1>{paragraphs}</div><div class=\"footer\">版权所有 示例网站 {number}</div>"
            "</body></html>")


def encode(text: str, traditional: bool, rng: random.Random) -> tuple[bytes, str]:
    roll = rng.random()
    if roll < 0.55:
        return text.encode("utf-8"), "utf-8"
    if roll < 0.65:
        return text.encode("utf-8-sig"), "utf-8-sig"
    if roll < 0.8:
        return text.encode("gb18030"), "gb18030"
    if roll < 0.9 and traditional:
        try:
            return text.encode("big5"), "big5"
        except UnicodeEncodeError:
            pass
    return text.encode("utf-16"), "utf-16"


def make_corpus(out: Path, docs: int, broken_share: float, seed: int) -> dict:
    """Write the corpus under ``out/inputs``; returns what it holds (good and broken inputs)."""
    rng = random.Random(seed)
    root, out = out, out / "inputs"
    headers, paragraphs, sentences = example_parts()
    broken = max(4, round(docs * broken_share))
    good = docs - broken
    expected: dict = {"good": [], "broken": {}, "encodings": {}}
    records: list[dict] = []
    for n in range(good):
        text, traditional = article(rng, headers, paragraphs, sentences)
        folder = out / f"part{n // 500:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        kind = rng.random()
        if kind < 0.1:
            records.append({"id": f"rec-{n:05d}", "text": text, "title": text.splitlines()[0],
                            "url": f"https://example.org/{n}"})
            expected["good"].append(f"rec-{n:05d}")
            continue
        if kind < 0.2:
            (folder / f"doc{n:05d}.html").write_text(page(text, n), encoding="utf-8")
        else:
            data, name = encode(text, traditional, rng)
            (folder / f"doc{n:05d}.txt").write_bytes(data)
            expected["encodings"][f"doc{n:05d}"] = name
        expected["good"].append(f"doc{n:05d}")
    for start in range(0, len(records), RECORDS_PER_FILE):
        chunk = records[start:start + RECORDS_PER_FILE]
        (out / f"records{start // RECORDS_PER_FILE:03d}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in chunk), encoding="utf-8")
    bad = out / "broken"
    bad.mkdir(parents=True, exist_ok=True)
    for n in range(broken - 1):
        kind = ("binary", "truncated", "empty")[n % 3]
        path = bad / f"{kind}{n:04d}.txt"
        if kind == "binary":
            path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(rng.randint(500, 5000)))
        elif kind == "truncated":
            path.write_bytes(truncated_gbk(article(rng, headers, paragraphs, sentences)[0]))
        else:
            path.write_bytes(b"")
        expected["broken"].setdefault(kind, []).append(path.stem)
    line = "".join(rng.sample(sentences, k=len(sentences))).encode("utf-8")
    with (bad / "huge_line.txt").open("wb") as handle:
        for _ in range(BIG_LINE_BYTES // len(line) + 1):
            handle.write(line)
    expected["broken"]["huge_line"] = ["huge_line"]
    (root / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1), encoding="utf-8")
    return expected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--broken", type=float, default=0.02, help="share of broken inputs")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    expected = make_corpus(args.out, args.docs, args.broken, args.seed)
    broken = sum(map(len, expected["broken"].values()))
    print(f"{len(expected['good'])} good and {broken} broken inputs -> {args.out}")


if __name__ == "__main__":
    main()
