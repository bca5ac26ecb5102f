"""PERSON and TITLE mentions: officials named after their titles, speakers and bylines.

A title is [organ][post] (党工委书记, 市委书记, 副总经理), several joined by 、;
the name after it is a surname plus one or two characters. Also: the speaker
of an interview line (陈洪勇:), a title in quotes (“第一书记”李志鹏), reporters
(记者 王某), and surname + post (徐书记), kept for resolution to a full name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from ..units import load_discourse_cues
from ..doc import add_mention, mentions, register_extensions, text_of
from ..lexicon import HAN, is_han, load_lexicon, words_pattern
from .boundaries import load_surname_words
from .names import surname_of
from .title_grammar import load_title_grammar

_SPACE = r"[ \u3000\u00a0]?"
_TITLE_TAIL = re.compile(r"[”\"]?" + _SPACE + r"(?:[（(]兼[）)])?")
# Names of the genre that are not surname + one or two characters: joined by · (transliterated),
# or a two-character name padded to three places in a list (张　伟).
_DOT_NAME = re.compile(r"[" + HAN + r"]{1,8}(?:·[" + HAN + r"]{1,8})+")
_PADDED_NAME = re.compile(r"([" + HAN + r"])[ \u3000]{1,2}[" + HAN + r"](?=[、，,。；;：:\s]|$)")
_SPEAKER_LINE = re.compile(r"^[ \u3000]*(?:[0-9０-９]{1,3}[.、．]\s*)?(?P<name>[" + HAN + r"]{2,4})[:：]", re.M)
_CLOSING_BYLINE = re.compile(r"[（(](?P<names>[" + HAN + r"]{2,4}(?:[ \u3000、][" + HAN + r"]{2,4})*)[）)]\s*$")




@dataclass(frozen=True)
class PersonCues:
    """Patterns that make a name a person without a full title (``titles.toml`` ``[persons]``)."""

    comrade: re.Pattern[str]  # 王忠昆同志
    byline: re.Pattern[str]  # 记者 张三 李四
    surname_post: re.Pattern[str]  # 王书记

    @classmethod
    def from_table(cls, table: dict) -> PersonCues:
        return cls(
            comrade=re.compile(r"(?<![" + HAN + r"])(?P<name>[" + HAN + r"]{2,3})" + re.escape(table["comrade"])),
            byline=re.compile(words_pattern(table["byline_roles"]) + r"[:：]?" + _SPACE
                              + r"(?P<names>[" + HAN + r"]{2,4}(?:[ \u3000、,，][" + HAN + r"]{2,4})*)"),
            surname_post=re.compile(r"(?P<alias>[" + HAN + r"]" + words_pattern(table["surname_posts"]) + ")"))


class TitleRuler:
    """Adds TITLE spans (every title of the grammar) and the PERSON names that titles introduce."""

    def __init__(self, max_given: int = 2):
        self.max_given = max_given

    def initialize(self, get_examples=None, *, nlp: Language | None = None) -> None:
        """Load the word tables and grammar from ``pipeline/resources`` (spaCy calls it before the first document)."""
        self.grammar = load_title_grammar()
        self.cues = load_discourse_cues()
        self.common_words = load_surname_words()
        self.lexicon = load_lexicon()
        self.person_cues = PersonCues.from_table(self.grammar.persons)

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        self._places = [(p.start_char, p.end_char) for p in mentions(doc, "PLACE")]
        title = self.grammar.pattern
        for m in self.grammar.finditer(text):
            add_mention(doc, m.start(), m.end(), "TITLE", "title_grammar")
            name_start = skip_title_tail(text, m.end())
            length = self._name_after(text, name_start)
            if length and not title.match(text, name_start):
                self._add_person(doc, name_start, name_start + length, "title_name")
                self._add_roster(doc, text, name_start + length)
            before = self._name_before(text, m.start())
            if before is not None:
                self._add_person(doc, before, m.start(), "name_title")
        for m in self.person_cues.comrade.finditer(text):
            if name_length(text, m.start("name"), self.max_given) == len(m["name"]):
                self._add_person(doc, m.start("name"), m.end("name"), "comrade")
        for m in _SPEAKER_LINE.finditer(text):
            length = name_length(text, m.start("name"), self.max_given)
            if length == len(m["name"]):
                self._add_person(doc, m.start("name"), m.end("name"), "speaker_line")
        for pattern in (self.person_cues.byline, _CLOSING_BYLINE):
            for m in pattern.finditer(text):
                self._add_names(doc, m.start("names"), m["names"])
        for m in self.person_cues.surname_post.finditer(text):
            if m["alias"][0] in self.lexicon.surnames_single:
                add_mention(doc, m.start("alias"), m.end("alias"), "PERSON", "surname_post")
        return doc

    def _add_person(self, doc: Doc, start: int, end: int, rule: str) -> None:
        """A name never overlaps a place name (秦安县 is a county, not Mr 秦)."""
        if not any(s < end and start < e for s, e in self._places):
            add_mention(doc, start, end, "PERSON", rule)

    def _add_roster(self, doc: Doc, text: str, pos: int) -> None:
        """Names listed after a titled name share its title: 县委常委张成群、陈迪、杨丽萍."""
        while text.startswith("、", pos):
            start = pos + 1
            length = self._name_after(text, start)
            end = start + length
            if not length or self.grammar.pattern.match(text, start) or not _ends_name(text, end):
                return
            self._add_person(doc, start, end, "roster")
            pos = end

    def _name_after(self, text: str, start: int) -> int:
        """Length of the name after a title or in a roster (0 when none): a surname-led name, one padded
        to three places in a list (张　伟), or one joined by · (艾尔肯·吐尼亚孜)."""
        if m := _DOT_NAME.match(text, start):
            last = m.group().rfind("·") + start + 1
            followers = self.lexicon.name_followers
            end = next((i for i in range(last + 2, m.end()) if text.startswith(followers, i)), m.end())
            return end - start
        if (m := _PADDED_NAME.match(text, start)) and m[1] in self.lexicon.surnames_single:
            return len(m.group())
        length = name_length(text, start, self.max_given)
        return 0 if self._common_word(text[start:start + length]) else length

    def _name_before(self, text: str, title_start: int) -> int | None:
        """Start of a full name written right before a title (陈淑凤书记, 市委魏春生书记), or None."""
        for length in (3, 2):
            start = title_start - length
            candidate = text[start:title_start]
            if start < 0 or not is_name(candidate) or self._common_word(candidate) \
                    or self.grammar.organ_pattern.search(text, start, title_start + 1) \
                    or self.grammar.kind_of(candidate) is not None:  # 文旅局副局长: an organisation, no name
                continue
            if text[start:title_start].endswith(self.cues.appointment_verbs) \
                    or text.startswith(self.cues.appointment_verbs, start):
                continue
            if start == 0 or not is_han(text[start - 1]) or text.endswith(self.grammar.openers, 0, start):
                return start
            if self.grammar.pattern.match(text, start - 2) or any(e == start for _, e in self._places):
                return start
        return None

    def _common_word(self, name: str) -> bool:
        """A word that only looks like a name (党员, 项目): the whole of it or its first two characters."""
        return name in self.common_words or name[:2] in self.common_words

    def _add_names(self, doc: Doc, start: int, names: str) -> None:
        for m in re.finditer(f"[{HAN}]+", names):
            if name_length(m.group(), 0, self.max_given) == len(m.group()):
                self._add_person(doc, start + m.start(), start + m.end(), "byline")


def skip_title_tail(text: str, end: int) -> int:
    """Where a name after a title starts: past a closing quote, a space and a (兼) note."""
    m = _TITLE_TAIL.match(text, end)
    return m.end() if m else end


def is_name(candidate: str) -> bool:
    """A surname plus one or two Han given-name characters that is not a common word."""
    lexicon = load_lexicon()
    return all(is_han(c) for c in candidate) and candidate not in lexicon.non_names \
        and candidate[:2] not in lexicon.non_names and surname_of(candidate) is not None \
        and not lexicon.post_pattern.search(candidate)


def _ends_name(text: str, end: int) -> bool:
    return end >= len(text) or not is_han(text[end]) or text.startswith(load_lexicon().name_followers, end)


def name_length(text: str, start: int, max_given: int = 2) -> int:
    """Length of the personal name starting at ``start``, or 0 when none starts there."""
    lexicon = load_lexicon()
    surname = next((s for s in lexicon.surnames_compound if text.startswith(s, start)), None)
    if surname is None:
        if start >= len(text) or text[start] not in lexicon.surnames_single:
            return 0
        surname = text[start]
    given_start = start + len(surname)
    given = 0
    while given < max_given and given_start + given < len(text) and is_han(text[given_start + given]):
        if given >= 1 and text.startswith(lexicon.name_followers, given_start + given):
            break
        given += 1
    if given == 0:
        return 0
    name = text[start:given_start + given]
    if name[:2] in lexicon.non_names or name in lexicon.non_names or lexicon.post_pattern.search(name):
        return 0
    return len(name)


@Language.factory("cadregraph_title_ruler_v1", assigns=["doc._.titles", "doc._.persons"], requires=["doc._.places"])
def make_title_ruler(nlp: Language, name: str, max_given: int = 2) -> TitleRuler:
    register_extensions()
    return TitleRuler(max_given=max_given)
