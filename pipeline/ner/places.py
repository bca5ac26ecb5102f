"""PLACE mentions: division names from the gazetteer, and units the list lacks by suffix grammar.

Short forms (安宁, 筠连, 青龙) are ambiguous and often ordinary words, so the
document has to support them: a township's short form needs its full name
elsewhere in the text; a county's or prefecture's needs a related division
(ancestor or descendant) named in full, or a larger unit right before it
(云南安宁, 兰州安宁). Province short forms stand alone. A short form with a
level suffix the list does not pair with it (沾化县, 凉山州) is kept whole as a
``gazetteer_variant`` mention for the resolver to map. A unit's name starts
after the last non-name word before its suffix (要感谢村, 欢迎到村: none; see
:mod:`pipeline.ner.boundaries`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from spacy.language import Language
from spacy.tokens import Doc

from ..doc import add_mention, register_extensions, text_of
from ..gazetteer import Gazetteer, NameHit, load_gazetteer
from .boundaries import NonNameWords, load_non_name_words
from ..lexicon import HAN, load_lexicon, words_pattern

_TWO_CHARACTER_COUNTY = re.compile(f"[{HAN}]县")


@dataclass(frozen=True)
class PlaceGrammar:
    """The words that decide names the division list does not (``units.toml`` ``[place_grammar]``)."""

    level_words: frozenset[str]
    conjunctions: frozenset[str]
    not_a_county_start: frozenset[str]
    name_break: frozenset[str]
    bad_name_end: frozenset[str]
    bad_name_start: frozenset[str]
    generic_names: frozenset[str]
    organ_after: frozenset[str]
    suffix_starts_word: dict[str, tuple[str, ...]]
    own_unit_markers: str
    own_unit_organs: tuple[str, ...]

    @classmethod
    def from_table(cls, table: dict) -> PlaceGrammar:
        levels = frozenset(table["level_words"])
        conjunctions = frozenset(table["conjunctions"])
        return cls(
            level_words=levels, conjunctions=conjunctions,
            not_a_county_start=levels | conjunctions | frozenset(table["not_a_county_start"]),
            name_break=frozenset(table["name_break"]), bad_name_end=frozenset(table["bad_name_end"]),
            bad_name_start=frozenset(table["bad_name_start"]), generic_names=frozenset(table["generic_names"]),
            organ_after=frozenset(table["organ_after"]),
            suffix_starts_word={k: tuple(v) for k, v in table["suffix_starts_word"].items()},
            own_unit_markers=table["own_unit_markers"], own_unit_organs=tuple(table["own_unit_organs"]))

    def follows_badly(self, text: str, end: int) -> bool:
        """村庄, 村民, 社区工作者: the suffix ending at ``end`` starts a longer common word."""
        return text.startswith(self.suffix_starts_word.get(text[end - 1], ()), end)

    def speaks_of_own_unit(self, text: str, level: str) -> bool:
        """Whether the document speaks of its own unit of a level at least twice (县委, 县长, 全县, 我县)."""
        pattern = f"(?:[{self.own_unit_markers}]{level}|{level}{words_pattern(self.own_unit_organs)})"
        return len(re.findall(pattern, text)) >= 2

    def plausible(self, name: str) -> bool:
        """Whether a unit's name can be ``name`` (not 美丽村, 全村, 该社区)."""
        return (name not in self.generic_names and name[-1] not in self.bad_name_end
                and name[0] not in self.bad_name_start and "村" not in name and "社区" not in name)


class PlaceRuler:
    """Adds PLACE mentions for division names (full and supported short forms) and unit suffixes."""

    gazetteer: Gazetteer
    non_name: NonNameWords
    grammar: PlaceGrammar

    def __init__(self, max_unit_name: int = 4):
        self.max_unit_name = max_unit_name

    def initialize(self, get_examples=None, *, nlp: Language | None = None) -> None:
        """Load the division list and the words that cannot be part of a name."""
        self.gazetteer = load_gazetteer()
        self.non_name = load_non_name_words()
        self.grammar = PlaceGrammar.from_table(load_lexicon().units["place_grammar"])

    def __call__(self, doc: Doc) -> Doc:
        hits = self.supported_hits(text_of(doc))
        for hit in hits:
            add_mention(doc, hit.start, hit.end, "PLACE", _RULES[hit.kind])
        taken = [(h.start, h.end) for h in hits]
        for start, end in self.unit_spans(text_of(doc), hits):
            if not any(s <= start and end <= e for s, e in taken):
                add_mention(doc, start, end, "PLACE", "unit_suffix")
        for start, end in self.unlisted_own_county(text_of(doc), hits):
            add_mention(doc, start, end, "PLACE", "own_county")
        return doc

    def unlisted_own_county(self, text: str, hits: list[NameHit]) -> list[tuple[int, int]]:
        """A two-character county name the list lacks (户县, renamed 鄠邑区 in 2016), written at least twice
        in a document that speaks of its own county and names no listed one: the document's county."""
        if not self.grammar.speaks_of_own_unit(text, "县") or any(
                self.gazetteer.by_code[c].level == 3 for h in hits if not h.short for c in h.codes):
            return []
        covered = {i for h in hits for i in range(h.start, h.end)}
        found: dict[str, list[int]] = {}
        for m in _TWO_CHARACTER_COUNTY.finditer(text):
            first = m.group()[0]
            if m.start() in covered or first in self.grammar.not_a_county_start or first in self.non_name.words:
                continue
            if not self.gazetteer.lookup(m.group()):
                found.setdefault(m.group(), []).append(m.start())
        repeated = [name for name, starts in found.items() if len(starts) >= 2]
        if len(repeated) != 1:
            return []
        return [(start, start + 2) for start in found[repeated[0]]]

    def supported_hits(self, text: str) -> list[NameHit]:
        """Gazetteer hits, keeping weak ones (short, two-character) only with document support."""
        hits = self.gazetteer.scan(text)
        by_code = self.gazetteer.by_code
        strong = {c for h in hits if not h.weak for c in h.codes}
        strong |= {c for h in hits if h.short for c in h.codes if by_code[c].level == 1}
        chained = self._chained(hits, text)
        accepted = [h for h in hits if not h.weak or id(h) in chained]
        pending = [h for h in hits if h.weak and id(h) not in chained]
        changed = True
        while changed and pending:
            changed = False
            for hit in list(pending):
                if self._supported(hit, strong):
                    accepted.append(hit)
                    pending.remove(hit)
                    strong |= set(hit.codes) if len(hit.codes) == 1 else set()
                    changed = True
        accepted += self._own_units(pending, accepted, text)
        return sorted(accepted, key=lambda h: h.start)

    def _own_units(self, pending: list[NameHit], accepted: list[NameHit], text: str) -> list[NameHit]:
        """Two-character unit names (户县, 沛县) in a document that speaks of its own unit of that level
        (县委, 县长, 全县, at least twice) and names no other unit of the level: the document's unit.
        Not after a level word (市和县), nor one led by a conjunction (《…》和县妇联: 和县 is no county there)."""
        out = []
        for level in {h.surface[-1] for h in pending if not h.short and len(h.surface) == 2}:
            named = {h.surface for h in (*pending, *accepted) if h.surface.endswith(level) and not h.short}
            if not self.grammar.speaks_of_own_unit(text, level) or len(named) != 1:
                continue
            out += [h for h in pending if h.surface in named and len(h.surface) == 2
                    and text[h.start - 1:h.start] not in self.grammar.level_words
                    and h.surface[0] not in self.grammar.conjunctions]
        return out

    def _chained(self, hits: list[NameHit], text: str) -> set[int]:
        """Weak hits written right after a unit that contains them (兰州安宁, 云南安宁): ids of both.

        The inner unit is the parent's child, or a county-level city or county
        of a province; a province's urban district (山东泰山) or a short form
        followed by an organ (湖北省公安厅) is not taken.
        """
        out = set()
        for outer, inner in pairwise(hits):
            if outer.end != inner.start or not (outer.weak or inner.weak):
                continue
            if inner.weak and text[inner.end:inner.end + 1] in self.grammar.organ_after:
                continue
            if any(self._contains(a, c) for a in outer.codes for c in inner.codes):
                out |= {id(outer), id(inner)}
        return out

    def _contains(self, outer: str, inner: str) -> bool:
        division = self.gazetteer.by_code[inner]
        hops = self.gazetteer.hops(outer, inner) if division.level < 4 else None
        return hops == 1 or (hops == 2 and not division.name.endswith("区"))

    def _supported(self, hit: NameHit, strong: set[str]) -> bool:
        """A weak hit is a place if one of its readings is a province or has support from a strong place.

        Only a parent supports a short name from above: a province supports its
        prefectures' short names, not every county's (合作 in 合作社).
        """
        for code in hit.codes:
            division = self.gazetteer.by_code[code]
            if division.level == 1 or code in strong:
                return True
            if division.level == 4:
                continue  # township short forms need their own full name
            if any(self.gazetteer.supports(other, code, reach=_SHORT_NAME_REACH) for other in strong):
                return True
        return False

    def unit_spans(self, text: str, hits: list[NameHit]) -> list[tuple[int, int]]:
        """Villages, communities and zones: [name][村/社区/片区...] after a place or a boundary."""
        ends = {h.end for h in hits}
        names = {h.start: h.end - h.start for h in hits}
        spans = []
        for m in load_lexicon().unit_suffix.finditer(text):
            if self.grammar.follows_badly(text, m.end()):
                continue
            start = self._name_start(text, m.start(), ends, names)
            if start is not None:
                spans.append((start, m.end()))
                ends.add(m.end())
        return spans

    def _name_start(self, text: str, suffix_at: int, place_ends: set[int], names: dict[int, int]) -> int | None:
        run = suffix_at
        while run > 0 and suffix_at - run < 2 * self.max_unit_name and text[run - 1] not in self.grammar.name_break:
            run -= 1
        floor = self.non_name.last_end(text, run, suffix_at, names)
        for length in range(2, self.max_unit_name + 1):
            start = suffix_at - length
            if start < floor:
                break
            name = text[start:suffix_at]
            if not re.fullmatch(f"[{HAN}]+", name) or any(ch in self.grammar.name_break for ch in name):
                break
            if start in place_ends:
                return start if self.grammar.plausible(name) else None
            if (start == 0 or text[start - 1] in self.grammar.name_break) and length <= 3:
                return start if self.grammar.plausible(name) else None
        return None


_SHORT_NAME_REACH = 1  # only a parent supports a short name from above
_RULES = {"full": "gazetteer", "short": "gazetteer_short", "variant": "gazetteer_variant"}


@Language.factory("cadregraph_place_ruler_v1", assigns=["doc._.places"])
def make_place_ruler(nlp: Language, name: str, max_unit_name: int = 4) -> PlaceRuler:
    register_extensions()
    return PlaceRuler(max_unit_name=max_unit_name)
