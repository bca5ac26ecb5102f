"""Relation rules over mentions: positions from title appositions, PROMOTES from who launches
what, LOCATED_IN from adjacent units. Each candidate keeps the rule that fired; the
resolver turns mentions into entities and keeps the strongest actor per initiative.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from .doc import COMMITTEE_RULES, RelationCandidate, mentions, register_extensions, sentence_bounds, text_of
from .ner.orgs import load_org_heads
from .positions import PositionRules
from .ner.lexicon import (
    CLAUSE_BREAKS,
    HIGHER_LEVEL,
    SELF_UNIT,
    SPEECH_VERBS,
)

_ACTOR_LABELS = ("PERSON", "ORG", "PLACE")
_PROPOSE = re.compile(r"提出|确定|推出|实施|开展|部署|建立|推行|印发|创新|启动|打造|出台|制定|发起|探索|固化|落实|推进|推广|擦亮|唱响|组织")
_FIRST_PERSON = re.compile(r"我们|本人|我[市县区镇乡]|我街道|我强调|我认为|我将")
# Organisations located where their name says: schools, companies, hospitals (not a place's own organs).
_LOCATED_HEADS = ("学校", "小学", "中学", "大学", "学院", "幼儿园", "医院", "卫生院", "公司", "集团", "合作社")
# Ranks of the PROMOTES rules, strongest first.
RANKS = {"quote_speaker": 0, "possessor": 1, "actor_verb": 2, "sentence_person": 3,
         "clause_subject": 4, "document_speaker": 5, "document_focus": 6}


class RelationRules:
    """Adds relation candidates to ``doc._.relations``."""

    def __call__(self, doc: Doc) -> Doc:
        relations: list[RelationCandidate] = []
        relations += self.positions(doc)
        relations += self.located_in(doc)
        relations += self.promotes(doc)
        doc._.relations = relations
        return doc

    # -- positions --------------------------------------------------------------------------
    def positions(self, doc: Doc) -> list[RelationCandidate]:
        return PositionRules(doc)()

    # -- located in ---------------------------------------------------------------------------
    def located_in(self, doc: Doc) -> list[RelationCandidate]:
        """Adjacent units name a chain: 滨城区秦皇台乡朝阳新村, 邹平市魏桥实验学校."""
        out = []
        places = mentions(doc, "PLACE")
        by_end = {p.end_char: p for p in places}
        for child in places:
            parent = by_end.get(child.start_char)
            if parent is not None:
                out.append(RelationCandidate("LOCATED_IN", child, parent, "adjacent_units"))
        for org in mentions(doc, "ORG"):
            if org.id_ != "org_head" or not org.text.endswith(_LOCATED_HEADS):
                continue
            inner = [p for p in places if p.start_char == org.start_char and p.end_char < org.end_char
                     and p.id_ != "gazetteer_short"]
            if inner and inner[0].text.endswith(("县", "区", "市", "旗", "镇", "乡", "街道", "村", "社区")):
                out.append(RelationCandidate("LOCATED_IN", org, inner[0], "unit_prefix"))
        return out

    # -- promotes -------------------------------------------------------------------------------
    def promotes(self, doc: Doc) -> list[RelationCandidate]:
        media = load_org_heads().media
        actors = [m for m in mentions(doc) if m.label_ in _ACTOR_LABELS and not m.text.endswith(media)]
        actors += _self_units(doc)
        actors.sort(key=lambda s: s.start_char)
        speaker = document_speaker(doc)
        out = []
        for initiative in mentions(doc, "INITIATIVE"):
            sent_start, _ = sentence_bounds(doc, initiative.start_char)
            lead = re.split(f"[{CLAUSE_BREAKS}]", text_of(doc)[sent_start:initiative.start_char])[-1]
            if HIGHER_LEVEL.search(lead):
                continue  # cited from a higher level, not launched here
            found = self._actor(doc, initiative, actors)
            if found is None and speaker is not None:
                found = (speaker, "document_speaker")
            if found is None:
                found = (Span(doc, initiative.start, initiative.start, label="FOCUS"), "document_focus")
            head, rule = found
            out.append(RelationCandidate("PROMOTES", head, initiative, rule, rank=RANKS[rule]))
        return out

    def _actor(self, doc: Doc, initiative: Span, actors: list[Span]) -> tuple[Span, str] | None:
        text = text_of(doc)
        speaker = _quote_speaker(doc, initiative)
        if speaker is not None:
            return speaker, "quote_speaker"
        sent_start, _ = sentence_bounds(doc, initiative.start_char)
        before = [a for a in actors if sent_start <= a.start_char and a.end_char <= initiative.start_char
                  and not _overlaps(a, initiative) and not _nested(a, actors)]
        for actor in before:
            if text[actor.end_char:initiative.start_char].strip("的") == "" and _can_own(actor):
                return actor, "possessor"
        for actor in reversed(before):
            gap = text[actor.end_char:actor.end_char + 6]
            if _PROPOSE.search(gap[:6]) and not re.search(f"[{CLAUSE_BREAKS}。]", gap[:_PROPOSE.search(gap).start()]):
                return actor, "actor_verb"
        persons = [a for a in before if a.label_ == "PERSON"]
        if persons:
            return persons[-1], "sentence_person"
        for actor in before:
            lead = text[sent_start:actor.start_char]
            clause_lead = re.split(f"[{CLAUSE_BREAKS}]", lead)[-1]
            if len(clause_lead.strip()) <= 4 and actor.label_ != "TITLE":
                return actor, "clause_subject"
        return None


def _quote_speaker(doc: Doc, initiative: Span) -> Span | None:
    """The person whose reported speech contains the initiative (…说：“…”, “…”…说)."""
    text = text_of(doc)
    opening = text.rfind("“", 0, initiative.start_char)
    if opening < 0 or text.rfind("”", opening, initiative.start_char) >= 0:
        return None
    closing = text.find("”", initiative.end_char)
    if closing < 0:
        return None
    if not (re.search(r"[:：]\s*$", text[max(0, opening - 3):opening]) or
            re.match(r"[^。\n]{0,40}?" + SPEECH_VERBS, text[closing + 1:closing + 60])):
        return None
    persons = mentions(doc, "PERSON")
    lead = [p for p in persons if opening - 30 <= p.start_char < opening
            and not re.search(r"[。\n]", text[p.end_char:opening])]
    if lead:
        return lead[-1]
    trail = [p for p in persons if closing < p.start_char <= closing + 40
             and not re.search(r"[。\n]", text[closing + 1:p.start_char])]
    return trail[0] if trail else None


def _self_units(doc: Doc) -> list[Span]:
    """我市 / 全县 / 本镇 as actors standing for the document's own unit."""
    spans = []
    for m in SELF_UNIT.finditer(text_of(doc)):
        span = doc.char_span(m.start(), m.end(), label="SELF_" + m[2], alignment_mode="expand")
        if span is not None:
            spans.append(span)
    return spans


def _can_own(actor: Span) -> bool:
    """Who can be the owner in 市委“1+11868”工作体系: persons, places, party and government bodies."""
    return actor.label_ != "ORG" or actor.id_ in COMMITTEE_RULES or actor.text.endswith(("委", "政府", "党委", "党工委"))


def _nested(span: Span, others: list[Span]) -> bool:
    """安宁市 inside 中共安宁市委: the outer mention is the actor."""
    return any(o.start_char <= span.start_char and span.end_char <= o.end_char and len(o) > len(span) for o in others)


def _overlaps(a: Span, b: Span) -> bool:
    return a.start_char < b.end_char and b.start_char < a.end_char


def document_speaker(doc: Doc) -> Span | None:
    """The interviewee or the author of a first-person article or speech, if any."""
    if len(_FIRST_PERSON.findall(text_of(doc))) < 2:
        return None
    persons = mentions(doc, "PERSON")
    speakers = [p for p in persons if p.id_ == "speaker_line"]
    if speakers:
        counts: dict[str, int] = {}
        for p in speakers:
            counts[p.text] = counts.get(p.text, 0) + 1
        best = max(counts, key=counts.get)
        return next(p for p in speakers if p.text == best)
    for p in persons:
        line_start = text_of(doc).rfind("\n", 0, p.start_char) + 1
        line_end = text_of(doc).find("\n", p.end_char)
        line = text_of(doc)[line_start:line_end if line_end >= 0 else len(text_of(doc))].strip()
        if p.id_ == "title_name" and len(line) <= 40 and line_start < len(text_of(doc)) * 0.3 \
                and line.endswith(p.text):
            return p
    return None


@Language.factory("cadregraph_relation_rules_v1", assigns=["doc._.relations"], requires=["doc.spans", "doc._.units"])
def make_relation_rules(nlp: Language, name: str) -> RelationRules:
    register_extensions()
    return RelationRules()
