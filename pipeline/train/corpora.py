"""Readers for the public training corpora, giving character-level BIO sentences.

Every reader yields :class:`Tagged` sentences whose text has gone through the
same length-preserving normalizer as documents at run time (simplified script,
half-width digits), so that training and extraction see the same characters.
Labels are the pipeline's: PERSON, PLACE, ORG, TITLE.
"""

from __future__ import annotations

import json
import lzma
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from ..ner.tagger.bio import bio_to_spans, spans_to_bio

MSRA_LABELS = {"PER": "PERSON", "LOC": "PLACE", "ORG": "ORG"}
PEOPLES_DAILY_LABELS = {"nr": "PERSON", "ns": "PLACE", "nt": "ORG"}
ABBREVIATION = "j"
CLUENER_LABELS = {
    "name": "PERSON",
    "address": "PLACE",
    "government": "ORG",
    "organization": "ORG",
    "company": "ORG",
    "position": "TITLE",
}
# Where a long sentence may be cut for training without splitting an entity.
CLAUSE_END = "。！？；，、："
_PD_TOKEN = re.compile(r"^(\[?)(.+)/([A-Za-z]+)(?:\](\w+))?$")


class CorpusError(ValueError):
    """A corpus file is missing or not in the expected format."""


@dataclass(frozen=True)
class Tagged:
    """One sentence: its characters, one BIO tag per character, and the corpus whose conventions it follows."""

    chars: tuple[str, ...]
    tags: tuple[str, ...]
    source: str = "msra"

    @property
    def text(self) -> str:
        return "".join(self.chars)


@dataclass(frozen=True)
class Segmented:
    """One People's Daily sentence: its id (date-page-article-line) and words with POS tags."""

    sentence_id: str
    words: tuple[str, ...]
    pos: tuple[str, ...]
    # (first word, end word, label) of bracketed compounds such as [中央 人民 广播 电台]nt
    compounds: tuple[tuple[int, int, str], ...] = ()

    @property
    def day(self) -> int:
        return int(self.sentence_id[6:8])


def open_text(path: Path) -> Iterator[str]:
    """Lines of a UTF-8 file, transparently decompressing ``.xz``."""
    if not path.exists():
        raise CorpusError(f"{path}: corpus file not found")
    opener = lzma.open if path.suffix == ".xz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        yield from handle


def read_bio(path: Path, labels: dict[str, str] = MSRA_LABELS) -> Iterator[Tagged]:
    """Sentences of a ``char<TAB>tag`` file (blank line between sentences), tags mapped by ``labels``."""
    chars: list[str] = []
    tags: list[str] = []
    for number, line in enumerate(open_text(path), 1):
        line = line.rstrip("\n")
        if not line.strip():
            if chars:
                yield Tagged(tuple(chars), tuple(tags))
                chars, tags = [], []
            continue
        parts = line.split("\t") if "\t" in line else line.split()
        if len(parts) != 2 or len(parts[0]) != 1:
            raise CorpusError(f"{path}:{number}: expected 'char<TAB>tag', got {line!r}")
        chars.append(parts[0])
        tags.append(_map_tag(parts[1], labels))
    if chars:
        yield Tagged(tuple(chars), tuple(tags))


def _map_tag(tag: str, labels: dict[str, str]) -> str:
    if tag == "O" or "-" not in tag:
        return "O"
    prefix, _, label = tag.partition("-")
    mapped = labels.get(label)
    if mapped is None or prefix not in {"B", "I"}:
        return "O"
    return f"{prefix}-{mapped}"


def read_peoples_daily(path: Path) -> Iterator[Segmented]:
    """Sentences of the PKU-annotated People's Daily corpus (``word/POS`` tokens, ``[...]nt`` compounds)."""
    for number, line in enumerate(open_text(path), 1):
        tokens = line.split()
        if len(tokens) < 2:
            continue
        sentence_id = tokens[0].partition("/")[0]
        if not re.fullmatch(r"\d{8}-\d{2}-\d{3}-\d{3}", sentence_id):
            raise CorpusError(f"{path}:{number}: expected a sentence id, got {tokens[0]!r}")
        words: list[str]
        words, pos, compounds = [], [], []
        open_at: int | None = None
        for token in tokens[1:]:
            match = _PD_TOKEN.match(token)
            if not match:
                raise CorpusError(f"{path}:{number}: malformed token {token!r}")
            bracket, word, tag, compound = match.groups()
            if bracket:
                open_at = len(words)
            words.append(word)
            pos.append(tag)
            if compound and open_at is not None:
                compounds.append((open_at, len(words), compound))
                open_at = None
        yield Segmented(sentence_id, tuple(words), tuple(pos), tuple(compounds))


def peoples_daily_entities(sentence: Segmented, abbreviations: Mapping[str, str] | None = None) -> Tagged:
    """Character BIO tags of a People's Daily sentence.

    A bracketed ``nt``/``ns`` compound is one entity; a run of ``nr`` words is
    one person (江/nr 泽民/nr); every other ``ns``/``nt`` word is an entity.
    The corpus tags abbreviations ``j`` whatever they stand for (中/j, 欧盟/j,
    政协/j); one found in ``abbreviations`` (see :func:`entity_labels`) takes
    the label given there, so that the tagger does not learn them as plain words.
    """
    abbreviations = abbreviations or {}
    chars = [ch for word in sentence.words for ch in word]
    offsets = [0]
    for word in sentence.words:
        offsets.append(offsets[-1] + len(word))
    spans: list[tuple[int, int, str]] = []
    covered = [False] * len(sentence.words)
    for first, end, tag in sentence.compounds:
        for i in range(first, end):
            covered[i] = True
        if tag in PEOPLES_DAILY_LABELS:
            spans.append((offsets[first], offsets[end], PEOPLES_DAILY_LABELS[tag]))
    i = 0
    while i < len(sentence.words):
        tag = sentence.pos[i]
        if not covered[i] and tag == ABBREVIATION and sentence.words[i] in abbreviations:
            spans.append((offsets[i], offsets[i + 1], abbreviations[sentence.words[i]]))
            i += 1
            continue
        if covered[i] or tag not in PEOPLES_DAILY_LABELS:
            i += 1
            continue
        end = i + 1
        if tag == "nr":
            while end < len(sentence.words) and sentence.pos[end] == "nr" and not covered[end]:
                end += 1
        spans.append((offsets[i], offsets[end], PEOPLES_DAILY_LABELS[tag]))
        i = end
    return Tagged(tuple(chars), spans_to_bio(len(chars), spans), "peoples_daily")


def entity_labels(sentences: Iterable[Tagged], min_count: int = 2) -> dict[str, str]:
    """Each entity string tagged at least ``min_count`` times, with its most frequent label."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for sentence in sentences:
        text = sentence.text
        for start, end, label in bio_to_spans(sentence.tags):
            counts[text[start:end]][label] += 1
    labels = {}
    for text, by_label in counts.items():
        label, n = by_label.most_common(1)[0]
        if n >= min_count:
            labels[text] = label
    return labels


def read_cluener(path: Path) -> Iterator[Tagged]:
    """CLUENER2020 JSON lines; name/address/government/organization/company/position are kept."""
    for number, line in enumerate(open_text(path), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            text = record["text"]
            spans = [
                (start, end + 1, CLUENER_LABELS[kind])
                for kind, mentions in record.get("label", {}).items()
                if kind in CLUENER_LABELS
                for positions in mentions.values()
                for start, end in positions
            ]
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            raise CorpusError(f"{path}:{number}: not a CLUENER record ({error})") from error
        yield Tagged(tuple(text), spans_to_bio(len(text), spans), "cluener")


def normalized(sentences: Iterable[Tagged], normalize: Callable[[str], str]) -> Iterator[Tagged]:
    """Sentences with their text through the run-time normalizer (one character per character)."""
    for sentence in sentences:
        text = normalize(sentence.text)
        yield replace(sentence, chars=tuple(text))


def split_long(sentence: Tagged, max_length: int) -> Iterator[Tagged]:
    """Pieces of at most ``max_length`` characters, cut after clause punctuation outside entities."""
    chars, tags = sentence.chars, sentence.tags
    start = 0
    while len(chars) - start > max_length:
        cut = None
        for i in range(start + max_length, start, -1):
            if chars[i - 1] in CLAUSE_END and (i == len(chars) or not tags[i].startswith("I-")):
                cut = i
                break
        if cut is None:
            cut = start + max_length
            while cut > start + 1 and tags[cut].startswith("I-"):
                cut -= 1
        yield replace(sentence, chars=chars[start:cut], tags=tags[start:cut])
        start = cut
    if start < len(chars):
        yield replace(sentence, chars=chars[start:], tags=tags[start:])
