"""Words that cannot be part of a name: where the left edge of an [name][head] mention may lie.

``resources/non_name_words.txt`` lists verbs, adverbs, prepositions, pronouns,
time words and the like that People's Daily 1998 never (or hardly ever) shows
inside an organisation or place name; ``resources/name_words.txt`` lists words
that contain one of them but are name material (人才, 数据, 就业), so that 才 in
人才 ends nothing. Both are built by ``cadregraph train boundaries``
(:mod:`pipeline.train.boundaries`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources

NON_NAME_FILE = "non_name_words.txt"
NAME_FILE = "name_words.txt"
SURNAME_WORD_FILE = "surname_words.txt"
COMMON_NOUN_FILE = "common_nouns.txt"
IDIOM_FILE = "idioms.txt"


@dataclass(frozen=True)
class NonNameWords:
    """The boundary table, and the name words that contain its words without ending a name."""

    words: frozenset[str]
    name_words: frozenset[str] = frozenset()

    @cached_property
    def longest(self) -> int:
        return max(map(len, self.words | self.name_words), default=1)

    def last_end(self, text: str, start: int, end: int, names: Mapping[int, int] | None = None) -> int:
        """End of the last non-name word in ``text[start:end]``, or ``start`` if there is none.

        Words are matched longest first, left to right, over both lists; a
        known name starting at an offset of ``names`` (offset -> length) is
        passed over whole.
        """
        names = names or {}
        longest = self.longest
        at = cut = start
        while at < end:
            if at in names:
                at += names[at]
                continue
            step = 1
            for length in range(min(longest, end - at), 0, -1):
                piece = text[at:at + length]
                if piece in self.words:
                    cut, step = at + length, length
                    break
                if piece in self.name_words:
                    step = length
                    break
            at += step
        return cut


def read_word_list(lines: Iterable[str]) -> list[str]:
    """The words of a list file: one a line, ``#`` comments and blank lines skipped."""
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


@cache
def load_non_name_words() -> NonNameWords:
    """The lists shipped in ``pipeline/resources`` (read once per process)."""
    folder = resources.files("pipeline").joinpath("resources")
    words, names = (read_word_list(folder.joinpath(name).read_text(encoding="utf-8").splitlines())
                    for name in (NON_NAME_FILE, NAME_FILE))
    return NonNameWords(frozenset(words), frozenset(names))


def _word_set(name: str) -> frozenset[str]:
    text = resources.files("pipeline").joinpath("resources", name).read_text(encoding="utf-8")
    return frozenset(read_word_list(text.splitlines()))


@cache
def load_surname_words() -> frozenset[str]:
    """Common words that begin like a Chinese name (党员, 项目), shipped in ``pipeline/resources``."""
    return _word_set(SURNAME_WORD_FILE)


@cache
def load_common_nouns() -> frozenset[str]:
    """Common nouns that name a kind, not a bearer (物业, 外部), shipped in ``pipeline/resources``."""
    return _word_set(COMMON_NOUN_FILE)


@cache
def load_idioms() -> frozenset[str]:
    """Four-character idioms and set phrases (无中生有, 实事求是), shipped in ``pipeline/resources``."""
    return _word_set(IDIOM_FILE)
