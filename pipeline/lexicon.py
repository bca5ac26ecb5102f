"""Closed-class vocabulary of the genre shared by several stages, read from ``pipeline/resources``.

The words are data (``names.toml``, ``national.toml``, ``units.toml`` and sections of ``titles.toml``,
``org_heads.toml``, ``initiatives.toml``, ``promotes.toml``); :class:`Lexicon` turns
them into the sets and patterns the stages match with. Only character classes stay here.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources

HAN = r"\u4e00-\u9fff"
LEVEL_PREFIXES = "省市县区州镇乡"
CLAUSE_BREAKS = "，,；;：:"


def is_han(ch: str) -> bool:
    """Whether ``ch`` is a CJK unified ideograph (the range of :data:`HAN`)."""
    return "\u4e00" <= ch <= "\u9fff"


def _alternation(words) -> str:
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


def words_pattern(words: Iterable[str]) -> str:
    """A regular expression group matching any of ``words`` literally, longest first (新村 before 村)."""
    return "(?:" + "|".join(sorted({re.escape(w) for w in words}, key=len, reverse=True)) + ")"


def _read(name: str) -> dict:
    return tomllib.loads(resources.files("pipeline").joinpath("resources", name).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Lexicon:
    """The shared vocabulary: name words, title words, organisation boundaries, sayings, national formulas."""

    names: dict
    titles: dict
    org_heads: dict
    initiatives: dict
    promotes: dict
    national: dict
    units: dict

    # -- units -------------------------------------------------------------------------------
    @cached_property
    def locality_suffixes(self) -> tuple[str, ...]:
        return tuple(self.units["suffixes"]["locality"])

    @cached_property
    def zone_suffixes(self) -> tuple[str, ...]:
        return tuple(self.units["suffixes"]["zone"])

    @cached_property
    def division_suffixes(self) -> tuple[str, ...]:
        return tuple(self.units["suffixes"]["division"])

    @cached_property
    def host_suffixes(self) -> tuple[str, ...]:
        return tuple(self.units["suffixes"]["host"])

    @cached_property
    def unit_suffix(self) -> re.Pattern[str]:
        """The suffix of a unit below the list; longer suffixes first (新村 before 村)."""
        return re.compile("(" + words_pattern(self.units["suffixes"]["unit_grammar"]) + ")")

    @cached_property
    def committee_name(self) -> re.Pattern[str]:
        """A party committee or branch named after the place it leads (安宁市委): group 1 is the place."""
        return re.compile("(.+?)" + words_pattern(self.org_heads["committees"]["suffixes"]))

    @cached_property
    def relative_bodies(self) -> tuple[str, ...]:
        """Bodies that, named without their place (镇党委), mean something only inside their document."""
        return tuple(self.org_heads["committees"]["relative"])

    @cached_property
    def located_heads(self) -> tuple[str, ...]:
        return tuple(self.org_heads["located"]["heads"])

    # -- person names ------------------------------------------------------------------------
    @cached_property
    def surnames_single(self) -> frozenset[str]:
        return frozenset(re.sub(r"\s", "", self.names["surnames"]["single"]))

    @cached_property
    def surnames_compound(self) -> tuple[str, ...]:
        return tuple(self.names["surnames"]["compound"])

    @cached_property
    def name_followers(self) -> tuple[str, ...]:
        """What starts the next word right after a two-character name (说, 表示): for ``str.startswith``."""
        followers = self.names["followers"]
        return (*followers["characters"], *followers["words"])

    @cached_property
    def non_names(self) -> frozenset[str]:
        return frozenset(self.names["non_names"]["words"])

    # -- titles ------------------------------------------------------------------------------
    @cached_property
    def party_organs(self) -> tuple[str, ...]:
        return tuple(self.titles["words"]["party_organs"])

    @cached_property
    def organs(self) -> tuple[str, ...]:
        words = self.titles["words"]
        return (*words["party_organs"], *words["committee_organs"], *words["other_organs"])

    @cached_property
    def post_bases(self) -> tuple[str, ...]:
        return tuple(self.titles["words"]["posts"])

    @cached_property
    def post(self) -> str:
        """A post: 书记, 第一书记, 常务副县长."""
        return r"(?:第一书记|(?:常务|专职|执行)?副?" + words_pattern(self.post_bases) + ")"

    @cached_property
    def post_pattern(self) -> re.Pattern[str]:
        return re.compile(self.post)

    @cached_property
    def title_chain(self) -> str:
        """Titles joined by 、, each [村镇乡]?[organ]?[post]."""
        one = r"(?:[村镇乡]?" + words_pattern(self.organs) + r")?" + self.post
        return one + r"(?:、" + one + r")*"

    # -- organisations -----------------------------------------------------------------------
    @cached_property
    def org_left_cut(self) -> re.Pattern[str]:
        """Verbs and function words that end the text before an organisation name starts."""
        cut = self.org_heads["left_cut"]
        return re.compile(f"({words_pattern(cut['words'])}|[{cut['characters']}])")

    @cached_property
    def not_level_prefix(self) -> frozenset[str]:
        return frozenset(self.org_heads["not_level_prefix"]["words"])

    # -- initiatives -------------------------------------------------------------------------
    @cached_property
    def not_initiative_after(self) -> re.Pattern[str]:
        return re.compile("^" + words_pattern(self.initiatives["sayings"]["after"]))

    @cached_property
    def directive_start(self) -> re.Pattern[str]:
        return re.compile("^" + words_pattern(self.initiatives["sayings"]["directive_starts"]))

    @cached_property
    def question(self) -> re.Pattern[str]:
        return re.compile(words_pattern(self.initiatives["sayings"]["question_words"]))

    @cached_property
    def role_end(self) -> re.Pattern[str]:
        return re.compile(f"[{self.initiatives['sayings']['role_endings']}]$")

    @cached_property
    def national_formulas(self) -> frozenset[str]:
        return frozenset(self.national["formulas"])

    @cached_property
    def higher_level(self) -> re.Pattern[str]:
        """A higher level proposing (省党代会提出“…”): the proposers are patterns, the verbs words."""
        section = self.national["higher_level"]
        return re.compile(_alternation(section["proposers"]) + "[^，。,]{0,6}" + words_pattern(section["verbs"]))

    # -- speech and actors -------------------------------------------------------------------
    @cached_property
    def speech_verbs(self) -> str:
        """Speech verbs after a closing quote, as a pattern to embed."""
        return words_pattern(self.promotes["quote_speech_verbs"])

    @cached_property
    def self_unit(self) -> re.Pattern[str]:
        """我市 / 全县 / 本镇; group 2 is the level."""
        section = self.promotes["self_units"]
        return re.compile(f"({words_pattern(section['markers'])})({words_pattern(section['levels'])})")


@cache
def load_lexicon() -> Lexicon:
    """The vocabulary shipped in the package (read once per process)."""
    return Lexicon(*(_read(name) for name in ("names.toml", "titles.toml", "org_heads.toml", "initiatives.toml",
                                              "promotes.toml", "national.toml", "units.toml")))
