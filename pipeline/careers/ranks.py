"""The rank (级别) of a post where its title and its unit's level determine it: 县委书记 of a county 正处,
副县长 副处, 镇党委书记 正科, 市委书记 of a prefecture-level city 正厅.

The table, with its source, is ``pipeline/resources/ranks.toml``: the principal rank of a locality by its
level, the posts of a locality with their steps below it, the heads of government with the levels they
head. A 副 modifier is one step down. Anything else (a bureau, a company, a village) gets no rank.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..ner.title_grammar import Title

@dataclass(frozen=True)
class RankTable:
    """The table of ``resources/ranks.toml``."""

    order: tuple[str, ...]
    unit_levels: dict[str, str]
    subprovincial: frozenset[str]
    posts: dict[tuple[str, str], int]  # (organ kind, post) → steps below the principal rank
    heads: dict[str, tuple[str, ...]]  # head of government → the unit levels it heads
    deputy_mark: str
    municipality_suffix: str  # provinces named so are municipalities: their counties rank as prefectures

    @classmethod
    def from_toml(cls, data: dict) -> RankTable:
        posts = {tuple(key.split("/", 1)): steps for key, steps in data["posts"].items()}
        return cls(tuple(data["order"]), dict(data["unit_levels"]), frozenset(data["subprovincial"]["codes"]),
                   posts, {k: tuple(v) for k, v in data["heads"].items()}, data["deputy_mark"],
                   data["municipality_suffix"])

    def steps(self, title: Title, level: str | None) -> int | None:
        """Steps below the principal rank of a post of a unit of ``level``; None for no post of a locality."""
        if title.post in self.heads and not title.organ:
            return 0 if level in self.heads[title.post] else None
        return self.posts.get((title.organ_kind, title.post))

    def is_sole(self, title: Title, label: str) -> bool:
        """Whether one person at a time holds the post in its unit: a secretary, a head, a chair (not a
        deputy or a member)."""
        if self.deputy_mark in title.modifier:
            return False
        return label == "SECRETARY_OF" or (title.post in self.heads and not title.organ) \
            or self.posts.get((title.organ_kind, title.post)) == 0

    def rank(self, title: Title, level: str | None, code: str | None,
             parents: Sequence[tuple[str, str, str]]) -> str | None:
        """The rank of a post, or None when title and unit do not determine it.

        Args:
            title: the parsed title.
            level: the unit's level (province, prefecture, county, township; None or other for the rest).
            code: the unit's division code; ``parents`` its ancestors as (code, name, level), nearest first.
        """
        steps = self.steps(title, level)
        if steps is None or level not in self.unit_levels:
            return None
        effective = level
        if code in self.subprovincial:
            effective = "subprovincial"
        elif level == "county" and parents and parents[0][2] == "province" \
                and parents[0][1].endswith(self.municipality_suffix):
            effective = "prefecture"
        steps += self.deputy_mark in title.modifier
        index = self.order.index(self.unit_levels[effective]) + steps
        return self.order[index] if index < len(self.order) else None


@cache
def load_rank_table() -> RankTable:
    """The table shipped in ``pipeline/resources/ranks.toml`` (read once per process)."""
    text = resources.files("pipeline").joinpath("resources/ranks.toml").read_text(encoding="utf-8")
    return RankTable.from_toml(tomllib.loads(text))
