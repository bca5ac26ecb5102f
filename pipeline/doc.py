"""What the spaCy ``Doc`` carries between stages, registered in one place.

Mentions of every label live in the span group ``doc.spans[MENTIONS]``
(overlaps allowed: 安宁市 inside 中共安宁市委). Each span's label is PERSON,
PLACE, ORG, INITIATIVE or TITLE, and ``span.id_`` names the rule that found it
(as spaCy's SpanRuler does with pattern ids).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.attrs import IDX, SENT_START
from spacy.tokens import Doc, Span

MENTIONS = "cadregraph"
_MENTION_KEYS = "cadregraph.mention_keys"  # (start, end, label) of every mention, for duplicate checks
_TEXT = "cadregraph.text"  # doc.text, kept by text_of
# Rules whose ORG mentions are a place's party committee (中共安宁市委, 安宁市委, 市委).
COMMITTEE_RULES = {"party_committee", "place_committee", "relative_committee"}


@dataclass
class RelationCandidate:
    """A relation between two mentions, before mentions are grouped into entities."""

    label: str
    head: Span
    tail: Span
    rule: str
    title: str | None = None
    source: str = "text"
    unit_rule: str | None = None  # how a position's unit was found (explicit, chain, sentence_unit, home_unit …)
    rank: int = 0  # lower is stronger; used to keep one actor per initiative


@dataclass
class EntityCluster:
    """All mentions of one real thing in a document, with its canonical name."""

    label: str
    text: str
    mentions: list[Span] = field(default_factory=list)
    aliases: set[str] = field(default_factory=set)
    code: str | None = None
    level: str | None = None
    official_name: str | None = None
    parents: list[tuple[str, str, str]] = field(default_factory=list)  # (code, name, level)
    resolution: str | None = None
    resolution_note: str | None = None


def register_extensions() -> None:
    """Register the custom attributes the pipeline uses (idempotent)."""
    for name in ("relations", "entities", "units"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    if not Doc.has_extension("focus"):
        Doc.set_extension("focus", default=None)


def mentions(doc: Doc, label: str | None = None) -> list[Span]:
    """Mentions of a label (all labels when None), in text order."""
    group = doc.spans[MENTIONS] if MENTIONS in doc.spans else []
    spans = [s for s in group if label is None or s.label_ == label]
    return sorted(spans, key=lambda s: (s.start_char, -s.end_char))


def add_mention(doc: Doc, start: int, end: int, label: str, rule: str) -> Span | None:
    """Add a mention by character offsets unless the same span and label is already there."""
    span = doc.char_span(start, end, label=label, alignment_mode="expand", span_id=rule)
    if span is None or not span.text.strip():
        return None
    if MENTIONS not in doc.spans:
        replace_mentions(doc, [])
    seen = doc.user_data[_MENTION_KEYS]
    key = (span.start, span.end, label)
    if key in seen:
        return None
    seen.add(key)
    doc.spans[MENTIONS].append(span)
    return span


def replace_mentions(doc: Doc, spans: list[Span]) -> None:
    """Set the whole mention group (keeping the index that makes :func:`add_mention` linear)."""
    doc.spans[MENTIONS] = spans
    doc.user_data[_MENTION_KEYS] = {(s.start, s.end, s.label_) for s in spans}



def set_outlet(doc: Doc, *names: str | None) -> None:
    """Record the article's outlet and author lines (metadata, not text) for place resolution."""
    doc.user_data["cadregraph.outlet"] = " ".join(n for n in names if n)


def outlet_of(doc: Doc) -> str:
    """The outlet and author lines recorded by :func:`set_outlet` ('' when none)."""
    return doc.user_data.get("cadregraph.outlet", "")


def text_of(doc: Doc) -> str:
    """``doc.text``, computed once: spaCy rebuilds it from the tokens on every access."""
    if _TEXT not in doc.user_data:
        doc.user_data[_TEXT] = doc.text
    return doc.user_data[_TEXT]


def set_text(doc: Doc, text: str) -> None:
    """Record ``doc.text`` as the tokenizer that built ``doc`` from ``text`` knows it (for :func:`text_of`)."""
    doc.user_data[_TEXT] = text


def sentence_bounds(doc: Doc, char: int) -> tuple[int, int]:
    """(start, end) character offsets of the sentence holding ``char``, from cached boundaries."""
    import bisect  # noqa: PLC0415

    starts = doc.user_data.get("cadregraph.sent_starts")
    if starts is None:
        marks = doc.to_array([IDX, SENT_START]).reshape(-1, 2)  # one array read instead of a Token per character
        starts = marks[marks[:, 1] == 1, 0].tolist() or [0]
        if starts[0] != 0:
            starts.insert(0, 0)
        doc.user_data["cadregraph.sent_starts"] = starts
    i = bisect.bisect_right(starts, char) - 1
    end = starts[i + 1] if i + 1 < len(starts) else len(text_of(doc))
    return starts[i], end
