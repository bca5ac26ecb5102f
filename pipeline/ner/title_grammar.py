"""The title grammar, read from ``resources/titles.toml``: [level?][organ?][modifier?][post][suffix?].

A :class:`TitleGrammar` finds single titles in text and parses each into its
parts, which say whose post it is: a level (县委书记 → the county), an organ
kind (人大 → the congress of the place, 宣传部 → a department), and the kinds
of unit the post can belong to (校长 → a school).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources

from ..lexicon import words_pattern

@dataclass(frozen=True)
class Title:
    """One parsed title: 县委副书记 → level 县, organ 委 (committee), modifier 副, post 书记."""

    text: str
    level: str
    organ: str
    organ_kind: str
    modifier: str
    post: str
    kinds: tuple[str, ...]
    is_secretary: bool  # the unit's secretary: a secretary post, not deputy, of a party organ (titles.toml)

    @property
    def label(self) -> str:
        return "SECRETARY_OF" if self.is_secretary else "HOLDS_POSITION"

    @property
    def department(self) -> str:
        """The department named in the title (组织部 in 县委组织部部长), '' when none."""
        return self.organ if self.organ_kind == "department" else ""

    @property
    def has_own_unit(self) -> bool:
        """A level or a committee of its own: the title does not inherit the unit of the one before it."""
        return bool(self.level)


@dataclass(frozen=True, eq=False)
class TitleGrammar:
    """Title vocabulary and the compiled pattern of one title."""

    levels: dict[str, tuple[str, ...]]
    organs: dict[str, str]  # organ → kind
    department_links: dict[str, str]  # department → what joins it to the committee's place (委 in 县委组织部)
    modifiers: tuple[str, ...]
    suffixes: tuple[str, ...]
    posts: dict[str, tuple[str, ...]]  # post → unit kinds
    short_department_posts: dict[str, str]  # 组织部长 → 组织部
    kinds: dict[str, tuple[str, ...]]  # organisation kind → head nouns
    self_markers: tuple[str, ...]
    self_words: tuple[str, ...]
    organ_levels: dict[str, tuple[str, ...]]  # organ kind → levels where it exists
    organ_excludes: dict[str, tuple[str, ...]]  # organ kind → unit kinds it never belongs to
    glued_levels: frozenset[str]
    openers: tuple[str, ...]
    section_heads: tuple[str, ...]
    max_section: int
    secretary: dict  # titles.toml [secretary]: posts, organ kinds, the deputy mark
    persons: dict  # titles.toml [persons]: cues that make a name a person (read by the title ruler)

    @classmethod
    def from_toml(cls, data: dict) -> TitleGrammar:
        organs = {organ: kind for kind, names in data["organs"].items() for organ in names}
        return cls(
            levels={k: tuple(v) for k, v in data["levels"].items()},
            organs=organs,
            department_links={d: link for d, link in data["department_links"].items()},
            modifiers=tuple(data["affixes"]["modifiers"]),
            suffixes=tuple(data["affixes"]["suffixes"]),
            posts={k: tuple(v) for k, v in data["posts"].items()},
            short_department_posts=dict(data["short_department_posts"]),
            kinds={k: tuple(v) for k, v in data["kinds"].items()},
            self_markers=tuple(data["self_reference"]["markers"]),
            self_words=tuple(data["self_reference"]["words"]),
            organ_levels={k: tuple(v) for k, v in data["organ_levels"].items()},
            organ_excludes={k: tuple(v) for k, v in data["organ_excludes"].items()},
            glued_levels=frozenset(data["glued_levels"]["words"]),
            openers=tuple(data["openers"]["words"]),
            section_heads=tuple(data["sections"]["heads"]),
            max_section=data["sections"]["max_length"],
            secretary=data["secretary"],
            persons=data["persons"],
        )

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """One title; named groups level, committee, organ, mod and post."""
        posts = list(self.posts) + list(self.short_department_posts)
        organs = [o for o in self.organs if o != "委"]
        return re.compile(
            r"(?<!总)"
            rf"(?:(?P<level>{words_pattern(self.levels)})(?P<committee>委(?!员|会))?)?"
            rf"(?P<organ>{words_pattern(organs)})?"
            rf"(?P<mod>{words_pattern(self.modifiers)})?"
            rf"(?P<post>{words_pattern(posts)})"
            rf"(?:{words_pattern(self.suffixes)})?"
        )

    def finditer(self, text: str, start: int = 0, end: int | None = None):
        """Single titles in ``text`` (a match object per title; groups level, committee, organ, mod, post)."""
        return self.pattern.finditer(text, start, len(text) if end is None else end)

    @cached_property
    def organ_pattern(self) -> re.Pattern[str]:
        """Any organ word of two or more characters, or a level committee (县委)."""
        organs = [o for o in self.organs if len(o) >= 2]
        return re.compile(f"{words_pattern(organs)}|(?:{words_pattern(self.levels)})委")

    def parse_match(self, m: re.Match[str]) -> Title:
        level, organ, post = m["level"] or "", m["organ"] or "", m["post"]
        organ_kind = self.organs.get(organ, "")
        if m["committee"] and not organ:
            organ, organ_kind = "委", "committee"
        if post in self.short_department_posts:
            organ, organ_kind, post = self.short_department_posts[post], "department", "部长"
        modifier = m["mod"] or ""
        secretary = (post in self.secretary["posts"] and self.secretary["deputy"] not in modifier
                     and organ_kind in self.secretary["organ_kinds"])
        return Title(m.group(), level, organ, organ_kind, modifier, post, self.posts.get(post, ("any",)), secretary)

    def parse(self, text: str) -> Title | None:
        """The parse of ``text`` when the whole of it is one title."""
        m = self.pattern.fullmatch(text)
        return self.parse_match(m) if m else None

    @cached_property
    def _kind_heads(self) -> dict[str, str]:
        """Head noun → organisation kind."""
        return _inverse(self.kinds)

    @cached_property
    def _level_endings(self) -> dict[str, str]:
        """Place-name ending → level word."""
        return _inverse(self.levels)

    def kind_of(self, name: str) -> str | None:
        """The organisation kind of a name by its longest head noun (渭南师范学院 → school), None when unknown."""
        heads = self._kind_heads
        return next((heads[name[-n:]] for n in range(min(len(name), 6), 0, -1) if name[-n:] in heads), None)

    def level_of(self, name: str) -> str | None:
        """The level word of a place name by its longest ending (溪口村 → 村, 户县 → 县), None when unknown
        or when the ending is an ordinary word (南北片区, 高新园区)."""
        if name[-2:] in self.glued_levels:
            return None
        endings = self._level_endings
        return next((endings[name[-n:]] for n in range(min(len(name) - 1, 5), 0, -1) if name[-n:] in endings), None)

    def department_name(self, place: str, department: str) -> str:
        """The full name of a department under its place: 富平县 + 宣传部 → 富平县委宣传部."""
        return place + self.department_links.get(department, "") + department


def _inverse(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Word → the first key that lists it."""
    out: dict[str, str] = {}
    for key, words in table.items():
        for word in words:
            out.setdefault(word, key)
    return out


@cache
def load_title_grammar() -> TitleGrammar:
    """The grammar shipped in ``pipeline/resources/titles.toml`` (read once per process)."""
    data = tomllib.loads(resources.files("pipeline").joinpath("resources/titles.toml").read_text(encoding="utf-8"))
    return TitleGrammar.from_toml(data)
