"""Each official's timeline across the corpus: posts in date order, transitions and successions.

Every post of every document (:class:`Sighting`: person node, unit node, title, status, date, rank) is
grouped by person, unit and post. A post is identified by its title's parse without level, 代/代理 and
候选人 (县委书记 = 书记 = 党委书记 of one unit; 代县长 = 县长候选人 = 县长), so one row follows a post through
nomination, acting and appointment.

- A **transition** is the same person in a new post: stated when one document removes (or names as
  former) one post and gives another (任X，不再担任Y); observed when a post is first seen after the
  person's last sighting of an earlier one.
- A **succession** is a post held by one person at a time (a secretary, a head of government, a chair:
  ``resources/ranks.toml``) passing to another person: stated when one document appoints (or
  nominates) one person to it and removes another (or names them 原/前任); observed when the next holder
  is first seen holding it after the last sighting of the previous one holding it, with no overlap.
  Successions become ``SUCCEEDED`` edges of the corpus graph, successor → predecessor.

Persons are graph nodes, so identity follows the graph: one article that names a person's posts in two
units (调任, 任X…不再担任Y) joins them; namesakes in different units without such an article stay apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise

import networkx as nx

from ..ner.title_grammar import load_title_grammar
from .ranks import load_rank_table
from .status import PRECEDENCE, load_status_cues, strongest

POSITIONS = ("SECRETARY_OF", "HOLDS_POSITION")
SUCCEEDED = "SUCCEEDED"
HOLDING = ("current", "appointed", "acting")
ENTERING = ("appointed", "acting", "nominated")
LEAVING = ("removed", "former")
_PARTY_ORGANS = ("", "committee", "party")


@dataclass(frozen=True)
class Sighting:
    """One post of one person in one document."""

    person: str
    unit: str
    label: str
    title: str
    status: str
    as_of: str | None
    rank: str | None
    doc_id: str
    evidence: tuple[tuple[str, int, int, str], ...]  # (sentence, start, end, rule)
    confidence: float


@dataclass
class PostHistory:
    """One person's post in one unit across documents."""

    person: str
    unit: str
    label: str
    post: str  # the post's key (see the module docstring)
    sole: bool
    sightings: list[Sighting] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The title as most often written, without 代/代理 and 候选人 (ties: the longest)."""
        counts: dict[str, int] = {}
        for s in self.sightings:
            plain = _plain_title(s.title)
            counts[plain] = counts.get(plain, 0) + 1
        return max(counts, key=lambda t: (counts[t], len(t), t))

    @property
    def dates(self) -> list[str]:
        return sorted(s.as_of for s in self.sightings if s.as_of)

    @property
    def first_seen(self) -> str | None:
        return self.dates[0] if self.dates else None

    @property
    def last_seen(self) -> str | None:
        return self.dates[-1] if self.dates else None

    @property
    def status(self) -> str:
        """The status of its latest sighting (of one date, the strongest)."""
        latest = self.last_seen
        return strongest(s.status for s in self.sightings if s.as_of == latest)

    @property
    def rank(self) -> str | None:
        ranks = {s.rank for s in self.sightings if s.rank}
        order = load_rank_table().order
        return min(ranks, key=order.index) if ranks else None

    @property
    def documents(self) -> list[str]:
        return sorted({s.doc_id for s in self.sightings})

    def held(self) -> list[str]:
        """Dates it is seen held (current, appointed, acting)."""
        return sorted(s.as_of for s in self.sightings if s.as_of and s.status in HOLDING)


@dataclass(frozen=True)
class Change:
    """A transition (one person, two posts) or a succession (one post, two persons)."""

    before: PostHistory
    after: PostHistory
    date: str | None
    rule: str  # stated (one document says it) or observed (the dates show it)
    evidence: tuple[Sighting, ...]


@dataclass
class Timeline:
    """Posts by person, with transitions and successions."""

    posts: list[PostHistory]
    transitions: list[Change]
    successions: list[Change]

    def by_person(self) -> dict[str, list[PostHistory]]:
        """Each person's posts in date order (undated last)."""
        out: dict[str, list[PostHistory]] = {}
        for post in sorted(self.posts, key=_post_order):
            out.setdefault(post.person, []).append(post)
        return out


def sightings_of(records: Iterable, node_of: Mapping[str, str]) -> list[Sighting]:
    """The posts of every document record (:class:`~pipeline.graph.GraphRecord`), persons and units as the
    graph nodes ``node_of`` gives their keys."""
    out = []
    for record in records:
        for edge in record.edges:
            if edge.label not in POSITIONS:
                continue
            person, unit = node_of[record.nodes[edge.head].keys[0]], node_of[record.nodes[edge.tail].keys[0]]
            evidence = tuple((sentence, start, end, rule) for sentence, start, end, rule, _ in edge.evidence)
            for title, status, as_of, rank in edge.posts:
                out.append(Sighting(person, unit, edge.label, title, status, as_of, rank, record.doc_id, evidence,
                                    edge.confidence))
    return out


def build_timeline(sightings: Iterable[Sighting]) -> Timeline:
    """Group the sightings into posts and find transitions and successions."""
    grammar, ranks = load_title_grammar(), load_rank_table()
    posts: dict[tuple[str, str, str, str], PostHistory] = {}
    for s in sightings:
        parsed = grammar.parse(s.title)
        key = _post_key(s.label, s.title, parsed)
        sole = parsed is not None and ranks.is_sole(parsed, s.label)
        history = posts.setdefault((s.person, s.unit, s.label, key), PostHistory(s.person, s.unit, s.label, key, sole))
        history.sightings.append(s)
    ordered = sorted(posts.values(), key=_post_order)
    return Timeline(ordered, transitions(ordered), successions(ordered))


def transitions(posts: list[PostHistory]) -> list[Change]:
    """Moves of one person from a post to another (see the module docstring)."""
    out: dict[tuple[int, int], Change] = {}
    by_person: dict[str, list[PostHistory]] = {}
    for post in posts:
        by_person.setdefault(post.person, []).append(post)
    for own in by_person.values():
        for doc_id in sorted({s.doc_id for p in own for s in p.sightings}):
            leaving = _in_document(own, doc_id, LEAVING)
            entering = [p for p in _in_document(own, doc_id, (*ENTERING, "current")) if p not in leaving]  # 原X，现任Y
            if leaving and entering:  # one move per document: from the principal post left to the one taken
                before, after = _principal(leaving), _principal(entering)
                stated = _stated(before, after, LEAVING, (*ENTERING, "current"))
                if stated and (id(before), id(after)) not in out:
                    out[(id(before), id(after))] = Change(before, after, stated[1].as_of, "stated", stated)
        entered = {id(c.after) for c in out.values()}
        for first in sorted({p.first_seen for p in own if p.first_seen}):  # one move per date: to the principal
            new = [p for p in own if p.first_seen == first and id(p) not in entered]
            earlier = [p for p in own if p.last_seen and p.last_seen < first]
            if new and earlier:
                before = max(earlier, key=lambda p: (p.last_seen, p.status not in LEAVING, p.post))
                after = _principal(new)
                out[(id(before), id(after))] = Change(before, after, first, "observed", (_latest(before),
                                                                                          _earliest(after)))
    return sorted(out.values(), key=lambda c: (c.before.person, c.date or "", c.after.unit, c.after.post))


def successions(posts: list[PostHistory]) -> list[Change]:
    """Posts held by one person at a time passing to another (see the module docstring)."""
    out: list[Change] = []
    by_post: dict[tuple[str, str, str], list[PostHistory]] = {}
    for post in posts:
        if post.sole:
            by_post.setdefault((post.unit, post.label, post.post), []).append(post)
    for holders in by_post.values():
        stated_pairs = set()
        for before in holders:
            for after in holders:
                if before.person != after.person and (stated := _stated(before, after, LEAVING, ENTERING)):
                    out.append(Change(before, after, stated[1].as_of, "stated", stated))
                    stated_pairs.add((before.person, after.person))
        dated = sorted((h for h in holders if h.held()), key=lambda h: (h.held()[0], h.person))
        for before, after in pairwise(dated):
            start = after.held()[0]
            if before.held()[-1] < start and (before.person, after.person) not in stated_pairs:
                held = [s for s in after.sightings if s.as_of == start and s.status in HOLDING]
                out.append(Change(before, after, start, "observed", (_latest(before, HOLDING), held[0])))
    return sorted(out, key=lambda c: (c.after.unit, c.after.post, c.date or "", c.after.person))


def add_successions(graph: nx.MultiDiGraph, timeline: Timeline) -> None:
    """Add each succession as a ``SUCCEEDED`` edge (successor → predecessor) with its evidence, and give each
    position edge its latest ``status``, its latest ``as_of`` and its highest ``rank``."""
    for (person, unit, label), found in _by_edge(timeline.posts).items():
        if graph.has_edge(person, unit, key=label):
            data = graph.edges[person, unit, label]
            seen = [s for p in found for s in p.sightings]
            latest = max(s.as_of or "" for s in seen)
            data["status"] = strongest(s.status for s in seen if (s.as_of or "") == latest)
            if latest:
                data["as_of"] = latest
            ranks = [p.rank for p in found if p.rank]
            if ranks:
                data["rank"] = min(ranks, key=load_rank_table().order.index)
    for change in timeline.successions:
        head, tail = change.after.person, change.before.person
        if not graph.has_edge(head, tail, key=SUCCEEDED):
            graph.add_edge(head, tail, key=SUCCEEDED, label=SUCCEEDED, type=SUCCEEDED, titles=set(), doc_ids=set(),
                           dates=set(), sources={"timeline"}, rules=set(), evidence=[], confidence=1.0,
                           unit=change.after.unit)
        data = graph.edges[head, tail, SUCCEEDED]
        rule = f"succession_{change.rule}"
        data["titles"].add(change.after.title)
        data["rules"].add(rule)
        data["confidence"] = min(data["confidence"], *(s.confidence for s in change.evidence))
        if change.date:
            data["dates"].add(change.date)
        for s in change.evidence:
            data["doc_ids"].add(s.doc_id)
            for sentence, start, end, _ in s.evidence:
                item = {"doc_id": s.doc_id, "sentence": sentence, "start": start, "end": end, "rule": rule,
                        "unit": None}
                if item not in data["evidence"]:
                    data["evidence"].append(item)


def _stated(before: PostHistory, after: PostHistory, leaving: tuple[str, ...], entering: tuple[str, ...]
            ) -> tuple[Sighting, Sighting] | None:
    """A document where ``before`` is left and ``after`` entered: (the leaving sighting, the entering one)."""
    for s in before.sightings:
        if s.status in leaving:
            match = next((t for t in after.sightings if t.doc_id == s.doc_id and t.status in entering), None)
            if match is not None:
                return s, match
    return None


def _in_document(posts: list[PostHistory], doc_id: str, statuses: tuple[str, ...]) -> list[PostHistory]:
    return [p for p in posts if any(s.doc_id == doc_id and s.status in statuses for s in p.sightings)]


def _principal(posts: list[PostHistory]) -> PostHistory:
    """The post that stands for several taken or left at once: the highest ranked, else a sole post."""
    order = load_rank_table().order
    return min(posts, key=lambda p: (order.index(p.rank) if p.rank else len(order), not p.sole, p.post, p.unit))


def _latest(post: PostHistory, statuses: tuple[str, ...] = tuple(PRECEDENCE)) -> Sighting:
    return max((s for s in post.sightings if s.status in statuses), key=lambda s: (s.as_of or "", s.doc_id))


def _earliest(post: PostHistory) -> Sighting:
    return min(post.sightings, key=lambda s: (s.as_of or "9999", s.doc_id))


def _by_edge(posts: list[PostHistory]) -> dict[tuple[str, str, str], list[PostHistory]]:
    out: dict[tuple[str, str, str], list[PostHistory]] = {}
    for post in posts:
        out.setdefault((post.person, post.unit, post.label), []).append(post)
    return out


def _post_key(label: str, title: str, parsed) -> str:
    """A post's identity in its unit: its organ kind, modifier and post, without level, 代/代理 and 候选人."""
    if parsed is None:
        return f"{label}:{_plain_title(title)}"
    organ = "party" if parsed.organ_kind in _PARTY_ORGANS else parsed.organ_kind  # 副书记 = 市委副书记 = 党委副书记
    modifier = "" if parsed.modifier in load_status_cues().acting_modifiers else parsed.modifier
    return f"{label}:{organ}:{modifier}:{parsed.post}"


def _plain_title(title: str) -> str:
    cues = load_status_cues()
    for word in cues.acting_modifiers:
        if title.startswith(word) and len(title) > len(word) + 1:
            title = title[len(word):]
            break
    return title.removesuffix(cues.nominee_suffix) or title


def _post_order(post: PostHistory) -> tuple:
    return post.person, post.first_seen or "9999", post.last_seen or "9999", post.unit, post.post
