"""PROMOTES: who launches, proposes or carries out each initiative.

One actor per initiative mention, strongest rule first (:data:`RANKS`): the
proposer (市委提出…), the speaker of the quote, the owner right before the name,
an actor followed by a launch verb, reported speech, then weaker guesses in the
sentence, clause, document and paragraph. Actors after obliques (在, 与, 会见 …)
are never subjects; where the text names a proposer we do not know, nothing is
guessed. Initiatives cited from a higher level get no promoter. Cue words live
in ``resources/promotes.toml``.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import TypeVar

from spacy.tokens import Doc, Span

from ..doc import COMMITTEE_RULES, Actor, OwnUnit, RelationCandidate, mentions, sentence_bounds, text_of
from ..ner.initiatives import load_initiative_grammar
from ..ner.orgs import load_org_heads
from ..lexicon import CLAUSE_BREAKS, HAN, LEVEL_PREFIXES, load_lexicon, words_pattern

_ACTOR_LABELS = ("PERSON", "ORG", "PLACE")
_BREAKS = "，,；;：:。！？!?\n"
_CLAUSE_OPEN = re.compile(f"[{_BREAKS}]")
_NEXT_BREAK = re.compile(f"[{_BREAKS}]")
_TITLE_GAP = re.compile(r"的?《[^》]{0,6}")  # 县政府党组《关于审定…方案》: the title's owner
# A rule's answer that the text credits someone we do not know: no weaker rule may guess.
_NOBODY: tuple[None, str] = (None, "nobody")
_A = TypeVar("_A", bound=Actor)  # mentions, or mentions and own units
# Ranks of the PROMOTES rules, strongest first.
RANKS = {"proposer": 0, "quote_speaker": 1, "possessor": 2, "predicate_owner": 2, "actor_verb": 3, "fronted_subject": 3,
         "reported_speech": 4, "sentence_person": 5, "clause_subject": 6, "document_speaker": 7, "paragraph_topic": 8}


def promotes(doc: Doc) -> list[RelationCandidate]:
    """One candidate actor per initiative mention (none when the text credits nobody it names)."""
    finder = _Promoters(doc)
    out = []
    for initiative in mentions(doc, "INITIATIVE"):
        sent_start, _ = sentence_bounds(doc, initiative.start_char)
        lead = re.split(f"[{CLAUSE_BREAKS}]", text_of(doc)[sent_start:initiative.start_char])[-1]
        if load_lexicon().higher_level.search(lead):
            continue  # cited from a higher level, not launched here
        found = finder(initiative)
        if found is not None:
            head, rule = found
            out.append(RelationCandidate("PROMOTES", head, initiative, rule, rank=RANKS[rule]))
    return out


@dataclass(frozen=True)
class PromoteCues:
    """Cue words of PROMOTES, from ``resources/promotes.toml``."""

    data: dict

    def _words(self, name: str) -> str:
        return words_pattern(self.data[name])

    @cached_property
    def first_person(self) -> re.Pattern[str]:
        return re.compile(self._words("first_person"))

    @cached_property
    def owner_heads(self) -> tuple[str, ...]:
        return tuple(self.data["owner_heads"])

    @cached_property
    def launch(self) -> re.Pattern[str]:
        return re.compile(self._words("launch_verbs"))

    @cached_property
    def propose(self) -> re.Pattern[str]:
        return re.compile(self._words("propose_verbs"))

    @cached_property
    def oblique(self) -> re.Pattern[str]:
        """A marker, maybe with one prefix character (与驻区学校), right before an actor."""
        return re.compile(self._words("oblique_markers") + f"[{HAN}]?$")

    @cached_property
    def speech(self) -> re.Pattern[str]:
        return re.compile(self._words("speech_verbs"))

    @cached_property
    def predicate(self) -> re.Pattern[str]:
        """After a quoted name, the verb of a predicate naming its owner: “…”是(我县…举措)."""
        verbs = load_initiative_grammar().data["predicate_verbs"]
        return re.compile("[”’」』]?(?:" + "|".join(sorted(map(re.escape, verbs), key=len, reverse=True)) + ")")

    @cached_property
    def says(self) -> re.Pattern[str]:
        """After a speaker: (余功斌)在讲话中表示, (曾嵘)指出."""
        return re.compile(f"[^{_BREAKS}]{{0,10}}?" + self._words("speech_verbs"))

    @cached_property
    def other_speaker(self) -> re.Pattern[str]:
        """他说, 她表示; 会议强调, 会议审议了 (the meeting speaks for its convener)."""
        speech = self._words("speech_verbs")
        return re.compile(f"(?P<meeting>{self._words('meeting_words')})[^{_BREAKS}]{{0,4}}?"
                          f"(?:{speech}|{self._words('meeting_verbs')})|(?:他|她)[^{_BREAKS}]{{0,10}}?{speech}")

    @cached_property
    def meeting(self) -> re.Pattern[str]:
        return re.compile(self._words("meeting_words") + "$")

    @cached_property
    def convene(self) -> re.Pattern[str]:
        return re.compile(self._words("convene_verbs"))

    @cached_property
    def agent_subject(self) -> re.Pattern[str]:
        """A clause-initial subject the pipeline does not know: 各社区工作人员, 全市广大党员干部."""
        return re.compile(f"^[{HAN}、]{{0,10}}?{self._words('agent_nouns')}(?!的)")

    @cached_property
    def authored(self) -> re.Pattern[str]:
        """Between an author and 提出: its meeting or document (十三届五次全会, 《关于…的意见》)."""
        return re.compile(f"[^{_BREAKS}]{{0,40}}(?:{self._words('meeting_words')}|{self._words('document_words')})"
                          f"{self.data['adverbs']}")

    @cached_property
    def said_after_quote(self) -> re.Pattern[str]:
        """After a closing quote, within the sentence: (“…”，)他说."""
        return re.compile(r"[^。\n]{0,40}?" + load_lexicon().speech_verbs)

    @cached_property
    def fronting(self) -> re.Pattern[str]:
        """A clause opened by a fronting preposition, maybe after a time word and comma (同时，依托…)."""
        return re.compile(self._words("fronting_words"))

    @cached_property
    def adverbs(self) -> re.Pattern[str]:
        return re.compile(self.data["adverbs"] + "$")

    @cached_property
    def level_author(self) -> re.Pattern[str]:
        """市第十三次党代会, 县委十四届九次全会, 市政府工作报告: a meeting or report of the unit of a level."""
        levels = LEVEL_PREFIXES.replace("省", "")  # a province's meeting is a higher level's
        return re.compile(f"^(?:中共)?(?P<level>[{levels}])(?:委|政府|人大|政协|党委)?[^{_BREAKS}]{{0,16}}"
                          f"(?:{self._words('meeting_words')}|{self._words('document_words')})$")

    @cached_property
    def unknown_proposer(self) -> re.Pattern[str]:
        """A proposer we do not know: people, meetings, documents, organisations by their head noun."""
        heads = [*self.data["agent_nouns"], *self.data["meeting_words"], *self.data["document_words"],
                 *load_org_heads().strong]
        return re.compile("(?:" + "|".join(sorted(map(re.escape, heads), key=len, reverse=True)) + ")$")


@cache
def load_promote_cues() -> PromoteCues:
    """The PROMOTES cue words shipped in the package (read once per process)."""
    path = resources.files("pipeline").joinpath("resources/promotes.toml")
    return PromoteCues(tomllib.loads(path.read_text(encoding="utf-8")))


class _Promoters:
    """Who launches or proposes each initiative of one document, strongest evidence first.

    A proposer (市委提出) beats the speaker whose words cite it; then come the speaker of a
    quote, the owner right before the name (市委“…”), the owner a predicate names (“…”是我县…举措),
    an actor followed by a launch verb, the speaker of reported speech in the sentence or
    paragraph (他说; 会议强调 speaks for the meeting's convener), a person earlier in the
    sentence, the clause subject, the document's speaker, the subject of an earlier sentence of
    the paragraph. A proposer the text names but we do not know (专家提出) credits nobody; an
    unknown clause subject (各社区工作人员围绕…) stops the guesses except the document's speaker.
    """

    def __init__(self, doc: Doc):
        self.doc, self.text, self.cues = doc, text_of(doc), load_promote_cues()
        media = load_org_heads().media
        actors = [m for m in mentions(doc) if m.label_ in _ACTOR_LABELS and not m.text.endswith(media)]
        self.actors: list[Actor] = sorted([*actors, *_self_units(doc)], key=lambda s: s.start_char)
        self.persons = mentions(doc, "PERSON")

    @cached_property
    def speaker(self) -> Span | None:
        return document_speaker(self.doc, self.cues)

    @cached_property
    def convener(self) -> Actor | None:
        """The actor that convenes the article's meeting: 县委书记陆晓延主持召开…, X党委召开…会议."""
        for m in self.cues.convene.finditer(self.text):
            found = self._subjects(_clause_start(self.text, m.start()), m.start())
            if found:
                return found[-1]
        return None

    def __call__(self, initiative: Span) -> tuple[Actor, str] | None:
        sent_start, _ = sentence_bounds(self.doc, initiative.start_char)
        before = [a for a in self._subjects(sent_start, initiative.start_char) if not _overlaps(a, initiative)]
        for rule in (self._proposer, self._quoted, self._possessor, self._predicate_owner, self._actor_verb,
                     self._fronted_subject, self._reported, self._sentence_person):
            found = rule(initiative, before)
            if found is not None:
                actor, how = found
                return None if actor is None else (actor, how)  # no actor: _NOBODY, a proposer we do not know
        unknown_subject = self._unknown_subject(initiative)
        subject = None if unknown_subject else self._clause_subject(before, sent_start)
        if subject is not None:
            return subject, "clause_subject"
        if self.speaker is not None:
            return self.speaker, "document_speaker"
        return None if unknown_subject else self._paragraph_topic(sent_start)

    # -- the rules, strongest first ----------------------------------------------------------
    def _proposer(self, initiative: Span, before: list[Actor]) -> tuple[Actor | None, str] | None:
        """市委(十三届五次全会)提出“…”, even inside a speech; 市第十三次党代会提出 → the city's unit.

        A proposer the text names but we do not know (专家提出, 会议提出 with no convener) credits nobody.
        """
        clause_start = _clause_start(self.text, initiative.start_char)
        verbs = list(self.cues.propose.finditer(self.text, clause_start, initiative.start_char))
        if not verbs:
            return None
        at = verbs[-1].start()
        authors = [a for a in before if clause_start <= a.start_char and a.end_char <= at and (
            at - a.end_char <= 6 or self.cues.authored.fullmatch(self.text, a.end_char, at))]
        if authors:
            return authors[-1], "proposer"
        slot = self.cues.adverbs.sub("", self.text[clause_start:at])
        level = self.cues.level_author.match(slot)
        if level is not None:
            unit = OwnUnit.at(self.doc, clause_start + level.start("level"), clause_start + level.end("level"),
                              level["level"])
            return (unit, "proposer") if unit is not None else None
        if self.cues.meeting.search(slot):
            return self._by_convener()
        return _NOBODY if self.cues.unknown_proposer.search(slot) else None

    def _quoted(self, initiative: Span, before: list[Actor]) -> tuple[Actor, str] | None:
        """The person whose quoted speech holds the initiative (…说：“…”, “…”…说)."""
        text = self.text
        opening = text.rfind("“", max(0, initiative.start_char - 2000), initiative.start_char)
        if opening < 0 or text.rfind("”", opening, initiative.start_char) >= 0:
            return None
        closing = text.find("”", initiative.end_char, initiative.end_char + 2000)
        if closing < 0 or not (re.search(r"[:：]\s*$", text[max(0, opening - 3):opening])
                               or self.cues.said_after_quote.match(text[closing + 1:closing + 60])):
            return None
        lead = [p for p in self._within(self.persons, max(0, opening - 30), opening)
                if not re.search(r"[。\n]", text[p.end_char:opening])]
        if lead:
            return lead[-1], "quote_speaker"
        trail = [p for p in self._within(self.persons, closing + 1, closing + 50)
                 if p.start_char <= closing + 40 and not re.search(r"[。\n]", text[closing + 1:p.start_char])]
        return (trail[0], "quote_speaker") if trail else None

    def _possessor(self, initiative: Span, before: list[Actor]) -> tuple[Actor, str] | None:
        """市委“1+11868”工作体系, 县政府党组《关于审定…方案》: the owner written right before."""
        for actor in before:
            gap = self.text[actor.end_char:initiative.start_char]
            if (gap.strip("的") == "" or _TITLE_GAP.fullmatch(gap)) and _can_own(actor, self.cues):
                return actor, "possessor"
        return None

    def _predicate_owner(self, initiative: Span, before: list[Actor]) -> tuple[Actor, str] | None:
        """“五联共建”是我县抓党建促发展的重要举措: the actor the predicate names."""
        if self.text[_clause_start(self.text, initiative.start_char):initiative.start_char].strip("“”‘’「」『』"):
            return None
        m = self.cues.predicate.match(self.text, initiative.end_char)
        if m is None:
            return None
        owner = next((a for a in self._within(self.actors, m.end(), m.end() + 30)
                      if a.start_char == m.end() and a.label_ != "PERSON"), None)
        return (owner, "predicate_owner") if owner is not None else None

    def _actor_verb(self, initiative: Span, before: list[Actor]) -> tuple[Actor, str] | None:
        for actor in reversed(before):
            gap = self.text[actor.end_char:actor.end_char + 6]
            verb = self.cues.launch.search(gap)
            if verb and not re.search(f"[{_BREAKS}]", gap[:verb.start()]):
                return actor, "actor_verb"
        return None

    def _fronted_subject(self, initiative: Span, before: list[Actor]) -> tuple[Actor, str] | None:
        """依托《…导则》，朝阳区系统构建…: the subject opening the clause after a fronted one."""
        clause_start = _clause_start(self.text, initiative.start_char)
        if not self.cues.fronting.match(self.text, clause_start):
            return None
        comma = _NEXT_BREAK.search(self.text, initiative.end_char, initiative.end_char + 60)
        if comma is None or comma[0] not in "，,":
            return None
        end = comma.start()
        _, sent_end = sentence_bounds(self.doc, initiative.start_char)
        after = self._subjects(end + 1, min(sent_end, end + 30))
        if not after or after[0].start_char - (end + 1) > 2 or after[0].label_ == "TITLE":
            return None
        return _chain_end(after[0], after), "fronted_subject"

    def _reported(self, initiative: Span, before: list[Actor]) -> tuple[Actor | None, str] | None:
        """The speaker of reported speech: in the sentence (余功斌表示, 他说), else of the paragraph."""
        sent_start, _ = sentence_bounds(self.doc, initiative.start_char)
        found = self._speech_in(sent_start, initiative.start_char, anywhere=True)
        if found is not None:
            return found
        para_start = self.text.rfind("\n", 0, initiative.start_char) + 1
        if para_start < sent_start:
            first_end = sentence_bounds(self.doc, para_start)[1]
            return self._speech_in(para_start, min(first_end, sent_start), anywhere=False)
        return None

    def _sentence_person(self, initiative: Span, before: list[Actor]) -> tuple[Actor, str] | None:
        persons = [a for a in before if a.label_ == "PERSON"]
        return (persons[-1], "sentence_person") if persons else None

    def _clause_subject(self, before: list[Actor], sent_start: int) -> Actor | None:
        """The first actor opening a clause of the sentence (a lead of at most 4 characters, no verb); of a
        chain of units written together, the last."""
        for actor in before:
            lead = re.split(f"[{CLAUSE_BREAKS}]", self.text[sent_start:actor.start_char])[-1].strip()
            if len(lead) <= 4 and actor.label_ != "TITLE" and not self.cues.launch.search(lead):
                return _chain_end(actor, before)
        return None

    def _paragraph_topic(self, sent_start: int) -> tuple[Actor, str] | None:
        """A sentence without a subject continues the topic of the paragraph's previous sentences."""
        para_start = self.text.rfind("\n", 0, sent_start) + 1
        end = sent_start
        for _ in range(3):
            if end <= para_start:
                break
            start = max(sentence_bounds(self.doc, end - 1)[0], para_start)
            subject = self._clause_subject(self._subjects(start, end), start)
            if subject is not None:
                return subject, "paragraph_topic"
            end = start
        return None

    # -- helpers -----------------------------------------------------------------------------
    def _by_convener(self) -> tuple[Actor | None, str]:
        """The meeting speaks (会议强调, 全会提出) for its convener; with none known, for nobody."""
        return (self.convener, "reported_speech") if self.convener is not None else _NOBODY

    def _subjects(self, start: int, end: int) -> list[Actor]:
        """Actors in [start, end) that can be a subject: outermost, and not after 在/与/对 … (obliques)."""
        inside = self._within(self.actors, start, end)
        outer = [a for a in inside if not _nested(a, inside)]
        return [a for a in outer if not self._oblique(a, outer)]

    def _oblique(self, actor: Actor, actors: list[Actor]) -> bool:
        """在体育馆路街道法华南里社区: a marker before the actor or before the chain of units it ends."""
        at = actor.start_char
        while (prev := next((a for a in actors if a.end_char == at), None)) is not None:
            at = prev.start_char
        return bool(self.cues.oblique.search(self.text[max(0, at - 3):at]))

    def _speech_in(self, start: int, end: int, anywhere: bool) -> tuple[Actor | None, str] | None:
        """Reported speech opening text[start:end] (anywhere in it, or at its start): a person, 他/她 or
        the meeting, then a speech verb."""
        opening = end if anywhere else min(end, start + 8)
        for person in self._within(self.persons, start, end):
            if person.start_char < opening and self.cues.says.match(self.text, person.end_char, end):
                return person, "reported_speech"
        m = self.cues.other_speaker.search(self.text, start, end)
        if m is None or m.start() >= opening:
            return None
        if m["meeting"]:
            return self._by_convener()
        earlier = self._within(self.persons, 0, m.start())
        return (earlier[-1], "reported_speech") if earlier else None

    @staticmethod
    def _within(spans: list[_A], start: int, end: int) -> list[_A]:
        """The spans (sorted by start) that lie in [start, end)."""
        i = bisect.bisect_left(spans, start, key=lambda s: s.start_char)
        j = bisect.bisect_left(spans, end, key=lambda s: s.start_char)
        return [s for s in spans[i:j] if s.end_char <= end]

    def _unknown_subject(self, initiative: Span) -> bool:
        """The clause opens with a subject we do not know (各社区工作人员); 莲塘社区社工团队 is known by its owner."""
        start = _clause_start(self.text, initiative.start_char)
        clause = self.text[start:initiative.start_char]
        m = self.cues.agent_subject.match(clause)
        if m is None or self.cues.speech.match(clause):
            return False
        return not any(start <= a.start_char < start + m.end() for a in self.actors)


def _clause_start(text: str, at: int) -> int:
    """Start of the clause holding ``at``: after the last comma, colon, semicolon or sentence end."""
    last = None
    for last in _CLAUSE_OPEN.finditer(text, max(0, at - 200), at):  # noqa: B007 - the loop keeps the last match
        pass
    return last.end() if last is not None else max(0, at - 200)


def _chain_end(actor: Actor, actors: list[Actor]) -> Actor:
    """The last of the units written together from ``actor`` on (天津市河北区 → 河北区)."""
    while (inner := next((a for a in actors if a.start_char == actor.end_char), None)) is not None:
        actor = inner
    return actor


def _self_units(doc: Doc) -> list[OwnUnit]:
    """我市 / 全县 / 本镇 as actors standing for the document's own unit."""
    units = (OwnUnit.at(doc, m.start(), m.end(), m[2]) for m in load_lexicon().self_unit.finditer(text_of(doc)))
    return [unit for unit in units if unit is not None]


def _can_own(actor: Actor, cues: PromoteCues) -> bool:
    """Who can be the owner in 市委“1+11868”工作体系: persons, places, party and government bodies."""
    return actor.label_ != "ORG" or actor.id_ in COMMITTEE_RULES or actor.text.endswith(cues.owner_heads)


def _nested(span: Actor, others: list[Actor]) -> bool:
    """安宁市 inside 中共安宁市委: the outer mention is the actor."""
    return any(o.start_char <= span.start_char and span.end_char <= o.end_char and len(o) > len(span) for o in others)


def _overlaps(a: Actor, b: Span) -> bool:
    return a.start_char < b.end_char and b.start_char < a.end_char


def document_speaker(doc: Doc, cues: PromoteCues) -> Span | None:
    """The interviewee or the author of a first-person article or speech, if any."""
    if len(cues.first_person.findall(text_of(doc))) < 2:
        return None
    persons = mentions(doc, "PERSON")
    speakers = [p for p in persons if p.id_ == "speaker_line"]
    if speakers:
        counts: dict[str, int] = {}
        for p in speakers:
            counts[p.text] = counts.get(p.text, 0) + 1
        best = max(counts, key=counts.__getitem__)
        return next(p for p in speakers if p.text == best)
    for p in persons:
        line_start = text_of(doc).rfind("\n", 0, p.start_char) + 1
        line_end = text_of(doc).find("\n", p.end_char)
        line = text_of(doc)[line_start:line_end if line_end >= 0 else len(text_of(doc))].strip()
        if p.id_ == "title_name" and len(line) <= 40 and line_start < len(text_of(doc)) * 0.3 \
                and line.endswith(p.text):
            return p
    return None
