"""Cutting runs of Chinese names that a tagger marked as one person (李鹏乔石李瑞环).

Rosters of committee members are often printed without separators, and a
character tagger then marks the whole run as one PERSON. :class:`NameShapes`
decides whether a run reads better as a list of Chinese names (a surname plus
one or two given-name characters each) or as one transliterated name
(费尔南德斯, 斯特罗耶夫), comparing two character models learnt from the
PERSON strings of the training lexicon: surname and given-name characters of
Chinese names against the characters of foreign names.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

from ..lexicon import HAN, load_lexicon

_HAN_RUN = re.compile(f"[{HAN}]+")
_SEPARATOR = "·"
# Smoothing: half a count for each of about this many distinct characters.
_ALPHABET = 8000
_SMOOTHING = 0.5
MIN_RUN = 4  # shortest run considered: two two-character names


class _CharModel:
    """Smoothed unigram log-probabilities of characters."""

    def __init__(self, counts: Counter[str]) -> None:
        self.counts = counts
        self.total = sum(counts.values()) + _SMOOTHING * _ALPHABET

    def __call__(self, chars: Iterable[str]) -> float:
        return sum(math.log((self.counts[c] + _SMOOTHING) / self.total) for c in chars)


class NameShapes:
    """Character models of Chinese and foreign person names, and the roster cut they support."""

    def __init__(self, surnames: Counter[str], given: Counter[str], foreign: Counter[str],
                 given_lengths: Counter[int]) -> None:
        self.surname = _CharModel(surnames)
        self.given = _CharModel(given)
        self.foreign = _CharModel(foreign)
        total = sum(given_lengths.values()) or 1
        self.length = {n: math.log(max(given_lengths[n], 1) / total) for n in (1, 2)}

    @classmethod
    def from_names(cls, names: Iterable[str]) -> NameShapes:
        """Learn from person names: surname-led ones of 2–4 characters count as Chinese, the rest as foreign."""
        surnames: Counter[str] = Counter()
        given: Counter[str] = Counter()
        foreign: Counter[str] = Counter()
        lengths: Counter[int] = Counter()
        for name in names:
            if not _HAN_RUN.fullmatch(name.replace(_SEPARATOR, "")):
                continue
            surname = surname_of(name) if _SEPARATOR not in name else None
            if surname is not None:
                surnames[surname] += 1
                given.update(name[len(surname):])
                lengths[len(name) - len(surname)] += 1
            elif _SEPARATOR in name or len(name) >= MIN_RUN:
                foreign.update(name.replace(_SEPARATOR, ""))
        return cls(surnames, given, foreign, lengths)

    def cut(self, run: str) -> list[tuple[int, int]] | None:
        """Offsets of the names ``run`` lists (two or more), or None when it reads as one name."""
        if len(run) < MIN_RUN or not _HAN_RUN.fullmatch(run):
            return None
        best: list[tuple[float, list[int]] | None] = [None] * (len(run) + 1)
        best[0] = (0.0, [0])
        for start in range(len(run)):
            here = best[start]
            if here is None:
                continue
            for end in range(start + 2, min(start + 4, len(run)) + 1):
                score = self._name_score(run[start:end])
                if score is None:
                    continue
                total = here[0] + score
                there = best[end]
                if there is None or total > there[0]:
                    best[end] = (total, [*here[1], end])
        found = best[len(run)]
        if found is None or len(found[1]) < 3 or found[0] <= self.foreign(run):
            return None
        return list(zip(found[1], found[1][1:], strict=False))

    def _name_score(self, piece: str) -> float | None:
        """Log-likelihood of ``piece`` as one Chinese name, None if it is not shaped like one."""
        surname = surname_of(piece)
        if surname is None:
            return None
        return self.surname([surname]) + self.given(piece[len(surname):]) + self.length[len(piece) - len(surname)]


def surname_of(name: str) -> str | None:
    """The surname of a name shaped surname + one or two characters (compound surname + one or two), else None."""
    lexicon = load_lexicon()
    if name[:2] in lexicon.surnames_compound:
        return name[:2] if 3 <= len(name) <= 4 else None
    return name[0] if 2 <= len(name) <= 3 and name[0] in lexicon.surnames_single else None
