"""Position relations (SECRETARY_OF, HOLDS_POSITION): who holds which post in which unit.

Two steps. Pairing finds the titles of each person: a chain of titles joined by
、 right before the name (县委副书记、县长许晨), the chain of the name before in
a roster (县委常委张成群、陈迪), a title right after the name (陈淑凤书记), a
title in brackets (许晨（县长）), or a post given by a verb (王某同志任县委书记;
张某…当选为村党支部书记). Unit resolution then gives each title its own unit:
the unit written right before it; else, for a level (县委书记), that level's
unit in the document's :class:`~pipeline.units.UnitContext`; else the unit
of the title before it in the chain or of the person listed before in the same
enumeration, if the post fits it; else the nearest unit of a kind the post allows.
Department posts (宣传部部长) point to the department, named from its place;
other organs a title names (县人大主任, 县总工会主席) become organisations too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span

from ..careers.status import load_status_cues
from ..units import Unit, UnitContext, load_discourse_cues
from ..doc import COMMITTEE_RULES, RelationCandidate, add_mention, mentions, sentence_bounds, text_of
from ..lexicon import HAN, is_han
from ..ner.titles import skip_title_tail
from ..ner.title_grammar import Title

# Between two titles of one chain: 、 or a (兼) note; between a roster's enumerated pairs: a comma.
_CHAIN_JOINT = re.compile(r"[（(]兼[）)]?、?$|、$")
_ENUMERATION_GAP = re.compile(r"^[，,、；;\s]*$")
# Organ kinds whose organ, named in a title, is an organisation of its place (县人大, 宣传部, 县总工会).
ORGAN_ORGS = ("department", "congress", "consultative", "mass", "government")
# A unit name the NER missed between 、 and a title (县委常委、总医院党委书记): Han text, no punctuation.
_UNSEEN_UNIT = re.compile(f"、[{HAN}]{{1,8}}$")


@dataclass
class TitleLink:
    """A title of a person, with the unit written right before it (if any)."""

    span: Span
    title: Title
    explicit: Unit | None
    opens: int = -1  # where a later chain of the same notice begins (，并提名为…), for the post's status


class PositionRules:
    """Pairs persons with titles and resolves each title's unit."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.text = text_of(doc)
        self.units: UnitContext = doc._.units
        self.grammar = self.units.grammar
        self.titles = {t.start_char: t for t in mentions(doc, "TITLE")}
        self.titles_by_end = {t.end_char: t for t in mentions(doc, "TITLE")}
        self.persons = [p for p in mentions(doc, "PERSON") if p.id_ != "surname_post"]
        self._orgs: dict[tuple[int, int], Span] | None = None  # ORG mentions by offsets, built on first need
        verbs = sorted(load_discourse_cues().appointment_verbs, key=len, reverse=True)
        self.appointment = re.compile("(?:同志)?(?:[:：]|" + "|".join(verbs) + ")")
        self.subject_verbs = re.compile("|".join(v for v in verbs if len(v) > 1))
        self.status_cues = load_status_cues()

    def __call__(self) -> list[RelationCandidate]:
        out: list[RelationCandidate] = []
        resolved: dict[int, tuple[int, Span]] = {}  # person start → (end of its text, last unit) for rosters
        chains: dict[int, list[TitleLink]] = {}
        later: list[tuple[Span, str, Span | None, list[TitleLink]]] = []  # posts continuing a notice
        for person in self.persons:
            chain, rule = self._pair(person, chains)
            if not chain:
                if possessed := self._possessive(person):  # read after all others, so it changes no earlier post
                    later.append((person, "possessive_post", None, possessed + self._continued(possessed)))
                continue
            chains[person.start_char] = chain
            last_unit = self._enumerated_before(person, chain, resolved)
            hidden = False
            first = chain[0].explicit.start if chain[0].explicit is not None else chain[0].span.start_char
            for link in chain:
                hidden = (hidden and not link.title.level) or self._hidden_unit(link)
                found = None if hidden else self._unit(link, last_unit)
                if found is None:
                    continue
                tail, unit_rule = found
                last_unit = tail
                organ = self._organ(link, tail)
                if organ is not None and link.title.department:
                    tail = organ  # a department post belongs to the department; 人大, 政协 posts to the place
                out.append(RelationCandidate(link.title.label, person, tail, rule, title=self._written(link),
                                             unit_rule=unit_rule, span=(first, link.span.start_char,
                                                                        link.span.end_char)))
            if last_unit is not None:
                resolved[person.start_char] = (person.end_char, last_unit)
            if rule in ("appointment", "subject_appointment"):
                later.append((person, rule, last_unit, self._continued(chain)))
        return out + self._continued_candidates(later)

    def _continued_candidates(self, later: list[tuple[Span, str, Span | None, list[TitleLink]]]
                              ) -> list[RelationCandidate]:
        """Candidates of the posts that continue a notice (see :meth:`_continued`), after all others."""
        out = []
        for person, rule, unit, links in later:
            for link in links:
                found = self._unit(link, unit)
                if found is None:
                    continue
                unit, unit_rule = found
                organ = self._organ(link, unit)
                tail = organ if organ is not None and link.title.department else unit
                out.append(RelationCandidate(link.title.label, person, tail, rule, title=self._written(link),
                                             unit_rule=unit_rule, span=(link.opens, link.span.start_char,
                                                                        link.span.end_char)))
        return out

    # -- pairing ------------------------------------------------------------------------------
    def _pair(self, person: Span, chains: dict[int, list[TitleLink]]) -> tuple[list[TitleLink], str]:
        chain = self._chain_ending(skip_back(self.text, person.start_char))
        if chain:
            return chain, "title_apposition"
        if self.text[person.start_char - 1:person.start_char] == "的":  # 现任应急管理局局长的陈某
            chain = self._chain_ending(person.start_char - 1)
            if chain:
                return chain, "title_attribute"
        text = self.text
        if text[person.start_char - 1:person.start_char] == "、":
            before = [p for p in chains if self._roster_neighbour(p, person)]
            if before:
                return chains[before[-1]], "roster"
        after = skip_title_tail(text, person.end_char)
        if after < len(text) and text[after] in "（(":
            chain = self._chain_from(after + 1, allow_unit=True)
            if chain:
                return chain, "bracket"
        chain = self._chain_from(person.end_char)
        if chain and chain[0].explicit is None:
            return chain, "name_title"
        m = self.appointment.match(text, person.end_char)
        if m:
            chain = self._chain_from(m.end(), allow_unit=True)
            if chain:
                return chain, "appointment"
        chain = self._subject_appointment(person)
        if chain:
            return chain, "subject_appointment"
        if text[person.end_char:person.end_char + 1] in "，,":  # 买某，岚州文旅集团总经理 (not 买某，县长李某)
            chain = self._chain_from(person.end_char + 1, allow_unit=True)
            after = skip_title_tail(text, chain[-1].span.end_char) if chain else 0
            if chain and chain[0].explicit is not None and not any(p.start_char == after for p in self.persons):
                return chain, "apposition"
        return [], ""

    def _possessive(self, person: Span) -> list[TitleLink]:
        """Posts named as the person's (免去余功斌同志的鞍山市委书记、常委职务; 免去某某同志中共某区委副书记的职务):
        同志的, 同志 or 的, the chain, then (的)职务."""
        m = self.status_cues.possessive_pattern.match(self.text, person.end_char)
        if m is None:
            return []
        chain = self._chain_from(m.end(), allow_unit=True)
        ok = chain and self.text.startswith(self.status_cues.possessive_after, chain[-1].span.end_char)
        return [replace(link, opens=m.end()) for link in chain] if ok else []

    def _continued(self, chain: list[TitleLink]) -> list[TitleLink]:
        """The same person's next posts in a notice, after a post given by a verb or named as theirs
        (王某同志任市委书记，不再担任市长职务; …副书记，并提名为市长候选人，免去其…职务)."""
        out: list[TitleLink] = []
        end = chain[-1].span.end_char
        while m := self.status_cues.continuation_pattern.match(self.text, end):
            more = self._chain_from(m.end(), allow_unit=True)
            after = skip_title_tail(self.text, more[-1].span.end_char) if more else 0
            if not more or any(p.start_char == after for p in self.persons):
                break
            out += [replace(link, opens=m.end()) for link in more]
            end = more[-1].span.end_char
        return out

    def _subject_appointment(self, person: Span) -> list[TitleLink]:
        """A post the sentence's subject takes up later in it (张某是…能手，去年当选为村党支部书记): an
        appointment verb of two or more characters within 30 characters, no other person between, and
        no name after the post."""
        _, sent_end = sentence_bounds(self.doc, person.start_char)
        window = self.text[person.end_char:min(sent_end, person.end_char + 30)]
        m = next((m for m in self.subject_verbs.finditer(window)), None)
        if m is None or any(person.end_char < p.start_char < person.end_char + m.start() for p in self.persons):
            return []
        chain = self._chain_from(person.end_char + m.end(), allow_unit=True)
        after = skip_title_tail(self.text, chain[-1].span.end_char) if chain else 0
        return [] if any(p.start_char == after for p in self.persons) else chain

    def _roster_neighbour(self, previous_start: int, person: Span) -> bool:
        """The name before ``person`` in a 、-list is the one starting at ``previous_start``."""
        gap = self.text[previous_start:person.start_char - 1]
        return 2 <= len(gap) <= 12 and not re.search(f"[^{HAN}·\u3000 ]", gap)

    def _chain_ending(self, end: int) -> list[TitleLink]:
        """Titles joined by 、 that end at ``end``, each with the unit written before it."""
        chain: list[TitleLink] = []
        while (span := self.titles_by_end.get(end)) is not None:
            link = self._link(span)
            chain.insert(0, link)
            start = link.explicit.start if link.explicit is not None else span.start_char
            joint = _CHAIN_JOINT.search(self.text, max(0, start - 4), start) or (
                _UNSEEN_UNIT.search(self.text, max(0, start - 9), start) if self._hidden_unit(link) else None)
            if joint is None:
                break
            end = joint.start()
        return chain

    def _chain_from(self, start: int, allow_unit: bool = False) -> list[TitleLink]:
        """Titles joined by 、 that start at ``start`` (after a unit when ``allow_unit``)."""
        chain: list[TitleLink] = []
        pos = start
        while True:
            span = self.titles.get(pos)
            unit_end = pos
            while span is None and (allow_unit or chain) and (
                    unit := next((u for u in self.units.units if u.start == unit_end and u.span is not None), None)):
                span = next((t for t in self.titles.values() if unit.start < t.start_char <= unit.end), None)
                unit_end = unit.end
            if span is None:
                return chain
            chain.append(self._link(span))
            pos = span.end_char
            joint = re.match(r"[（(]兼[）)]|、", self.text[pos:pos + 3])
            if joint is None:
                return chain
            pos += joint.end()

    def _link(self, span: Span) -> TitleLink:
        title = self.grammar.parse(span.text)
        assert title is not None
        explicit = None
        if title.level:
            explicit = self.units.covering_end(span.start_char, span.start_char + len(title.level))
        explicit = explicit or self.units.adjacent(span.start_char)
        if explicit is None and not title.level:
            explicit = self.units.before_section(span.start_char)
        return TitleLink(span, title, explicit)

    def _written(self, link: TitleLink) -> str:
        """The title as written, less a level word its unit's name ends with when the rest is a title
        (平江县 + 县长, not 县县长; 鞍山市 + 市委书记 keeps its 市)."""
        start, end = link.span.start_char, link.span.end_char
        if link.explicit is not None and start < link.explicit.end \
                and self.grammar.parse(self.text[link.explicit.end:end]) is not None:  # not 鞍山市 + 委书记
            start = link.explicit.end
        return self.text[start:end]

    def _hidden_unit(self, link: TitleLink) -> bool:
        """Han text glued to a title that is no unit, title or opener: a unit name the NER missed."""
        start = link.span.start_char
        if link.explicit is not None or link.title.level or start == 0 or not is_han(self.text[start - 1]):
            return False
        if self.titles_by_end.get(start) is not None or self.text.endswith(self.grammar.openers, 0, start):
            return False
        return not any(p.end_char == start for p in self.persons)

    def _enumerated_before(self, person: Span, chain: list[TitleLink], resolved: dict[int, tuple[int, Span]]):
        """The last unit of the person listed right before this title chain (…郑远德,副总经理张剑刚)."""
        first = chain[0]
        start = first.explicit.start if first.explicit is not None else first.span.start_char
        sent_start, _ = sentence_bounds(self.doc, start)
        for person_end, unit in reversed(list(resolved.values())):
            if sent_start <= person_end <= start and _ENUMERATION_GAP.match(self.text[person_end:start]):
                return unit
        return None

    # -- units --------------------------------------------------------------------------------
    def _unit(self, link: TitleLink, inherited: Span | None) -> tuple[Span, str] | None:
        title = link.title
        if link.explicit is not None and link.explicit.span is not None:
            return link.explicit.span, "explicit_unit"
        if title.level and not self._glued_level(link):
            return self.units.find_level(title.level, link.span.start_char)
        if inherited is not None and self._fits(title, inherited):
            return inherited, "chain_unit"
        specific = "any" not in title.kinds or bool(self.grammar.organ_levels.get(title.organ_kind))
        scope = "document" if specific else "paragraph" if title.organ else "sentence"
        return self.units.find(lambda u: self._fits_unit(title, u), link.span.start_char, scope)

    def _glued_level(self, link: TitleLink) -> bool:
        """A level character that ends an ordinary word (小区党支部书记): not a level."""
        start = link.span.start_char
        return start > 0 and self.text[start - 1:start + len(link.title.level)] in self.grammar.glued_levels

    def _fits(self, title: Title, span: Span) -> bool:
        """Whether an inherited unit can hold the title; a unit of unknown level and kind can."""
        unit = next((u for u in self.units.units if u.span is span), None)
        return unit is None or (unit.level is None and unit.kind is None) or self._fits_unit(title, unit)

    def _fits_unit(self, title: Title, unit: Unit) -> bool:
        """Whether a unit can hold the title: its level or kind is one the post allows."""
        if unit.kind in self.grammar.organ_excludes.get(title.organ_kind, ()) or unit.kind == "media":
            return False
        levels = self.grammar.organ_levels.get(title.organ_kind)
        if levels:  # an organ only localities have (人大, 政府, 村委会)
            return unit.kind in (None, "committee") and unit.level in levels
        kinds = title.kinds
        if "any" in kinds:  # any body or division; not a place of no known level (a zone, 南北片区)
            return not unit.is_place or unit.level is not None
        return (unit.level in kinds) or (unit.kind in kinds)

    def _org_at(self, start: int, end: int) -> Span | None:
        if self._orgs is None:
            self._orgs = {(m.start_char, m.end_char): m for m in mentions(self.doc, "ORG")}
        return self._orgs.get((start, end))

    def _organ(self, link: TitleLink, place: Span) -> Span | None:
        """The organ a title names (宣传部 in 宣传部部长, 人大 in 县人大主任) as an ORG mention, to be named
        under its place (富平县委宣传部, 户县人大)."""
        title = link.title
        if title.organ_kind not in ORGAN_ORGS or (place.label_ != "PLACE" and place.id_ not in COMMITTEE_RULES):
            return None
        text = link.span.text
        start = link.span.start_char + (0 if title.level else text.index(title.organ))
        end = link.span.start_char + text.index(title.organ) + len(title.organ)
        span = add_mention(self.doc, start, end, "ORG", "title_organ") or self._org_at(start, end)
        if span is not None:
            self.units.organs[(start, end)] = (place, title.organ)
        return span


def skip_back(text: str, end: int) -> int:
    """Where the text before a name ends, past quotes, spaces and a (兼) note."""
    while end > 0 and text[end - 1] in " \u3000”\"":
        end -= 1
    m = re.search(r"[（(]兼[）)]$", text[max(0, end - 3):end])
    return end - len(m.group()) if m else end
