"""Lexicon features for the NER tagger: which known words cover each character, and how.

For every character the tagger receives a bit set: for each word type
(PERSON, PLACE, ORG, WORD) whether the character Begins, is in the Middle of,
Ends, or is a Single-character match of a lexicon entry of that type, plus one
bit naming the corpus convention the sentence follows. The lexicon holds the
entity strings of the training corpora, the frequent words of People's Daily
and the full names of the official divisions, each with how many training
sentences it came from.

A model trained with features that always fire on its own training entities
learns to trust them blindly and then misses every unseen name. Training
sentences therefore see a leave-one-out lexicon: an entity string matches only
if some *other* training sentence also has it, which is what the tagger meets
at run time, where most names are new.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cached_property
from pathlib import Path

import numpy
from numpy.lib.stride_tricks import sliding_window_view

TYPES = ("PERSON", "PLACE", "ORG", "WORD")
SOURCES = ("msra", "peoples_daily", "cluener")
POSITIONS = 4  # begin, middle, end, single
N_BITS = len(TYPES) * POSITIONS + len(SOURCES)
MAX_LENGTH = 12
FILENAME = "lexicon.tsv"


class FeatureLexicon:
    """Words with per-type sentence counts, and the bit features they give each character."""

    def __init__(self, counts: dict[str, tuple[int, ...]]):
        self.counts = counts
        self._masks: dict[str, tuple[int, ...]] = {}  # the bits each word gives its characters, filled as met
        self._tables: dict[int, _PrefixTable] | None = None  # for feature_array, built on first use

    @classmethod
    def build(cls, entries: Iterable[tuple[str, str]] | Counter[tuple[str, str]],
              always: Iterable[tuple[str, str]] = ()) -> FeatureLexicon:
        """From ``(text, type)`` pairs, one per sentence they occur in (or a Counter of them).

        ``always`` entries never drop out.
        """
        tally = entries if isinstance(entries, Counter) else Counter(entries)
        for entry in always:
            tally[entry] = max(tally[entry], 1_000_000)
        counts: dict[str, list[int]] = {}
        for (text, kind), n in tally.items():
            if 0 < len(text) <= MAX_LENGTH:
                counts.setdefault(text, [0] * len(TYPES))[TYPES.index(kind)] = n
        return cls({text: tuple(n) for text, n in counts.items()})

    @cached_property
    def prefixes(self) -> set[str]:
        """Every non-empty prefix of a word."""
        return {word[:i] for word in self.counts for i in range(1, len(word) + 1)}

    def features(self, text: str, source: str = "msra", own: Iterable[tuple[str, str]] = ()) -> list[int]:
        """One bit set per character of ``text``; ``own`` entities are discounted once (leave-one-out)."""
        discount = {(t, TYPES.index(kind)) for t, kind in own if kind in TYPES}
        bits = [1 << (len(TYPES) * POSITIONS + SOURCES.index(source))] * len(text)
        counts, prefixes, masks = self.counts, self.prefixes, self._masks
        for start in range(len(text)):
            for end in range(start + 1, min(len(text), start + MAX_LENGTH) + 1):
                word = text[start:end]
                if word not in prefixes:
                    break
                found = counts.get(word)
                if found is None:
                    continue
                if discount:
                    found = tuple(n - ((word, kind) in discount) for kind, n in enumerate(found))
                    word_bits = _word_bits(end - start, found)
                else:
                    word_bits = masks.get(word) or masks.setdefault(word, _word_bits(end - start, found))
                for at, bit in enumerate(word_bits, start):
                    bits[at] |= bit
        return bits

    def feature_array(self, codes: numpy.ndarray, lengths: numpy.ndarray, source: str = "msra") -> numpy.ndarray:
        """:meth:`features` of a whole batch at once: ``codes`` are the texts' code points, one padded row each.

        As in :meth:`features`, windows grow from each start while they are
        prefixes of a word; they are looked up by a hash of their code points,
        and words are confirmed by the code points themselves, so the bits
        equal those of :meth:`features` (without leave-one-out). Padding gets 0.
        """
        if self._tables is None:
            self._tables = _prefix_tables(self.counts)
        inside = numpy.arange(codes.shape[1]) < lengths[:, None]
        bits = numpy.where(inside, 1 << (len(TYPES) * POSITIONS + SOURCES.index(source)), 0).astype(numpy.int64)
        row, start = numpy.nonzero(inside)
        hashes = codes[row, start].astype(numpy.uint64)
        for length in range(1, MAX_LENGTH + 1):
            table = self._tables.get(length)
            if table is None or not len(row):
                break
            at = numpy.minimum(numpy.searchsorted(table.hashes, hashes), len(table.hashes) - 1)
            prefix = table.hashes[at] == hashes
            row, start, hashes, at = row[prefix], start[prefix], hashes[prefix], at[prefix]
            word = table.kinds[at] != 0
            found, begin, entry = row[word], start[word], at[word]
            same = (sliding_window_view(codes, length, axis=1)[found, begin] == table.codes[entry]).all(axis=1)
            found, begin, kinds = found[same], begin[same], table.kinds[entry[same]]
            if length == 1:
                bits[found, begin] |= kinds << 3
            else:
                bits[found, begin] |= kinds
                for inner in range(1, length - 1):
                    bits[found, begin + inner] |= kinds << 1
                bits[found, begin + length - 1] |= kinds << 2
            longer = start + length < lengths[row]
            row, start, hashes = row[longer], start[longer], hashes[longer]
            hashes = hashes * _MULTIPLIER + codes[row, start + length]
        return bits

    def knows(self, text: str, kind: str) -> bool:
        """Whether ``text`` is in the lexicon as ``kind``."""
        found = self.counts.get(text)
        return found is not None and found[TYPES.index(kind)] > 0

    def entries(self, kind: str) -> list[str]:
        """The words the lexicon knows as ``kind``."""
        index = TYPES.index(kind)
        return [text for text, n in self.counts.items() if n[index] > 0]

    def save(self, folder: Path) -> None:
        lines = (f"{text}\t" + "\t".join(map(str, n)) for text, n in sorted(self.counts.items()))
        (folder / FILENAME).write_text("\n".join(lines) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> FeatureLexicon:
        counts = {}
        for line in (folder / FILENAME).read_text(encoding="utf-8").splitlines():
            text, *numbers = line.split("\t")
            counts[text] = tuple(map(int, numbers))
        return cls(counts)


def _word_bits(length: int, counts: Sequence[int]) -> tuple[int, ...]:
    """The bits a word of ``length`` characters gives each of them, for the types it has a count of."""
    bits = [0] * length
    for kind, n in enumerate(counts):
        if n < 1:
            continue
        base = kind * POSITIONS
        if length == 1:
            bits[0] |= 1 << (base + 3)
            continue
        bits[0] |= 1 << base
        bits[-1] |= 1 << (base + 2)
        for inside in range(1, length - 1):
            bits[inside] |= 1 << (base + 1)
    return tuple(bits)


_MULTIPLIER = numpy.uint64(0x100000001B3)  # FNV-1's prime: hash = hash * it + code point, modulo 2**64


class _PrefixTable:
    """The word prefixes of one length: sorted hashes, their code points, and the types of the words (else 0)."""

    def __init__(self, prefixes: list[str], kinds: list[int]):
        length = len(prefixes[0])
        codes = code_points(prefixes, length)
        hashes = codes[:, 0].astype(numpy.uint64)
        for column in range(1, length):
            hashes = hashes * _MULTIPLIER + codes[:, column]
        order = numpy.argsort(hashes, kind="stable")
        self.hashes, self.codes = hashes[order], codes[order]
        self.kinds = numpy.array(kinds, dtype=numpy.int64)[order]  # one bit per type, at the type's Begin bit
        if (self.hashes[1:] == self.hashes[:-1]).any():
            raise ValueError(f"two lexicon prefixes of length {length} share a hash")


def _prefix_tables(counts: dict[str, tuple[int, ...]]) -> dict[int, _PrefixTable]:
    """One :class:`_PrefixTable` per length up to :data:`MAX_LENGTH`."""
    words = {word: sum(1 << (kind * POSITIONS) for kind, n in enumerate(found) if n >= 1)
             for word, found in counts.items() if 0 < len(word) <= MAX_LENGTH}
    by_length: dict[int, dict[str, int]] = {}
    for prefix in {word[:end] for word in words for end in range(1, len(word) + 1)}:
        by_length.setdefault(len(prefix), {})[prefix] = words.get(prefix, 0)
    return {length: _PrefixTable(list(kinds), list(kinds.values())) for length, kinds in by_length.items()}


def code_points(texts: Sequence[str], width: int) -> numpy.ndarray:
    """The code points of ``texts`` (each at most ``width`` long), one row each, padded with 0."""
    joined = "".join(text.ljust(width, "\0") for text in texts).encode("utf-32-le", "surrogatepass")
    return numpy.frombuffer(joined, dtype=numpy.uint32).reshape(len(texts), width)
