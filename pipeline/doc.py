"""What the spaCy ``Doc`` carries between stages, registered in one place.

Mentions of every label live in the span group ``doc.spans[MENTIONS]``
(overlaps allowed: 安宁市 inside 中共安宁市委). Each span's label is PERSON,
PLACE, ORG, INITIATIVE or TITLE, and ``span.id_`` names the rule that found it
(as spaCy's SpanRuler does with pattern ids).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import ClassVar

from spacy.attrs import IDX, SENT_START
from spacy.tokens import Doc, Span

from .schema import EntityLabel, PlaceLevel, Resolution

MENTIONS = "cadregraph"
_CACHE = "cadregraph.cache"  # derived per-document caches (text, sentence starts, mention keys); never stage output
# Rules whose ORG mentions are a place's party committee (中共安宁市委, 安宁市委, 市委).
COMMITTEE_RULES = {"party_committee", "place_committee", "relative_committee"}
# Mention attributes by label: what the rulers assign and later stages require.
LABEL_ATTRIBUTES = {"places": "PLACE", "titles": "TITLE", "persons": "PERSON", "orgs": "ORG",
                    "initiatives": "INITIATIVE"}


@dataclass(frozen=True)
class OwnUnit:
    """An actor named only by a level of the document's own unit (我市, 全县, 市委提出): resolved to that unit.

    It stands where a mention would (offsets, text, token length), so rules treat it as a place actor.
    """

    level: str
    start_char: int
    end_char: int
    text: str
    size: int  # tokens, as ``len()`` of a span
    label_: ClassVar[str] = "PLACE"
    id_: ClassVar[str] = "own_unit"

    def __len__(self) -> int:
        return self.size

    @classmethod
    def at(cls, doc: Doc, start: int, end: int, level: str) -> OwnUnit | None:
        """The own unit written at ``start:end``, widened to token bounds (None where no tokens are)."""
        span = doc.char_span(start, end, alignment_mode="expand")
        return None if span is None else cls(level, span.start_char, span.end_char, span.text, len(span))


Actor = Span | OwnUnit


@dataclass
class RelationCandidate:
    """A relation between two mentions (or an own unit), before mentions are grouped into entities."""

    label: str
    head: Actor
    tail: Span
    rule: str
    title: str | None = None
    source: str = "text"
    unit_rule: str | None = None  # how a position's unit was found (explicit, chain, sentence_unit, home_unit …)
    rank: int = 0  # lower is stronger; used to keep one actor per initiative
    span: tuple[int, int, int] | None = None  # a position's (chain start, title start, title end), for its status


@dataclass
class ResolvedRelation:
    """A relation between two entities (indices into ``doc._.entities``), with its evidence sentences."""

    label: str
    head: int
    tail: int
    rule: str
    title: str | None
    source: str
    evidence: list[tuple[int, int]]  # sentence offsets
    unit_rule: str | None = None  # how a position's unit was found
    posts: list[tuple[str, tuple[int, int, int]]] = field(default_factory=list)  # each title and where it was read


@dataclass
class EntityCluster:
    """All mentions of one real thing in a document, with its canonical name."""

    label: EntityLabel
    text: str
    mentions: list[Span] = field(default_factory=list)
    aliases: set[str] = field(default_factory=set)
    code: str | None = None
    level: PlaceLevel | None = None
    official_name: str | None = None
    parents: list[tuple[str, str, PlaceLevel]] = field(default_factory=list)  # (code, name, level)
    resolution: Resolution | None = None
    resolution_note: str | None = None


def register_extensions() -> None:
    """Register the ``Doc`` attributes stages declare in ``requires``/``assigns`` (idempotent).

    - ``places``, ``titles``, ``persons``, ``orgs``, ``initiatives``: mentions of one label (read-only views of
      the span group ``doc.spans[MENTIONS]``, which the rulers fill);
    - ``mentions``: every mention once the ``entities`` stage has fused rules and model;
    - ``units``: the unit context (:class:`pipeline.units.UnitContext`);
    - ``candidates``: :class:`RelationCandidate` list from the relation rules;
    - ``entities`` and ``relations``: :class:`EntityCluster` and :class:`ResolvedRelation` lists from the resolver;
    - ``outlet``: the article's outlet and author lines (metadata, not text), for place resolution;
    - ``failure``: the error of the component that failed on the document (set by the extractor's error handler).
    """
    for name, label in LABEL_ATTRIBUTES.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, getter=partial(mentions, label=label))
    if not Doc.has_extension("mentions"):
        Doc.set_extension("mentions", getter=mentions)
    for name in ("units", "candidates", "entities", "relations"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    if not Doc.has_extension("outlet"):
        Doc.set_extension("outlet", default="")
    if not Doc.has_extension("failure"):
        Doc.set_extension("failure", default=None)


def mentions(doc: Doc, label: str | None = None) -> list[Span]:
    """Mentions of a label (all labels when None), in text order.

    The lists are kept until :func:`add_mention` or :func:`replace_mentions` changes the group, so stages
    that read them often do not rebuild a ``Span`` per mention each time.
    """
    lists = _cache(doc).setdefault("mention_lists", {})
    if None not in lists:
        lists[None] = sorted(doc.spans.get(MENTIONS, []), key=lambda s: (s.start_char, -s.end_char))
    if label not in lists:
        lists[label] = [s for s in lists[None] if s.label_ == label]
    return list(lists[label])


def add_mention(doc: Doc, start: int, end: int, label: str, rule: str) -> Span | None:
    """Add a mention by character offsets unless the same span and label is already there."""
    span = doc.char_span(start, end, label=label, alignment_mode="expand", span_id=rule)
    if span is None or not span.text.strip():
        return None
    if MENTIONS not in doc.spans:
        replace_mentions(doc, [])
    seen = _cache(doc)["mention_keys"]
    key = (span.start, span.end, label)
    if key in seen:
        return None
    seen.add(key)
    doc.spans[MENTIONS].append(span)
    _cache(doc).pop("mention_lists", None)
    return span


def replace_mentions(doc: Doc, spans: list[Span]) -> None:
    """Set the whole mention group (keeping the index that makes :func:`add_mention` linear)."""
    doc.spans[MENTIONS] = spans
    _cache(doc)["mention_keys"] = {(s.start, s.end, s.label_) for s in spans}
    _cache(doc).pop("mention_lists", None)



def set_outlet(doc: Doc, *names: str | None) -> None:
    """Record the article's outlet and author lines (metadata, not text) for place resolution."""
    doc._.outlet = " ".join(n for n in names if n)


def outlet_of(doc: Doc) -> str:
    """The outlet and author lines recorded by :func:`set_outlet` ('' when none)."""
    return doc._.outlet


def text_of(doc: Doc) -> str:
    """``doc.text``, computed once: spaCy rebuilds it from the tokens on every access."""
    cache = _cache(doc)
    if "text" not in cache:
        cache["text"] = doc.text
    return cache["text"]


def set_text(doc: Doc, text: str) -> None:
    """Record ``doc.text`` as the tokenizer that built ``doc`` from ``text`` knows it (for :func:`text_of`)."""
    _cache(doc)["text"] = text


def sentence_bounds(doc: Doc, char: int) -> tuple[int, int]:
    """(start, end) character offsets of the sentence holding ``char``, from cached boundaries."""
    import bisect  # noqa: PLC0415

    cache = _cache(doc)
    starts = cache.get("sent_starts")
    if starts is None:
        marks = doc.to_array([IDX, SENT_START]).reshape(-1, 2)  # one array read instead of a Token per character
        starts = marks[marks[:, 1] == 1, 0].tolist() or [0]
        if starts[0] != 0:
            starts.insert(0, 0)
        cache["sent_starts"] = starts
    i = bisect.bisect_right(starts, char) - 1
    end = starts[i + 1] if i + 1 < len(starts) else len(text_of(doc))
    return starts[i], end


def _cache(doc: Doc) -> dict:
    """The document's derived caches, made on first use."""
    cache = doc.user_data.get(_CACHE)
    if cache is None:
        cache = doc.user_data[_CACHE] = {}
    return cache
