"""PERSON and TITLE mentions: officials named after their titles, speakers and bylines.

A title is [organ][post] (党工委书记, 市委书记, 副总经理), several joined by 、;
the name after it is a surname plus one or two characters. Also: the speaker
of an interview line (陈洪勇:), a title in quotes (“第一书记”李志鹏), reporters
(记者 王某), and surname + post (徐书记), kept for resolution to a full name.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from ..doc import add_mention, mentions, register_extensions, text_of
from .lexicon import (
    HAN,
    NAME_FOLLOWERS,
    NON_NAMES,
    POST,
    SURNAMES_COMPOUND,
    SURNAMES_SINGLE,
    TITLE_CHAIN,
)

_SPACE = r"[ \u3000\u00a0]?"
_TITLE_THEN_NAME = re.compile(r"(?<!总)(?P<title>" + TITLE_CHAIN + r")[”\"]?" + _SPACE + r"(?=[" + HAN + "])")
_QUOTED_TITLE = re.compile(r"“(?P<title>" + TITLE_CHAIN + r")”")
_SPEAKER_LINE = re.compile(r"^[ \u3000]*(?P<name>[" + HAN + r"]{2,4})[:：]", re.M)
_BYLINE = re.compile(r"(?:记者|通讯员|特约记者|实习生|摄影)[:：]?" + _SPACE + r"(?P<names>[" + HAN + r"]{2,4}(?:[ \u3000、,，][" + HAN + r"]{2,4})*)")
_CLOSING_BYLINE = re.compile(r"[（(](?P<names>[" + HAN + r"]{2,4}(?:[ \u3000、][" + HAN + r"]{2,4})*)[）)]\s*$")
_SURNAME_POST = re.compile(r"(?P<alias>[" + HAN + r"](?:书记|市长|县长|区长|镇长|乡长|主任|局长|部长|董事长|总经理))")


class TitleRuler:
    """Adds TITLE spans and the PERSON names they introduce."""

    def __init__(self, max_given: int = 2):
        self.max_given = max_given

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        self._places = [(p.start_char, p.end_char) for p in mentions(doc, "PLACE")]
        for m in _TITLE_THEN_NAME.finditer(text):
            name_start = m.end()
            length = name_length(text, name_start, self.max_given)
            if length:
                self._add_title_chain(doc, m.start("title"), m.end("title"))
                self._add_person(doc, name_start, name_start + length, "title_name")
        for m in _QUOTED_TITLE.finditer(text):
            self._add_title_chain(doc, m.start("title"), m.end("title"))
        for m in _SPEAKER_LINE.finditer(text):
            length = name_length(text, m.start("name"), self.max_given)
            if length == len(m["name"]):
                self._add_person(doc, m.start("name"), m.end("name"), "speaker_line")
        for pattern in (_BYLINE, _CLOSING_BYLINE):
            for m in pattern.finditer(text):
                self._add_names(doc, m.start("names"), m["names"])
        for m in _SURNAME_POST.finditer(text):
            if m["alias"][0] in SURNAMES_SINGLE:
                add_mention(doc, m.start("alias"), m.end("alias"), "PERSON", "surname_post")
        return doc

    def _add_person(self, doc: Doc, start: int, end: int, rule: str) -> None:
        """A name never overlaps a place name (秦安县 is a county, not Mr 秦)."""
        if not any(s < end and start < e for s, e in self._places):
            add_mention(doc, start, end, "PERSON", rule)

    def _add_title_chain(self, doc: Doc, start: int, end: int) -> None:
        offset = start
        for part in text_of(doc)[start:end].split("、"):
            add_mention(doc, offset, offset + len(part), "TITLE", "title_grammar")
            offset += len(part) + 1

    def _add_names(self, doc: Doc, start: int, names: str) -> None:
        for m in re.finditer(f"[{HAN}]+", names):
            if name_length(m.group(), 0, self.max_given) == len(m.group()):
                self._add_person(doc, start + m.start(), start + m.end(), "byline")


def name_length(text: str, start: int, max_given: int = 2) -> int:
    """Length of the personal name starting at ``start``, or 0 when none starts there."""
    surname = next((s for s in SURNAMES_COMPOUND if text.startswith(s, start)), None)
    if surname is None:
        if start >= len(text) or text[start] not in SURNAMES_SINGLE:
            return 0
        surname = text[start]
    given_start = start + len(surname)
    given = 0
    while given < max_given and given_start + given < len(text) and _is_han(text[given_start + given]):
        if given >= 1 and text.startswith(NAME_FOLLOWERS, given_start + given):
            break
        given += 1
    if given == 0:
        return 0
    name = text[start:given_start + given]
    if name[:2] in NON_NAMES or name in NON_NAMES or re.search(POST, name):
        return 0
    return len(name)


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


@Language.factory("cadregraph_title_ruler_v1", assigns=["doc.spans"])
def make_title_ruler(nlp: Language, name: str, max_given: int = 2) -> TitleRuler:
    register_extensions()
    return TitleRuler(max_given=max_given)
