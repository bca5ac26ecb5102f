"""INITIATIVE mentions: named campaigns, programmes, plans and numbered slogans.

A quoted name becomes an initiative when the text treats it as one: a head noun
follows it (“归雁”行动计划, “双强”支部创建), a launching verb precedes it
(实施“四项行动”), a cue follows it (“X”启动仪式, “A”“B”等政策, “X”是…重要举措),
it has the shape of a numbered slogan (“五个前列”, “七不变”, “稳企12条”), it is in
a run of quotes one of which qualifies, or it is repeated as a slogan. Quotes that
are speech, sayings, honours, titles, things avoided (避免“千村一面”) or bare
national formulas are left out. Unquoted names are taken after a launching verb
when they end in 行动/活动 (实施阳光惠民行动), and after a verb of adopting or
hearing when they end in 方案/计划/项目/平台/竞赛/工程 (审议了…整治工作方案).
The cue words live in ``resources/initiatives.toml``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from itertools import pairwise

from spacy.language import Language
from spacy.tokens import Doc

from ..doc import add_mention, mentions, register_extensions, text_of
from .boundaries import load_idioms, load_non_name_words
from ..lexicon import HAN, load_lexicon, words_pattern

_QUOTES = [re.compile(p) for p in (r"“([^“”\n]{2,40})”", r"‘([^‘’\n]{2,40})’", r"「([^「」\n]{2,40})」",
                                   r"『([^『』\n]{2,40})』", r'"([^"\n]{2,40})"')]
_SAYING = re.compile(r"[。！？!?；;，,]")
_SENTENCE_OPEN = set("。！？!?\n：:")
_CLAUSE_END = re.compile(r"[，,。；;：:！？!?\n]")
_NAME_STOP = "的和与及、，,。；;：:！？!?《》()（）\n "
_QUOTED_TEXT = re.compile(r"“[^“”]*”|‘[^‘’]*’|「[^「」]*」|『[^『』]*』")  # verbs inside a quote cue nothing after it
_BOOK = re.compile(r"《([^《》\n]{2,60})》")
_CLAUSE_STOPS = "，,。；;：:！？!?\n"


@dataclass(frozen=True)
class InitiativeGrammar:
    """Cue words of initiative names, from ``resources/initiatives.toml``."""

    data: dict

    @cached_property
    def head(self) -> re.Pattern[str]:
        return re.compile(words_pattern(self.data["heads"]))

    @cached_property
    def middle_stop(self) -> re.Pattern[str]:
        return re.compile(words_pattern(self.data["middle_stops"]))

    @cached_property
    def coordinated(self) -> re.Pattern[str]:
        """A clause ending in a coordinator."""
        return re.compile(words_pattern(self.data["coordinators"]) + "$")

    @cached_property
    def list_joiners(self) -> frozenset[str]:
        return frozenset(["", *self.data["list_joiners"]])

    @cached_property
    def unquoted_bad_start(self) -> re.Pattern[str]:
        return re.compile("^" + words_pattern(self.data["unquoted"]["bad_starts"]))

    @cached_property
    def content_head(self) -> re.Pattern[str]:
        return re.compile(f"[{HAN}A-Za-z0-9]{{2}}" + words_pattern(self.data["content_heads"]) + "$")

    @cached_property
    def event_after(self) -> re.Pattern[str]:
        return re.compile("^" + words_pattern(self.data["events"]["meetings"]))

    @cached_property
    def head_before(self) -> re.Pattern[str]:
        return re.compile(words_pattern(self.data["heads"]) + "$")

    @cached_property
    def launch_verb(self) -> re.Pattern[str]:
        return re.compile(words_pattern(self.data["launch_verbs"]))

    @cached_property
    def after_cue(self) -> re.Pattern[str]:
        return re.compile("^" + words_pattern(self.data["after_cues"]))

    @cached_property
    def list_cue(self) -> re.Pattern[str]:
        return re.compile(r"^等(?:[0-9一二三四五六七八九十几多]+[项条个批类]|一系列|一批|系列)?"
                          + words_pattern(self.data["list_nouns"]))

    @cached_property
    def predicate(self) -> re.Pattern[str]:
        clause = r"[^，,。；;：:！？!?\n]{0,30}?"
        return re.compile("^" + words_pattern(self.data["predicate_verbs"]) + clause
                          + words_pattern(self.data["predicate_nouns"]) + r"(?=[，,。；;：:！？!?\n]|$)")

    @cached_property
    def negation(self) -> re.Pattern[str]:
        return re.compile(words_pattern(self.data["negating_verbs"]) + r"[^，,。；;：:！？!?\n]{0,2}$")

    @cached_property
    def numbered(self) -> re.Pattern[str]:
        """Numbered slogans: “五个前列”, “七改三清”, “433”, “1+11868”, “稳企12条”."""
        num, cls, counted = self.data["numerals"], self.data["numbered_classifiers"], self.data["counted_classifiers"]
        return re.compile(f"^[{num}几][{cls}]|^[0-9A-Za-z+·.\\-]+$|^[{num}][^{num}]{{1,3}}[{num}]"
                          f"|^[{HAN}]{{1,6}}[0-9]+[{counted}]$")

    @cached_property
    def unquoted(self) -> re.Pattern[str]:
        """实施阳光惠民行动: a launch verb, an ordinal maybe, a name ending in a head."""
        section = self.data["unquoted"]
        return re.compile(words_pattern(section["verbs"]) + f"(?:{self.data['generic']['lead_pattern']})?"
                          + f"(?P<name>[^{_NAME_STOP}]{{2,{section['max_name']}}}?"
                          + words_pattern(section["heads"]) + ")")

    @cached_property
    def event(self) -> re.Pattern[str]:
        """召开紧密型县域医共体建设启动会: the name before a launching meeting."""
        section = self.data["events"]
        return re.compile(words_pattern(section["verbs"]) + f"(?:{self.data['generic']['lead_pattern']})?"
                          + f"(?P<name>[^{_NAME_STOP}]{{2,{section['max_name']}}}?)"
                          + words_pattern(section["meetings"]))

    @cached_property
    def owned(self) -> re.Pattern[str]:
        """A name and head right after its owner: (法华南里社区)党建四平台品牌."""
        return re.compile(f"[{HAN}]{{2,12}}?" + words_pattern(self.data["owned"]["heads"]) + f"(?![{HAN}])")

    @cached_property
    def document_verb(self) -> re.Pattern[str]:
        """审议了, 制定出台了, 建立健全: a verb of adopting, maybe chained with others."""
        section = self.data["documents"]
        chain = words_pattern(section["verbs"] + section["chain_verbs"])
        return re.compile(words_pattern(section["verbs"]) + f"(?:[了并和、]?{chain})*了?")

    @cached_property
    def document_name(self) -> re.Pattern[str]:
        section, char = self.data["documents"], f"(?:(?![的和与及])[{HAN}“”‘’A-Za-z0-9·])"
        return re.compile(f"(?:关于)?{words_pattern(section['verbs'])}?(?P<name>{char}{{2,{section['max_name']}}}?"
                          f"{words_pattern(section['heads'])})(?=的|[^{HAN}]|$)")

    @cached_property
    def works(self) -> re.Pattern[str]:
        """老旧小区改造工程: building works, not a named programme."""
        return re.compile(words_pattern(self.data["unquoted"]["works_verbs"]) + "工程$")

    @cached_property
    def alias_marker(self) -> re.Pattern[str]:
        return re.compile(words_pattern(self.data["alias_markers"]) + "$")

    @cached_property
    def book_verb(self) -> re.Pattern[str]:
        """出台《, 制定了《, 依托全国首个《: an issuing verb, a short gap, the opening title mark."""
        section = self.data["books"]
        return re.compile(words_pattern(section["verbs"])
                          + f"(?P<gap>[^《》{_CLAUSE_STOPS}]{{0,{section['max_gap']}}}?)《")

    @cached_property
    def book_head(self) -> re.Pattern[str]:
        """A document's title ends in a head, maybe with a count (导则十条) or a bracketed note (（试行）)."""
        return re.compile(words_pattern(self.data["books"]["heads"])
                          + r"(?:[0-9一二三四五六七八九十]+条)?(?:[（(](?:试行|暂行|修订)[）)])?$")

    @cached_property
    def national_issuer(self) -> re.Pattern[str]:
        return re.compile(words_pattern(load_lexicon().national["issuers"]) + f"[{HAN}]{{0,8}}$")

    @cached_property
    def generic_end(self) -> re.Pattern[str]:
        return re.compile(words_pattern(self.data["generic"]["words"]) + "$")

    @cached_property
    def generic_start(self) -> re.Pattern[str]:
        return re.compile("^" + words_pattern(self.data["generic"]["words"]))

    def core(self, modifier: str) -> str:
        """What is left of a name's modifier once generic words are peeled off both ends."""
        modifier = re.sub("^" + self.data["generic"]["lead_pattern"], "", modifier)
        while (m := self.generic_end.search(modifier)) and m.start() < len(modifier):
            modifier = modifier[:m.start()]
        while (m := self.generic_start.match(modifier)) and m.end() > 0:
            modifier = modifier[m.end():]
        return modifier


@cache
def load_initiative_grammar() -> InitiativeGrammar:
    """The initiative cue words shipped in the package (read once per process)."""
    path = resources.files("pipeline").joinpath("resources/initiatives.toml")
    return InitiativeGrammar(tomllib.loads(path.read_text(encoding="utf-8")))


@dataclass
class _Quote:
    start: int  # opening quote mark
    end: int  # one past the closing mark
    content: str


class InitiativeRuler:
    """Adds INITIATIVE mentions from quotes with cues, launch-verb phrases and named plans."""

    def __init__(self, cue_window: int = 6, min_repeats: int = 3):
        self.cue_window = cue_window
        self.min_repeats = min_repeats

    def initialize(self, get_examples=None, *, nlp: Language | None = None) -> None:
        """Load the word tables and grammar from ``pipeline/resources`` (spaCy calls it before the first document)."""
        self.grammar = load_initiative_grammar()
        self.non_name = load_non_name_words()
        self.idioms = load_idioms()
        self.lexicon = load_lexicon()
        self.title_after = re.compile(f"^{self.lexicon.title_chain}")

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        spans = self._quoted(text)
        spans += self._launch_phrases(text)
        spans += self._documents(doc, text)
        spans += self._book_titles(text)
        spans += self._owned(doc, text)
        for start, end, rule in _longest(spans):
            add_mention(doc, start, end, "INITIATIVE", rule)
        return doc

    # -- quotes ------------------------------------------------------------------------------
    def _quoted(self, text: str) -> list[tuple[int, int, str]]:
        quotes = _find_quotes(text)
        counts: dict[str, int] = {}
        for q in quotes:
            counts[_key(q.content)] = counts.get(_key(q.content), 0) + 1
        spans: list[tuple[int, int, str]] = []
        for group in _runs(text, quotes, self.grammar.list_joiners):
            spans += self._run(text, group, counts)
        return spans

    def _run(self, text: str, group: list[_Quote], counts: dict[str, int]) -> list[tuple[int, int, str]]:
        """Initiatives of one run of adjacent quotes: a cue for one of them holds for all."""
        g = self.grammar
        if g.negation.search(_clause_before(text, group[0].start)):
            return []
        members = [q for q in group if not self._rejected(text, q)]
        after = text[group[-1].end:group[-1].end + 40]
        run_cue = bool(g.list_cue.match(after) or (_opens_clause(text, group[0].start) and g.predicate.match(after)))
        lead_cue = self._has_cue(text, group[0])
        spans, qualified = [], False
        whole_end = self._attached_head_end(text, group[-1]) if len(members) > 1 else None
        if whole_end is not None and members == group and all(
                a.end == b.start for a, b in pairwise(group)):
            return [(group[0].start, whole_end, "quote_run_head")]  # “双站长”“双点长”“双楼长”机制
        for q in members:
            end = self._attached_head_end(text, q)
            if end is not None:
                spans.append((q.start, end, "quote_head"))
            elif run_cue or self._qualifies(text, q, lead_cue, counts, after if q is group[-1] else ""):
                spans.append((q.start, q.end, "quote_cue"))
            else:
                continue
            qualified = True
        if not qualified:
            return []
        done = {s for s, _, _ in spans}
        return spans + [(q.start, q.end, "quote_list") for q in members if q.start not in done]

    def _qualifies(self, text: str, q: _Quote, lead_cue: bool, counts: dict[str, int], after: str) -> bool:
        """A numbered slogan, a name ending in a head (“护林护河行动”), or a name of three or more
        characters with a cue: a launch verb, a repeat, a cue after it (“…”工作, “红帆”启动仪式)."""
        g, content = self.grammar, q.content
        if g.numbered.search(content) or g.content_head.search(content) or g.event_after.match(after):
            return True
        # “一把手”, “领头雁”; not a sentence ending in 人
        role = len(content) <= 5 and self.lexicon.role_end.search(content)
        return len(content) >= 3 and not role and (
            lead_cue or self._has_cue(text, q) or counts[_key(content)] >= self.min_repeats
            or bool(g.after_cue.match(after)))

    def _rejected(self, text: str, q: _Quote) -> bool:
        content, g, lexicon = q.content, self.grammar, self.lexicon
        if _SAYING.search(content) and not g.numbered.search(content) and not _is_repeated_list(content):
            return True
        if self.title_after.fullmatch(content) or content[0] in "我你他她它" or lexicon.directive_start.match(content):
            return True
        if lexicon.question.search(content) or all("要" in part for part in re.split(r"[、，,]", content)):
            return True
        if lexicon.not_initiative_after.match(text[q.end:q.end + 4]) or self.title_after.match(text[q.end:q.end + 12]):
            return True  # an honour or saying (“…”称号), or a unit named in a title (“十大中心”主任)
        if _key(content) in lexicon.national_formulas and not g.head.match(text[q.end:q.end + 4]):
            return True  # a national formula only cited
        if g.alias_marker.search(text[max(0, q.start - 4):q.start]):
            return True  # another thing's short name: （以下简称“三犁公司”）
        if all(part in self.idioms for part in re.split(r"[、，,]", content)) \
                and self._attached_head_end(text, q) is None:
            return True  # an idiom or a pair of them: 无中生有
        # A quote standing as a sentence of its own is a saying: “空谈误国、实干兴邦”。
        before = text[max(0, q.start - 2):q.start].strip(" \u3000")
        opens_sentence = q.start == 0 or (bool(before) and before[-1] in _SENTENCE_OPEN)
        followed_by_word = bool(re.match(f"[{HAN}“‘「『]", text[q.end:q.end + 1]))  # or by the next quote of a run
        return opens_sentence and not followed_by_word and not g.numbered.search(content)

    def _attached_head_end(self, text: str, q: _Quote) -> int | None:
        """End of the longest head noun glued to the closing quote (“2359”党建品牌培育行动计划)."""
        window = text[q.end:q.end + 12]
        best = None
        for m in self.grammar.head.finditer(window):
            middle = window[:m.start()]
            if not re.fullmatch(f"[{HAN}A-Za-z0-9·+]*", middle) or self.grammar.middle_stop.search(middle):
                break
            best = q.end + m.end()
        return best

    def _has_cue(self, text: str, q: _Quote) -> bool:
        """A launch verb just before the quote (实施“四项行动”) or farther back with only name words
        between (推进城乡环境综合整治“百日攻坚”), a head noun naming it (平台“物业党建驿站”), or a
        launch verb anywhere in the clause whose objects it joins (开展…以及“社区书记开放日”)."""
        g = self.grammar
        clause = _QUOTED_TEXT.sub(lambda m: m[0][0] + "〇" * (len(m[0]) - 2) + m[0][-1],
                                  _CLAUSE_END.split(text[max(0, q.start - 40):q.start])[-1])
        if g.launch_verb.search(clause[-self.cue_window:]) or g.head_before.search(clause):
            return True
        verbs = list(g.launch_verb.finditer(clause))
        if not verbs:
            return False
        middle = clause[verbs[-1].end():]
        return bool(g.coordinated.search(clause)) or (
            len(middle) <= 16 and self.non_name.last_end(middle, 0, len(middle)) == 0)

    # -- unquoted names ----------------------------------------------------------------------
    def _launch_phrases(self, text: str) -> list[tuple[int, int, str]]:
        """实施阳光惠民行动, 召开…医共体建设启动会: unquoted names a verb launches, with a specific core."""
        g = self.grammar
        heads = g.data["unquoted"]["heads"]
        spans = []
        for m in g.unquoted.finditer(text):
            name = m["name"]
            head = max((h for h in heads if name.endswith(h)), key=len)
            if not g.unquoted_bad_start.match(name) and len(g.core(name[:-len(head)])) >= heads[head] \
                    and not g.works.search(name):
                spans.append((m.start("name"), m.end("name"), "launch_phrase"))
        for m in g.event.finditer(text):
            if not g.unquoted_bad_start.match(m["name"]) and len(g.core(m["name"])) >= g.data["events"]["min_core"]:
                spans.append((m.start("name"), m.end("name"), "event_name"))
        return spans

    def _owned(self, doc: Doc, text: str) -> list[tuple[int, int, str]]:
        """法华南里社区党建四平台品牌: a name of name words and a head right after a place or organisation
        (any occurrence of a name the document tags as one)."""
        owners = {m.text for m in mentions(doc) if m.label_ in ("PLACE", "ORG") and len(m.text) >= 3}
        if not owners:
            return []
        heads = self.grammar.data["owned"]["heads"]
        spans = []
        for owner in re.finditer(words_pattern(owners), text):
            m = self.grammar.owned.match(text, owner.end())
            if m is None or _in_quote(text, owner.start()):
                continue
            head = max((h for h in heads if m[0].endswith(h)), key=len)
            modifier_end = m.end() - len(head)
            if self.non_name.last_end(text, m.start(), modifier_end) == m.start() \
                    and len(self.grammar.core(text[m.start():modifier_end])) >= heads[head]:
                spans.append((m.start(), m.end(), "owned_name"))
        return spans

    def _book_titles(self, text: str) -> list[tuple[int, int, str]]:
        """洛阳出台《关于…的若干措施》, 制定《A》《B》: policy documents put out by an issuer that is not of the
        national level; the span is the title inside the marks."""
        g, section = self.grammar, self.grammar.data["books"]
        spans = []
        for m in g.book_verb.finditer(text):
            issuer = _CLAUSE_END.split(text[max(0, m.start() - 16):m.start()])[-1]
            if g.national_issuer.search(issuer):
                continue
            at = m.end() - 1
            while (title := _BOOK.match(text, at)) is not None:
                content = title[1]
                about_a_quote = "关于" in content and _QUOTED_TEXT.search(content)
                if len(content) <= section["max_name"] and g.book_head.search(content) and not about_a_quote:
                    spans.append((title.start(1), title.end(1), "book_title"))
                at = title.end() + (text[title.end():title.end() + 1] == "、")
        return spans

    def _documents(self, doc: Doc, text: str) -> list[tuple[int, int, str]]:
        """会议审议了青禾县人居环境整治工作方案: plans and programmes adopted, issued or heard."""
        owners = {m.start_char: m.end_char for m in mentions(doc)
                  if m.label_ in ("ORG", "PERSON") and text.startswith("《", m.end_char)}
        section = self.grammar.data["documents"]
        spans = []
        for m in self.grammar.document_verb.finditer(text):
            at = m.end()
            at = owners.get(at, at)  # an owner before the title: 审议了县政府党组《…》
            at += text.startswith("《", at)
            name = self.grammar.document_name.match(text, at)  # 关于审定… passed over
            if name is None:
                continue
            value = name["name"]
            head = next(h for h in sorted(section["heads"], key=len, reverse=True) if value.endswith(h))
            if len(self.grammar.core(re.sub("[“”‘’]", "", value[:-len(head)]))) >= section["min_core"]:
                spans.append((name.start("name"), name.end("name"), "document_name"))
        return spans


def _find_quotes(text: str) -> list[_Quote]:
    quotes = [_Quote(m.start(), m.end(), m[1]) for p in _QUOTES for m in p.finditer(text)]
    return sorted(quotes, key=lambda q: q.start)


def _runs(text: str, quotes: list[_Quote], joiners: frozenset[str]) -> list[list[_Quote]]:
    """Quotes written one after another (“七不变”“八统一”, “A”、“B”和“C”) as runs; nested ones stand alone."""
    runs: list[list[_Quote]] = []
    for q in quotes:
        prev = runs[-1][-1] if runs else None
        if prev is not None and prev.end <= q.start and text[prev.end:q.start] in joiners:
            runs[-1].append(q)
        else:
            runs.append([q])
    return runs


def _in_quote(text: str, at: int) -> bool:
    """Whether ``at`` lies inside “…” (a saying or a name, not the discourse)."""
    return text.rfind("“", max(0, at - 40), at) > text.rfind("”", max(0, at - 40), at)


def _clause_before(text: str, at: int) -> str:
    return _CLAUSE_END.split(text[max(0, at - 12):at])[-1]


def _opens_clause(text: str, at: int) -> bool:
    before = text[max(0, at - 2):at].strip(" \u3000")
    return not before or bool(_CLAUSE_END.search(before[-1]))


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


@Language.factory("cadregraph_initiative_ruler_v1", assigns=["doc._.initiatives"],
                  requires=["doc._.places", "doc._.orgs"])
def make_initiative_ruler(nlp: Language, name: str, cue_window: int = 6, min_repeats: int = 3) -> InitiativeRuler:
    register_extensions()
    return InitiativeRuler(cue_window=cue_window, min_repeats=min_repeats)
