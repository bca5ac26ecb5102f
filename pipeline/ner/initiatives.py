"""INITIATIVE mentions: named campaigns, programmes and numbered slogans.

A quoted name becomes an initiative when the text treats it as one: a head noun
follows it (“归雁”行动计划), a launching verb precedes it (实施“四项行动”), it
has the shape of a numbered slogan (“五个前列”, “433”), it is one of a quoted
list that qualifies, or it is repeated as a slogan. Quotes that are speech,
sayings, honours or titles are left out. Unquoted campaigns are taken after a
launching verb when they end in 行动/活动 (实施阳光惠民行动).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from ..doc import add_mention, register_extensions, text_of
from .lexicon import (
    DIRECTIVE_START,
    HAN,
    INITIATIVE_HEAD,
    LAUNCH_VERB,
    NOT_INITIATIVE_AFTER,
    NUMBERED,
    QUESTION,
    ROLE_END,
    TITLE_CHAIN,
)

_QUOTES = [re.compile(r"“([^“”\n]{2,40})”"), re.compile(r"‘([^‘’\n]{2,40})’"), re.compile(r"「([^「」\n]{2,40})」")]
_ATTACHED_HEAD = re.compile(f"[{HAN}A-Za-z0-9·+]{{0,10}}?{INITIATIVE_HEAD}")
_MIDDLE_STOP = re.compile(r"[的等和与及在为是了这该中]|具体|相关")
_AFTER_CUE = re.compile(r"^(工作|建设|创建|要求|战略|部署|目标|举措|任务|主题|理念|精神|系列)")
_SAYING = re.compile(r"[。！？!?；;，,]")
_UNQUOTED = re.compile(
    f"(?:实施|开展|启动|推出|推行|深入开展|组织开展)(?P<name>[{HAN}]{{2,10}}?(?:专项行动|行动计划|行动|活动))"
)
_UNQUOTED_BAD_START = re.compile(r"^(好|此|这|该|本|各|一些|了|了一|有关|相关|各类|系列|多种|形式)")
_TITLE_ONLY = re.compile(f"^{TITLE_CHAIN}$")
_SENTENCE_OPEN = set("。！？!?\n：:")


@dataclass
class _Quote:
    start: int  # opening quote mark
    end: int  # one past the closing mark
    content: str


class InitiativeRuler:
    """Adds INITIATIVE mentions from quotes with cues and from launch-verb phrases."""

    def __init__(self, cue_window: int = 6, min_repeats: int = 3):
        self.cue_window = cue_window
        self.min_repeats = min_repeats

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        quotes = sorted((_Quote(m.start(), m.end(), m[1]) for p in _QUOTES for m in p.finditer(text)),
                        key=lambda q: q.start)
        counts: dict[str, int] = {}
        for q in quotes:
            counts[_key(q.content)] = counts.get(_key(q.content), 0) + 1
        spans: list[tuple[int, int, str]] = []
        accepted_prev: _Quote | None = None
        for q in quotes:
            if self._rejected(text, q):
                accepted_prev = None
                continue
            end = self._attached_head_end(text, q)
            in_list = accepted_prev is not None and text[accepted_prev.end:q.start] in ("", "、", ",", "，")
            if end is not None:
                spans.append((q.start, end, "quote_head"))
            elif NUMBERED.search(q.content) or in_list or (
                    len(q.content) >= 3 and not ROLE_END.search(q.content)
                    and (self._has_cue(text, q) or counts[_key(q.content)] >= self.min_repeats
                         or _AFTER_CUE.match(text[q.end:]))):
                spans.append((q.start, q.end, "quote_cue"))
            else:
                accepted_prev = None
                continue
            accepted_prev = q
        for m in _UNQUOTED.finditer(text):
            if not _UNQUOTED_BAD_START.match(m["name"]):
                spans.append((m.start("name"), m.end("name"), "launch_phrase"))
        for start, end, rule in _longest(spans):
            add_mention(doc, start, end, "INITIATIVE", rule)
        return doc

    def _rejected(self, text: str, q: _Quote) -> bool:
        content = q.content
        if _SAYING.search(content) and not NUMBERED.search(content) and not _is_repeated_list(content):
            return True
        if _TITLE_ONLY.match(content) or content[0] in "我你他她它" or DIRECTIVE_START.match(content):
            return True
        if QUESTION.search(content) or all("要" in part for part in re.split(r"[、，,]", content)):
            return True
        if NOT_INITIATIVE_AFTER.match(text[q.end:q.end + 4]):
            return True
        # A quote standing as a sentence of its own is a saying: “空谈误国、实干兴邦”。
        before = text[max(0, q.start - 2):q.start].strip(" \u3000")
        opens_sentence = q.start == 0 or (bool(before) and before[-1] in _SENTENCE_OPEN)
        followed_by_word = bool(re.match(f"[{HAN}]", text[q.end:q.end + 1]))
        return opens_sentence and not followed_by_word and not NUMBERED.search(content)

    def _attached_head_end(self, text: str, q: _Quote) -> int | None:
        """End of the longest head noun glued to the closing quote (“2359”党建品牌培育行动计划)."""
        window = text[q.end:q.end + 12]
        best = None
        for m in re.finditer(INITIATIVE_HEAD, window):
            middle = window[:m.start()]
            if not re.fullmatch(f"[{HAN}A-Za-z0-9·+]*", middle) or _MIDDLE_STOP.search(middle):
                break
            best = q.end + m.end()
        return best

    def _has_cue(self, text: str, q: _Quote) -> bool:
        window = text[max(0, q.start - self.cue_window):q.start]
        window = re.split(r"[，,。；;：:！？!?\n]", window)[-1]
        return bool(re.search(LAUNCH_VERB, window))


def _is_repeated_list(content: str) -> bool:
    """Parallel slogans joined by 、 or a comma (大干三十天，努力走在前; 大学习、大讨论、大调研)."""
    parts = [p for p in re.split(r"[、，,]", content) if p]
    return len(parts) >= 2 and all(2 <= len(p) <= 8 for p in parts) and not re.search(r"[。！？!?；;]", content)


def _key(text: str) -> str:
    return re.sub(r"[^\w+]", "", text)


def _longest(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    keep: list[tuple[int, int, str]] = []
    for start, end, rule in sorted(spans, key=lambda s: (-(s[1] - s[0]), s[0])):
        if all(end <= s or start >= e for s, e, _ in keep):
            keep.append((start, end, rule))
    return sorted(keep)


@Language.factory("cadregraph_initiative_ruler_v1", assigns=["doc.spans"], requires=["doc.spans"])
def make_initiative_ruler(nlp: Language, name: str, cue_window: int = 6, min_repeats: int = 3) -> InitiativeRuler:
    register_extensions()
    return InitiativeRuler(cue_window=cue_window, min_repeats=min_repeats)
