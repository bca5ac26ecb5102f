"""Compare the documents of two ``cadregraph extract`` runs, ignoring confidences (a check, not a test).

    .venv/bin/python bench/compare_outputs.py OUT_A OUT_B

Reads ``OUT_A/documents/*.json`` and ``OUT_B/documents/*.json`` and reports every
document that is missing on one side or whose text, metadata, entities,
relations, evidence or warnings differ; ``confidence`` fields (which depend on
the calibration table) are left out. Exits 1 on any difference.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

IGNORED = {"confidence"}


def stripped(value: object) -> object:
    """``value`` without the ignored keys, at any depth."""
    if isinstance(value, dict):
        return {k: stripped(v) for k, v in value.items() if k not in IGNORED}
    if isinstance(value, list):
        return [stripped(v) for v in value]
    return value


def documents(out: Path) -> dict[str, dict]:
    """The documents of a run folder by file name."""
    files = sorted((out / "documents").glob("*.json"))
    return {p.name: stripped(json.loads(p.read_text(encoding="utf-8"))) for p in files}


def differences(a: dict, b: dict, where: str = "") -> list[str]:
    """Paths at which two JSON values differ, with both values."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(a.keys() | b.keys()):
            out += differences(a.get(key), b.get(key), f"{where}.{key}")
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in differences(x, y, f"{where}[{i}]")]
    return [] if a == b else [f"{where}: {json.dumps(a, ensure_ascii=False)[:200]} != "
                              f"{json.dumps(b, ensure_ascii=False)[:200]}"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path)
    parser.add_argument("b", type=Path)
    args = parser.parse_args()
    left, right = documents(args.a), documents(args.b)
    problems = [f"{name}: only in {args.a if name in left else args.b}" for name in sorted(left.keys() ^ right.keys())]
    for name in sorted(left.keys() & right.keys()):
        problems += [f"{name}{d}" for d in differences(left[name], right[name])]
    for line in problems[:50]:
        print(line)
    print(f"{len(left.keys() & right.keys())} documents compared, {len(problems)} differences")
    return 1 if problems or not left else 0


if __name__ == "__main__":
    sys.exit(main())
