"""The document's unit context: every place and organisation mention in order, by level or kind.

Titles often name only a level (县委书记, 镇长) or a kind of body (校长, 党委书记);
the unit is named elsewhere. :class:`UnitContext` answers "which unit of this
level or kind is meant here" in one way for every rule: the nearest preceding
mention in the sentence, then in earlier sentences, then the document's home
unit of that level or kind (its most named one; 我县 / 本校 stand for it).
Units that are only visited or hosting an event (赴X, 在X举行) are passed over.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache, cached_property
from importlib import resources
from itertools import groupby

from spacy.language import Language
from spacy.tokens import Doc, Span

from .doc import COMMITTEE_RULES, add_mention, mentions, register_extensions, sentence_bounds, text_of
from .gazetteer import Gazetteer, load_gazetteer
from .lexicon import is_han
from .ner.orgs import load_org_heads
from .ner.title_grammar import TitleGrammar, load_title_grammar


@dataclass(frozen=True)
class Unit:
    """A mention that can own a post: a place, an organisation, or a self-reference (我县)."""

    start: int
    end: int
    text: str
    span: Span | None  # None for a self-reference, which stands for the home unit
    level: str | None  # place level word (县, 镇, 村 …); a committee has its place's level
    kind: str | None  # organisation kind (school, company …); "committee" for party committees
    venue: bool = False
    nested: bool = False  # inside a longer unit name (富平县 in 富平县人民政府)
    quoted: bool = False  # inside quotation marks (“欢迎回村”, “空壳村”): a saying, not the discourse's unit

    @property
    def is_place(self) -> bool:
        return self.span is not None and self.span.label_ == "PLACE"


UnitTest = Callable[[Unit], bool]


@dataclass(frozen=True)
class DiscourseCues:
    """Cue words of the discourse, from ``resources/discourse.toml``."""

    visit_verbs: tuple[str, ...]
    venue_verbs: tuple[str, ...]
    appointment_verbs: tuple[str, ...]

    @cached_property
    def visit(self) -> re.Pattern[str]:
        return re.compile("(?:" + "|".join(sorted(self.visit_verbs, key=len, reverse=True)) + ")$")

    @cached_property
    def venue(self) -> re.Pattern[str]:
        return re.compile("^[^，,。；;]{0,12}?(?:" + "|".join(self.venue_verbs) + ")")


@cache
def load_discourse_cues() -> DiscourseCues:
    data = tomllib.loads(resources.files("pipeline").joinpath("resources/discourse.toml").read_text(encoding="utf-8"))
    return DiscourseCues(tuple(data["visit_verbs"]), tuple(data["venue_verbs"]), tuple(data["appointment_verbs"]))


class UnitContext:
    """The units of one document and the lookups the position rules ask of them."""

    def __init__(self, doc: Doc, grammar: TitleGrammar, gazetteer: Gazetteer, cues: DiscourseCues):
        self.doc = doc
        self.grammar = grammar
        self.gazetteer = gazetteer
        text = text_of(doc)
        visit, venue = cues.visit, cues.venue
        units = []
        for span in mentions(doc):
            if span.label_ not in ("PLACE", "ORG"):
                continue
            level, kind = self._classify(span)
            is_venue = bool(visit.search(text[max(0, span.start_char - 3):span.start_char])) or (
                text[span.start_char - 1:span.start_char] == "在" and bool(venue.match(text[span.end_char:])))
            units.append(Unit(span.start_char, span.end_char, span.text, span, level, kind, is_venue,
                              quoted=_in_quotes(text, span.start_char)))
        full_levels = {u.text: u.level for u in units if u.is_place and u.level}
        units = [replace(u, level=_short_form_level(u.text, full_levels)) if u.is_place and not u.level else u
                 for u in units]
        units += self._self_references(text)
        self.units = _mark_nested(units)
        self._by_end: dict[int, list[Unit]] = {}
        for unit in self.units:
            self._by_end.setdefault(unit.end, []).append(unit)
        # organ named in a title (start, end) → (the place or committee it belongs to, the organ word)
        self.organs: dict[tuple[int, int], tuple[Span, str]] = {}

    def _classify(self, span: Span) -> tuple[str | None, str | None]:
        text = span.text
        if span.label_ == "PLACE":
            return self.grammar.level_of(text) or self._gazetteer_level(text), None
        if span.id_ in COMMITTEE_RULES:
            return text[-2] if text[-2] in self.grammar.levels else None, "committee"
        return None, self.grammar.kind_of(text)

    def _gazetteer_level(self, name: str) -> str | None:
        """The level word of a short place name (安宁 → 市) when every reading agrees."""
        levels = {self.grammar.level_of(self.gazetteer.by_code[c].name) for c in self.gazetteer.lookup(name)}
        return levels.pop() if len(levels) == 1 else None

    def _self_references(self, text: str) -> list[Unit]:
        markers = "".join(self.grammar.self_markers)
        single_heads = (h for heads in self.grammar.kinds.values() for h in heads if len(h) == 1)
        words = sorted({*self.grammar.levels, *single_heads, *self.grammar.self_words}, key=len, reverse=True)
        out = []
        for m in re.finditer(f"(?<![{markers}])[{markers}](" + "|".join(words) + ")", text):
            word = m[1]
            level = word if word in self.grammar.levels else None
            kind = None if level else next((k for k, heads in self.grammar.kinds.items()
                                            if any(h.endswith(word) for h in heads)), None)
            out.append(Unit(m.start(), m.end(), m.group(), None, level, kind))
        return out

    # -- lookups ----------------------------------------------------------------------------
    def adjacent(self, end: int) -> Unit | None:
        """The unit written right before ``end`` (quotes and spaces between): 安宁市 in 安宁市委书记."""
        text = text_of(self.doc)
        while end > 0 and text[end - 1] in "“\" \u3000":
            end -= 1
        found = [u for u in self._by_end.get(end, ()) if u.span is not None]
        return max(found, key=lambda u: (u.is_place, u.end - u.start)) if found else None

    def before_section(self, end: int) -> Unit | None:
        """The unit before a section written right before ``end`` (财政局 in 财政局行政科 + 科长)."""
        text = text_of(self.doc)
        grammar = self.grammar
        for unit_end in range(end - 2, max(-1, end - grammar.max_section - 1), -1):  # the shortest section first
            gap = text[unit_end:end]
            one_section = gap.endswith(grammar.section_heads) and not any(h in gap[:-1] for h in grammar.section_heads)
            units = [u for u in self._by_end.get(unit_end, ()) if u.span is not None]
            if units and one_section and all(is_han(c) for c in gap):
                return units[0]
        return None

    def covering_end(self, start: int, end: int) -> Unit | None:
        """A unit that starts before ``start`` and ends inside [start, end]: 莲塘社区 over 社区党委书记."""
        found = [u for u in self.units if u.span is not None and u.start < start < u.end <= end]
        return max(found, key=lambda u: u.end) if found else None

    def find_level(self, level: str, at: int) -> tuple[Span, str] | None:
        """The place of a level meant at ``at`` (县 → the county); a committee mention only when no place."""
        return self.find(lambda u: u.level == level and u.kind is None, at, nested=True) or self.find(
            lambda u: u.level == level, at, nested=True)

    def find(self, wanted: UnitTest, at: int, scope: str = "document", nested: bool = False
             ) -> tuple[Span, str] | None:
        """The unit meant at ``at``, looking back as far as ``scope`` says.

        ``document``: the nearest unit in the sentence, else the most named one before it, else the home
        unit (a level: few units of one level are named); ``paragraph``: the sentence, then the paragraph
        (a kind of body: a document names many); ``sentence``: the sentence alone (a bare post, 主任).
        Units inside a longer unit name count only with ``nested`` (a level lookup: 县 in 富平县人民政府).
        """
        text = text_of(self.doc)
        sent_start, _ = sentence_bounds(self.doc, at)
        earliest = text.rfind("\n", 0, sent_start) + 1 if scope == "paragraph" else 0
        before = [u for u in self.units if earliest <= u.start and u.end <= at and not u.venue
                  and (nested or not u.nested) and wanted(u)]
        steps = [(sent_start, "sentence_unit")]
        if scope in ("document", "paragraph"):
            steps.append((earliest, "discourse_unit"))
        for start, rule in steps:
            near = [u for u in before if u.start >= start and not u.quoted]
            if near:
                # in the sentence the nearest unit; before it the most named one (then the nearest)
                counts = Counter(u.text for u in near) if rule == "discourse_unit" else Counter()
                unit = max(near, key=lambda u: (counts[u.text], u.end, -u.start))
                if unit.span is not None:
                    return unit.span, rule
                home = self.home(lambda v: v.level == unit.level and v.kind == unit.kind)  # noqa: B023 - called at once
                if home is not None:
                    return home, "self_reference"
        home = self.home(wanted) if scope == "document" else None
        return (home, "home_unit") if home is not None else None

    def home(self, wanted: UnitTest) -> Span | None:
        """The document's most named unit passing ``wanted`` (earliest on a tie), visits excluded."""
        named = [u for u in self.units if u.span is not None and not u.venue and wanted(u)]
        if not named:
            return None
        counts = Counter(self._name_key(u) for u in named)  # 天长 and 天长市 are one name
        best = max(counts, key=lambda k: (counts[k], -next(u.start for u in named if self._name_key(u) == k)))
        return max((u for u in named if self._name_key(u) == best), key=lambda u: (len(u.text), -u.start)).span

    def _name_key(self, unit: Unit) -> str:
        """A place's name without its level ending (天长市 → 天长), so that short and full forms count as one."""
        endings = self.grammar.levels.get(unit.level or "", ()) if unit.is_place else ()
        ending = next((e for e in sorted(endings, key=len, reverse=True) if unit.text.endswith(e)), "")
        return unit.text[:len(unit.text) - len(ending)] if ending and len(unit.text) > len(ending) + 1 else unit.text


def _mark_nested(units: list[Unit]) -> list[Unit]:
    """The units in text order, each marked when a longer unit contains it (one pass over the sorted units)."""
    out: list[Unit] = []
    furthest = -1
    for (_, end), group in groupby(sorted(units, key=lambda u: (u.start, -u.end)), key=lambda u: (u.start, u.end)):
        out += [replace(u, nested=furthest >= end) for u in group]
        furthest = max(furthest, end)
    return out


def _short_form_level(name: str, full_levels: dict[str, str]) -> str | None:
    """The level of a short place name (天长) that the document also writes in full (天长市)."""
    levels = {level for full, level in full_levels.items() if full.startswith(name) and len(full) <= len(name) + 2}
    return levels.pop() if len(levels) == 1 else None


def _in_quotes(text: str, at: int) -> bool:
    """Whether ``at`` lies inside “…” opened in the same paragraph."""
    line_start = text.rfind("\n", 0, at) + 1
    return text.rfind("“", line_start, at) > text.rfind("”", line_start, at)


def _repeat_units(doc: Doc, text: str, generic: frozenset[str]) -> None:
    """Every other occurrence of a place or organisation name found once is a mention of it too, and so is
    an organisation's name without its leading place (总医院 in a document about 青川县总医院)."""
    found = mentions(doc)
    taken = bytearray(len(text))  # 1 where a mention already is
    for m in found:
        taken[m.start_char:m.end_char] = b"\x01" * (m.end_char - m.start_char)
    names = {(m.text, m.label_) for m in found if m.label_ in ("PLACE", "ORG") and len(m.text) >= 3}
    place_ends = {p.start_char: p.end_char for p in found if p.label_ == "PLACE"}
    owners: dict[str, set[str]] = {}
    for org in (m for m in found if m.label_ == "ORG"):  # 总医院 for 青川县总医院
        end = place_ends.get(org.start_char, org.end_char)
        rest = text[end:org.end_char] if end < org.end_char else ""
        if len(rest) >= 3 and rest not in generic:
            owners.setdefault(rest, set()).add(org.text)
    names |= {(rest, "ORG") for rest, orgs in owners.items() if len(orgs) == 1}  # one owner: no 人民政府 of two
    for name, label in sorted(names, key=lambda n: -len(n[0])):
        start = text.find(name)
        while start >= 0:
            end = start + len(name)
            if not any(taken[start:end]) and add_mention(doc, start, end, label, "repeat"):
                taken[start:end] = b"\x01" * len(name)
            start = text.find(name, end)


@Language.factory("cadregraph_unit_context_v1", assigns=["doc._.units", "doc._.mentions"],
                  requires=["token.is_sent_start", "doc._.mentions"])
def make_unit_context(nlp: Language, name: str) -> UnitContextBuilder:
    register_extensions()
    return UnitContextBuilder()


class UnitContextBuilder:
    """Marks every occurrence of a known unit name, then sets ``doc._.units``, the document's :class:`UnitContext`."""

    def initialize(self, get_examples=None, *, nlp: Language | None = None) -> None:
        """Load the title grammar, organisation heads, discourse cues and the division list."""
        self.grammar = load_title_grammar()
        self.cues = load_discourse_cues()
        self.organ_words = frozenset(self.grammar.organs) | frozenset(load_org_heads().strong)
        self.gazetteer = load_gazetteer()

    def __call__(self, doc: Doc) -> Doc:
        _repeat_units(doc, text_of(doc), self.organ_words)
        doc._.units = UnitContext(doc, self.grammar, self.gazetteer, self.cues)
        return doc
