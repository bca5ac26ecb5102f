"""The status of a post from the wording around it: appointed, nominated, acting, former, removed or current.

A post is read as ``[clause verb …][marker][unit][title chain][职务]``. The clause runs back from the
chain to the nearest clause mark (，；。：！？ or a line break); its verb nearest the chain, within
``max_gap`` characters, says what happens to the post (任 → appointed, 免去 → removed, 曾任 → former, 担任 →
current); a marker right before the chain (原, 前任, 代理, 新任) says what the post is; the title itself
can say it too (代县长 → acting, 市长候选人 → nominated). Verbs inside a name or a title (任志强, 主任) are
not verbs. Cue words: ``pipeline/resources/status.toml``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import get_args

from ..lexicon import HAN, words_pattern
from ..schema import PostStatus

STATUSES: tuple[PostStatus, ...] = get_args(PostStatus)
# When one post is read more than once in a document (任县委书记 …, later 县委书记某某), the first status of this
# order wins: what happens to a post (removed, appointed, nominated) over what it is.
PRECEDENCE: tuple[PostStatus, ...] = ("removed", "appointed", "nominated", "acting", "former", "current")
_CLAUSE_MARKS = "，,；;。：:！!？?\n"


@dataclass(frozen=True)
class StatusCues:
    """Cue words of ``resources/status.toml``."""

    verbs: dict[str, tuple[str, ...]]  # status → verbs
    markers: dict[str, tuple[str, ...]]  # status → words right before the chain
    glued_name: int  # at most this many characters of an unrecognised unit name between a marker and a title
    glued_after: tuple[str, ...]  # what may stand before a one-character or a glued marker (else it opens a clause)
    not_after: frozenset[str]  # characters that make a following 任 part of a word (主任)
    not_before: frozenset[str]  # characters that make a preceding 任 part of a word (任务)
    max_gap: int
    before_clause: str  # a sentence part whose later clauses are earlier in time (在担任县长之前，)
    continuation_joints: tuple[str, ...]
    continuation_adverbs: tuple[str, ...]
    continuation_verbs: tuple[str, ...]
    possessive_between: tuple[str, ...]
    possessive_after: tuple[str, ...]
    acting_modifiers: tuple[str, ...]  # 代县长, 代理市长
    nominee_suffix: str  # 县长候选人

    @classmethod
    def from_toml(cls, data: dict) -> StatusCues:
        guard = data["single_verb_guard"]
        continuation, possessive = data["continuation"], data["possessive"]
        return cls(
            verbs={k: tuple(v) for k, v in data["verbs"].items()},
            markers={k: tuple(v) for k, v in data["markers"].items()},
            glued_name=data["glued_markers"]["max_name"], glued_after=tuple(data["glued_markers"]["after"]),
            not_after=frozenset(guard["not_after"]), not_before=frozenset(guard["not_before"]),
            max_gap=data["clause"]["max_gap"], before_clause=data["before_clause"]["pattern"],
            continuation_joints=tuple(continuation["joints"]), continuation_adverbs=tuple(continuation["adverbs"]),
            continuation_verbs=tuple(continuation["verbs"]),
            possessive_between=tuple(possessive["between"]), possessive_after=tuple(possessive["after"]),
            acting_modifiers=tuple(data["title_words"]["acting_modifiers"]),
            nominee_suffix=data["title_words"]["nominee_suffix"],
        )

    @cached_property
    def verb_status(self) -> dict[str, str]:
        return {verb: status for status, verbs in self.verbs.items() for verb in verbs}

    @cached_property
    def verb_pattern(self) -> re.Pattern[str]:
        return re.compile(words_pattern(self.verb_status))

    @cached_property
    def marker_pattern(self) -> re.Pattern[str]:
        words = {w: s for s, ws in self.markers.items() for w in ws}
        return re.compile(f"(?:{words_pattern(words)})$")

    @cached_property
    def glued_marker_pattern(self) -> re.Pattern[str]:
        words = {w for ws in self.markers.values() for w in ws}
        return re.compile(f"(?:{words_pattern(words)})[{HAN}]{{1,{self.glued_name}}}$")

    def glued_marker(self, text: str, clause: int, chain_start: int) -> str | None:
        """A marker before an unrecognised unit name glued to a title with a level (原 in 原平江县委书记)."""
        m = self.glued_marker_pattern.search(text, max(clause, chain_start - self.glued_name - 3), chain_start)
        if m is None or not self.opens(text, clause, m.start()):
            return None
        return next(w for w in sorted(self.marker_status, key=len, reverse=True) if text.startswith(w, m.start()))

    def opens(self, text: str, clause: int, at: int) -> bool:
        """Whether a marker at ``at`` opens its clause or follows a word that may stand before it."""
        return at == clause or text.endswith(self.glued_after, 0, at)

    @cached_property
    def marker_status(self) -> dict[str, str]:
        return {w: s for s, ws in self.markers.items() for w in ws}

    @cached_property
    def before_pattern(self) -> re.Pattern[str]:
        return re.compile(self.before_clause)

    @cached_property
    def continuation_pattern(self) -> re.Pattern[str]:
        """What joins a post of a notice to the same person's next one: ，并提名为 / ，不再担任 / ，免去其."""
        joints, adverbs = words_pattern(self.continuation_joints), words_pattern(self.continuation_adverbs)
        return re.compile(f"(?:{words_pattern(self.possessive_after)})?(?:{joints})?(?:{adverbs})?"
                          f"(?:{words_pattern(self.continuation_verbs)})")

    @cached_property
    def possessive_pattern(self) -> re.Pattern[str]:
        return re.compile(words_pattern(self.possessive_between))

    def single_verb(self, text: str, start: int, end: int) -> bool:
        """Whether a one-character verb at ``start`` stands alone (任 in 王某任县长, not 主任 or 任务)."""
        if end - start != 1:
            return True
        before = text[start - 1] if start > 0 else ""
        after = text[end] if end < len(text) else ""
        return before not in self.not_after and after not in self.not_before


@cache
def load_status_cues() -> StatusCues:
    """The cues shipped in ``pipeline/resources/status.toml`` (read once per process)."""
    text = resources.files("pipeline").joinpath("resources/status.toml").read_text(encoding="utf-8")
    return StatusCues.from_toml(tomllib.loads(text))


def clause_start(text: str, sentence_start: int, at: int) -> int:
    """Where the clause holding ``at`` begins: after the last clause mark between the sentence start and it."""
    for i in range(at - 1, sentence_start - 1, -1):
        if text[i] in _CLAUSE_MARKS:
            return i + 1
    return sentence_start


def read_status(text: str, sentence_start: int, chain_start: int, title: str, modifier: str,
                masked: Iterable[tuple[int, int]] = (), cues: StatusCues | None = None, level: str = "") -> str:
    """The status of one post (one of :data:`STATUSES`).

    Args:
        text: the analysis text of the document.
        sentence_start: where the post's sentence begins.
        chain_start: where its title chain begins (the unit written before the first title, if any).
        title: the title as written; ``modifier`` its modifier in the title grammar (代 in 代县长).
        masked: spans of names and titles, in which no verb is read (任志强, 主任).
        level: the title's level word (县 in 县委书记), which lets a marker stand before a unit name glued to it.
    """
    cues = cues or load_status_cues()
    start = clause_start(text, sentence_start, chain_start)
    masked = list(masked)
    verb = _nearest_verb(text, start, chain_start, masked, cues)
    marker = cues.marker_pattern.search(text, max(start, chain_start - 3), chain_start)
    if marker and len(marker.group()) == 1 and not cues.opens(text, start, marker.start()):
        marker = None  # 草原县: a character of a word
    marked = cues.marker_status[marker.group()] if marker else None
    if marked is None and level and not any(s < chain_start and chain_start - cues.glued_name - 3 < e
                                            for s, e in masked if e <= chain_start):
        glued = cues.glued_marker(text, start, chain_start)
        marked = cues.marker_status[glued] if glued else None
    if verb == "removed":
        return "removed"
    if title.endswith(cues.nominee_suffix) or "nominated" in (verb, marked):
        return "nominated"
    if modifier in cues.acting_modifiers or title.startswith(cues.acting_modifiers) or marked == "acting":
        return "acting"
    if "former" in (verb, marked) or cues.before_pattern.search(text, sentence_start, start):
        return "former"
    if "appointed" in (verb, marked):
        return "appointed"
    return "current"


def _nearest_verb(text: str, start: int, end: int, masked: list[tuple[int, int]], cues: StatusCues) -> str | None:
    found = None
    for m in cues.verb_pattern.finditer(text, start, end):
        inside = any(s < m.end() and m.start() < e for s, e in masked)
        if m.end() < end - cues.max_gap or inside or not cues.single_verb(text, m.start(), m.end()):
            continue
        found = m
    return cues.verb_status[found.group()] if found else None


def strongest(statuses: Iterable[str]) -> PostStatus:
    """The status that wins among several readings of one post (see :data:`PRECEDENCE`)."""
    found = set(statuses)
    return next((s for s in PRECEDENCE if s in found), "current")


