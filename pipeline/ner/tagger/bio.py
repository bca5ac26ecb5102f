"""BIO tag sequences to and from character spans."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy


def spans_to_bio(length: int, spans: Iterable[tuple[int, int, str]]) -> tuple[str, ...]:
    """BIO tags for ``length`` characters; a span overlapping an earlier (longer-first) one is dropped."""
    tags = ["O"] * length
    for start, end, label in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if start < 0 or end > length or start >= end or any(t != "O" for t in tags[start:end]):
            continue
        tags[start] = f"B-{label}"
        for i in range(start + 1, end):
            tags[i] = f"I-{label}"
    return tuple(tags)


def bio_to_spans(tags: Iterable[str]) -> list[tuple[int, int, str]]:
    """(start, end, label) of the entities in a BIO sequence; a stray I- starts an entity."""
    spans: list[tuple[int, int, str]] = []
    start: int | None = None
    label = ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        if start is not None and (prefix != "I" or kind != label):
            spans.append((start, i, label))
            start, label = None, ""
        if prefix == "B" or (prefix == "I" and start is None):
            start, label = i, kind
    return spans


def bio_spans_of_ids(ids: numpy.ndarray, tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """:func:`bio_to_spans` of a sequence of tag ids, reading only the positions not tagged ``O`` (most are)."""
    outside = [i for i, tag in enumerate(tags) if tag == "O"]
    positions = numpy.flatnonzero(~numpy.isin(ids, outside)).tolist()
    spans: list[tuple[int, int, str]] = []
    start: int | None = None
    label, last = "", -2
    for i in positions:
        prefix, _, kind = tags[ids[i]].partition("-")
        if start is not None and (i != last + 1 or prefix != "I" or kind != label):
            spans.append((start, last + 1, label))
            start, label = None, ""
        if prefix == "B" or (prefix == "I" and start is None):
            start, label = i, kind
        last = i
    if start is not None:
        spans.append((start, last + 1, label))
    return spans

