"""ORG mentions: party committees and branches, governments and bureaus, companies, schools, media.

An organisation name is [name][head noun] (有限公司, 大学, 人民政府, 局, 中心 ...).
Its left edge is the first strong start after the last cue word: a place name,
中共, or a level prefix (县财政局, 市委). Heads that are also common nouns
(局, 中心, 网) need such a strong start; the others take a plain boundary.
Nothing before the last non-name word (verb, adverb, preposition, time word:
率队到, 已严重制约, 今年以来; see :mod:`pipeline.ner.boundaries`) belongs to the name.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc

from ..doc import add_mention, mentions, register_extensions, text_of
from .boundaries import load_common_nouns, load_non_name_words
from .title_grammar import load_title_grammar
from ..lexicon import HAN, LEVEL_PREFIXES, is_han, load_lexicon

_BODY = re.compile(f"[{HAN}A-Za-z0-9·()（）]")
_PARTY_COMMITTEE = re.compile(f"中共(?:中央|[{HAN}]{{2,12}}?[省市县区州旗镇乡]委)(?!员)")
# 县委县政府, 市委市政府: two bodies named together, not one organisation.
_JOINT_BODIES = re.compile(r"[省市县区州]委[省市县区州](人民)?政府$")
_CONJUNCTIONS = "与和及、"
_QUOTE = re.compile(r"“([^“”]{2,40})”")


@dataclass(frozen=True)
class OrgHeads:
    """Head nouns of organisation names, from ``resources/org_heads.toml``."""

    strong: tuple[str, ...]
    weak: dict[str, int]  # weak head → shortest name after a level prefix
    not_before: re.Pattern[str]
    media: tuple[str, ...]
    generic_start: re.Pattern[str]
    kind_heads: tuple[str, ...]

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        return re.compile("|".join(sorted({*self.strong, *self.weak}, key=len, reverse=True)))


@cache
def load_org_heads() -> OrgHeads:
    """The head nouns shipped in the package (read once per process)."""
    data = tomllib.loads(resources.files("pipeline").joinpath("resources/org_heads.toml").read_text(encoding="utf-8"))
    generic = data["generic"]
    return OrgHeads(tuple(data["strong"]), dict(data["weak"]), re.compile(data["not_before"]["pattern"]),
                    tuple(data["media"]["heads"]), re.compile("^(?:" + "|".join(generic["starts"]) + ")"),
                    tuple(generic["kind_heads"]))


class OrgRuler:
    """Adds ORG mentions from committee patterns and [name][head] grammar."""

    def __init__(self, max_length: int = 24):
        self.max_length = max_length

    def initialize(self, get_examples=None, *, nlp: Language | None = None) -> None:
        """Load the word tables and grammar from ``pipeline/resources`` (spaCy calls it before the first document)."""
        self.non_name = load_non_name_words()
        self.heads = load_org_heads()
        self.common_nouns = load_common_nouns()
        self.titles = load_title_grammar()
        lexicon = load_lexicon()
        self.left_cut, self.not_level_prefix = lexicon.org_left_cut, lexicon.not_level_prefix
        party = "|".join(lexicon.party_organs)
        self.branch = re.compile(f"(?:{party})(?!织|成员)")
        # The party group or committee of an organisation (县政府党组, 市卫健委机关党委): an organisation of its own.
        self.org_branch = re.compile(f"(?:机关党委|{party})(?!织|成员|会议|委员)")

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        places = mentions(doc, "PLACE")
        place_starts = {p.start_char: len(p) for p in places}
        candidates: list[tuple[int, int, str]] = []
        candidates += [(m.start(), m.end(), "party_committee") for m in _PARTY_COMMITTEE.finditer(text)]
        for place in places:
            rest = text[place.end_char:]
            if place.text[-1] in LEVEL_PREFIXES and rest.startswith("委") and not rest.startswith("委员"):
                candidates.append((place.start_char, place.end_char + 1, "place_committee"))
            elif m := self.branch.match(rest):
                candidates.append((place.start_char, place.end_char + m.end(), "place_party_branch"))
        for m in re.finditer(f"[{LEVEL_PREFIXES}]委(?!员)", text):
            if m.start() == 0 or not any(p.end_char == m.start() + 1 or p.end_char == m.start() for p in places):
                candidates.append((m.start(), m.end(), "relative_committee"))
        weak = self.heads.weak
        for m in self.heads.pattern.finditer(text):
            if m.group() in weak and (self.heads.not_before.match(text[m.end():m.end() + 2])
                                      or self._ends_common_word(text, m.start(), m.end())):
                continue  # 局面, 中心工作; 布局, 格局: the head ends a common word
            start = self._name_start(text, m.start(), m.group(), place_starts)
            if start is not None and m.end() - start <= self.max_length \
                    and not _JOINT_BODIES.search(text[start:m.end()]) and not self._ends_in_title(text, start, m.end()):
                candidates.append((start, m.end(), "org_head"))
        candidates = _trim_to_known_names(candidates, text, place_starts)
        quoted = {(m.start(1), m.end(1)) for m in _QUOTE.finditer(text)}
        for start, end, rule in _outermost(candidates):
            if (start, end) not in quoted:
                add_mention(doc, start, end, "ORG", rule)
                branch = self.org_branch.match(text[end:]) if rule == "org_head" else None
                if branch and not self.titles.pattern.match(text, end):  # 县政府党组《…》, not 党组书记
                    add_mention(doc, start, end + branch.end(), "ORG", "org_party_branch")
        return doc

    def _ends_common_word(self, text: str, head_at: int, end: int) -> bool:
        """A head that ends a common noun (汇报布局, 新格局), not one after a word of its own (财政 + 局)."""
        before = text[head_at - 2:head_at]
        return text[head_at - 1] not in LEVEL_PREFIXES and text[head_at - 1:end] in self.common_nouns \
            and before not in self.common_nouns and before not in self.non_name.name_words

    def _ends_in_title(self, text: str, start: int, end: int) -> bool:
        """A span that ends in a title is a post, not an organisation (县委常委)."""
        return any(m.end() == end for m in self.titles.finditer(text, start, end))

    def _name_start(self, text: str, head_at: int, head: str, place_starts: dict[int, int]) -> int | None:
        boundary = head_at
        while boundary > 0 and head_at - boundary < self.max_length and _BODY.match(text[boundary - 1]):
            boundary -= 1
        window = text[boundary:head_at]
        cut = boundary
        for m in self.left_cut.finditer(window):
            if len(m.group()) >= 2:
                cut = boundary + m.end()
        cut = max(cut, self.non_name.last_end(text, boundary, head_at, place_starts))
        strong = [i for i in range(cut, head_at) if i in place_starts or text.startswith("中共", i)]
        if not strong:  # a level prefix standing for the document's own unit: 县财政局, 市委办公室
            last = head_at if self.heads.weak.get(head) == 0 else head_at - 1  # 县政府, 市卫健委; not 兰州大学
            strong = [i for i in range(cut, last)
                      if _level_start(text, i) and text[i - 1:i + 1] not in self.not_level_prefix]
        joints = [i + 1 for i in range(cut, head_at - 1)
                  if text[i] in _CONJUNCTIONS and (i + 1 in place_starts or _level_start(text, i + 1))]
        if joints:  # coordinated names (渭南师范学院与县政府, 省教育厅和市人社局): the last one
            strong = [i for i in strong if i >= joints[-1]] or [joints[-1]]
        if strong:
            start = min(strong)
        elif head in self.heads.weak:
            return None
        else:
            start = cut
            for m in self.left_cut.finditer(text, cut, head_at):
                start = m.end()
        body = text[start:head_at]
        opened = max(body.rfind("（"), body.rfind("("))
        if opened >= 0 and max(body.rfind("）"), body.rfind(")")) < opened:  # 中共某省委党校（某行政学院
            start += opened + 1
            body = text[start:head_at]
        named = body[place_starts.get(start, 0):]
        if (len(body) < 2 and not (body and body in LEVEL_PREFIXES)) or self.heads.generic_start.match(named):
            return None
        if not strong and body in self.common_nouns and head in self.heads.kind_heads:
            return None  # 物业公司, 实验学校: a kind of organisation (县人民医院 is a name: its county says whose)
        if head in self.heads.weak:
            name = len(body) - place_starts.get(start, 1 if body[0] in LEVEL_PREFIXES else 0)
            if name < self.heads.weak[head] or (start in place_starts and name == 1):
                return None  # 县委 is a committee; 西昌全局: one character between a place and 局 is a word
        return start


def _trim_to_known_names(candidates: list[tuple[int, int, str]], text: str,
                         place_starts: dict[int, int]) -> list[tuple[int, int, str]]:
    """One left edge per name and document: where the text writes a name standing alone (after punctuation)
    and elsewhere with words before it that are no place, 中共 or level (严重制约城投集团), the name
    starts where it stands alone."""
    alone = {text[s:e] for s, e, rule in candidates if rule == "org_head" and (s == 0 or not is_han(text[s - 1]))}
    out = []
    for start, end, rule in candidates:
        name = text[start:end]
        if rule == "org_head" and start not in place_starts and not name.startswith("中共") \
                and name[0] not in LEVEL_PREFIXES:
            known = [k for k in alone if len(k) < len(name) and name.endswith(k)]
            if known:
                start = end - len(max(known, key=len))
        out.append((start, end, rule))
    return out


def _level_start(text: str, i: int) -> bool:
    """A level word standing for the document's unit of that level (县 in 县财政局; not 市场, 县长, 市级)."""
    return text[i] in LEVEL_PREFIXES and text[i + 1:i + 2] not in ("场", "长", "级")


def _outermost(candidates: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Drop candidates inside a longer one (中共四川省委 inside 中共四川省委党校)."""
    keep = []
    for start, end, rule in sorted(set(candidates), key=lambda c: (c[0], -c[1])):
        if any(s <= start and end <= e and (s, e) != (start, end) for s, e, _ in candidates):
            continue
        keep.append((start, end, rule))
    return keep


@Language.factory("cadregraph_org_ruler_v1", assigns=["doc._.orgs"], requires=["doc._.places"])
def make_org_ruler(nlp: Language, name: str, max_length: int = 24) -> OrgRuler:
    register_extensions()
    return OrgRuler(max_length=max_length)
