"""Group a document's mentions into entities: places resolved to divisions, relative names expanded
(市委 → 中共安宁市委, 县财政局 → 筠连县财政局), persons and initiatives by name.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from ..doc import EntityCluster, mentions, outlet_of, text_of
from ..gazetteer import Gazetteer
from ..lexicon import LEVEL_PREFIXES, load_lexicon
from .places import Decision, resolve_surfaces

_QUOTE_CHARS = "“”‘’「」『』\"'"
_QUOTED = re.compile(r"[“‘「『\"]([^”’」』\"]+)[”’」』\"]")
_LEVEL_SUFFIX = {"省": ("省",), "市": ("市",), "州": ("州",), "县": ("县", "旗"), "区": ("区",),
                 "镇": ("镇",), "乡": ("乡",), "街道": ("街道",)}


def key(text: str) -> str:
    """Comparison key of a name: no quotes, punctuation or spaces."""
    return re.sub(r"[^\w+]", "", text)


class DocumentEntities:
    """The entities of one document, built mention by mention: ``clusters``, and the index from mentions."""

    def __init__(self, doc: Doc, gazetteer: Gazetteer):
        self.doc = doc
        self.gaz = gazetteer
        self.clusters: list[EntityCluster] = []
        self.index: dict[tuple[int, int, str], int] = {}
        self.focus: int | None = None
        self.places = mentions(doc, "PLACE")

    def _add(self, cluster: EntityCluster, spans: list[Span]) -> int:
        self.clusters.append(cluster)
        i = len(self.clusters) - 1
        for s in spans:
            self._attach(i, s)
        return i

    def _attach(self, i: int, span: Span) -> None:
        cluster = self.clusters[i]
        cluster.mentions.append(span)
        cluster.aliases.add(text_of(self.doc)[span.start_char:span.end_char])  # Span.text rebuilds from tokens
        self.index[(span.start_char, span.end_char, span.label_)] = i

    def entity_of(self, span: Span) -> int | None:
        return self.index.get((span.start_char, span.end_char, span.label_))

    # -- places ----------------------------------------------------------------------------
    def resolve_places(self) -> None:
        text = text_of(self.doc)
        by_surface: dict[str, list[Span]] = {}
        for p in self.places:
            by_surface.setdefault(text[p.start_char:p.end_char], []).append(p)
        decisions = resolve_surfaces(self.gaz, self.places, text, self._outlet_places())
        groups: dict[str, list[str]] = {}
        for surface in by_surface:
            groups.setdefault(decisions[surface].code or self._unresolved_key(surface, by_surface), []).append(surface)
        for surfaces in groups.values():
            spans = [m for s in surfaces for m in by_surface[s]]
            self._add(self._place_cluster(surfaces, [decisions[s] for s in surfaces]), spans)
        self._village_parents()
        place_ids = [i for i, c in enumerate(self.clusters) if c.label == "PLACE"]
        if place_ids:
            self.focus = max(place_ids,
                             key=lambda i: (len(self.clusters[i].mentions), self.clusters[i].code is not None))

    def _outlet_places(self) -> dict[str, str]:
        """Full division names in the outlet or author line that name one unit (上高县信息中心 → 上高县)."""
        found = {}
        for hit in self.gaz.scan(outlet_of(self.doc)):
            if hit.kind == "full" and len(hit.codes) == 1 and len(hit.surface) > 2:
                found[hit.surface] = hit.codes[0]
        return found

    def _unresolved_key(self, surface: str, by_surface: dict[str, list[Span]]) -> str:
        for other in by_surface:
            if other != surface and other.startswith(surface) and self.gaz.lookup(other) \
                    and surface in _short_forms_of(other, self.gaz):
                return "name:" + other
        return "name:" + surface

    def _place_cluster(self, surfaces: list[str], decisions: list[Decision]) -> EntityCluster:
        longest = max(surfaces, key=len)
        code = decisions[0].code
        note = next((d.note for d in decisions if d.code == code and d.note), None)
        if code is None:
            candidates = {c for d in decisions for c in d.candidates}
            levels = {self.gaz.by_code[c].level_name for c in candidates}
            village = longest.endswith(load_lexicon().locality_suffixes)
            level = levels.pop() if len(levels) == 1 else "village" if village else "other"
            ambiguous = len(candidates) > 1 and not any(d.renamed for d in decisions)
            return EntityCluster("PLACE", longest, level=level, resolution="ambiguous" if ambiguous else "not_found",
                                 resolution_note=note or "not in the division list")
        division = self.gaz.by_code[code]
        official = division.name
        # A city's name is its own fullest form (安宁 → 安宁市), unless the text uses an old one (平泉县).
        supported = official in text_of(self.doc) or (
            division.is_city and division.level in (2, 3) and not any(d.renamed for d in decisions))
        return EntityCluster(
            "PLACE", official if supported else longest, code=code, level=division.level_name,
            official_name=official, resolution="resolved", resolution_note=note,
            parents=[(a.code, a.name, a.level_name) for a in self.gaz.ancestors(code)],
        )

    def _village_parents(self) -> None:
        """Villages and communities (below the list) take the unit named right before them as parent."""
        for cluster in self.clusters:
            if cluster.label != "PLACE" or cluster.code or cluster.level != "village":
                continue
            parent = next((self.clusters[i] for m in cluster.mentions for p in self.places
                           if p.end_char == m.start_char and (i := self.entity_of(p)) is not None), None)
            if parent is None:
                cluster.resolution_note = ("not in the division list (it stops at township level); "
                                           "no unit named before it")
            elif parent.code is None:
                cluster.resolution_note = (f"not in the division list; below {parent.text} (itself unresolved), "
                                           "named before it")
            else:
                assert parent.official_name is not None and parent.level is not None, "a resolved place has both"
                cluster.parents = [(parent.code, parent.official_name, parent.level), *parent.parents]
                cluster.resolution_note = (f"not in the division list (it stops at township level); "
                                           f"below {parent.text} ({parent.code}), named right before it")

    def unit_for_level(self, level: str) -> int | None:
        """The document's own unit of a level (市 → 安宁市): the focus place or an ancestor of it."""
        if self.focus is None:
            return None
        focus = self.clusters[self.focus]
        chain = [self.focus]
        if focus.code:
            by_code = {c.code: i for i, c in enumerate(self.clusters) if c.code}
            chain += [by_code[code] for code, _, _ in focus.parents if code in by_code]
        for i in chain:
            name = self.clusters[i].official_name or self.clusters[i].text
            if name.endswith(_LEVEL_SUFFIX.get(level, (level,))):
                return i
        return None

    # -- organisations ---------------------------------------------------------------------------
    def resolve_orgs(self) -> None:
        by_name: dict[str, list[Span]] = {}
        orgs = mentions(self.doc, "ORG")
        for org in orgs:
            by_name.setdefault(self._org_name(org), []).append(org)
        names = sorted(by_name, key=len, reverse=True)
        merged: dict[str, str] = _bracketed_aliases(orgs, text_of(self.doc), self._org_name)
        for name in names:
            longer = [n for n in names if len(n) > len(name) and n.endswith(name) and len(name) >= 3
                      and n not in merged]
            if len(longer) == 1 and name not in merged:
                merged[name] = longer[0]
        for name in names:  # 富平县政府 for 富平县人民政府, 卫健局 for 卫生健康局, 三犁公司 for …三犁农业科技有限公司
            full = [n for n in names if n != name and n not in merged and is_abbreviation(name, n)]
            if len(full) == 1 and name not in merged:
                merged[name] = full[0]
        ids: dict[str, int] = {}
        for name in names:
            target = merged.get(name, name)
            while target in merged:
                target = merged[target]
            if target not in ids:
                ids[target] = self._add(EntityCluster("ORG", target), [])
            for span in by_name[name]:
                self._attach(ids[target], span)

    def _org_name(self, org: Span) -> str:
        text, rule = org.text, org.id_
        if rule == "title_organ":
            return self._organ_name(org)
        place = self._leading_place(org)
        if place is not None and rule in ("place_committee", "place_party_branch"):
            index = self.entity_of(place)
            assert index is not None, "every place mention belongs to a cluster"
            name, rest = self.clusters[index].text, text[len(place.text):]
            return committee_name(name, rest) if rule == "place_committee" else name + rest
        if text[0] in LEVEL_PREFIXES and text[0] != "省" and place is None:
            unit = self.unit_for_level(text[0])
            if unit is not None:
                name = self.clusters[unit].official_name or self.clusters[unit].text
                return committee_name(name, text[1:]) if rule == "relative_committee" else name + text[1:]
        return text

    def _organ_name(self, org: Span) -> str:
        """An organ named in a title, under the place it belongs to (富平县委宣传部, 户县人大)."""
        units = self.doc._.units
        place, organ = units.organs[(org.start_char, org.end_char)]
        if place.label_ == "ORG":
            inner = [p for p in self.places if place.start_char <= p.start_char and p.end_char <= place.end_char]
            unit = self.entity_of(inner[-1]) if inner else self.unit_for_level(place.text[-2])
        else:
            unit = self.entity_of(place)
        if unit is None:
            return org.text
        name = self.clusters[unit].official_name or self.clusters[unit].text
        return units.grammar.department_name(name, organ)

    def _leading_place(self, org: Span) -> Span | None:
        """The place mention an organisation name starts with (安宁市 in 安宁市委)."""
        return next((p for p in self.places if p.start_char == org.start_char and p.end_char < org.end_char), None)

    # -- persons -------------------------------------------------------------------------------
    def resolve_persons(self) -> None:
        persons = mentions(self.doc, "PERSON")
        full = [p for p in persons if p.id_ != "surname_post"]
        names = sorted({person_name(p.text) for p in full}, key=len, reverse=True)
        target = {}
        for name in names:
            longer = [n for n in names if len(n) > len(name) and n.startswith(name)]
            target[name] = longer[0] if len(longer) == 1 else name
        ids: dict[str, int] = {}
        for p in full:
            name = target[person_name(p.text)]
            if name not in ids:
                ids[name] = self._add(EntityCluster("PERSON", name), [])
            self._attach(ids[name], p)
        for p in persons:
            if p.id_ == "surname_post":
                same = [n for n in ids if n[0] == p.text[0]]
                if len(same) == 1:
                    self._attach(ids[same[0]], p)

    # -- initiatives ---------------------------------------------------------------------------
    def resolve_initiatives(self) -> None:
        spans = mentions(self.doc, "INITIATIVE")
        names = {s: s.text.translate({ord(c): None for c in _QUOTE_CHARS}) for s in spans}
        ids: dict[str, int] = {}
        cores: dict[str, int] = {}
        for span in sorted(spans, key=lambda s: -len(key(names[s]))):
            k = key(names[span])
            core = key(m[1]) if (m := _QUOTED.search(span.text)) else k
            home = ids.get(k) or cores.get(core) or next(
                (i for other, i in ids.items()
                 if (other.startswith(k) or other.endswith(k)) and len(k) / len(other) >= 0.34),
                None)
            if home is None:
                home = ids[k] = self._add(EntityCluster("INITIATIVE", names[span]), [])
            cores.setdefault(core, home)
            self._attach(home, span)


def person_name(text: str) -> str:
    """A person's name without the spaces that pad it in lists (张　伟 → 张伟)."""
    return re.sub(r"[ \u3000]", "", text)


def is_abbreviation(short: str, full: str) -> bool:
    """Whether ``short`` abbreviates ``full``: its characters in order, the same head character, and its
    first two characters written together in ``full`` (富平县政府 ~ 富平县人民政府, 三犁公司 ~ 雁门三犁科技公司)."""
    if len(short) < 3 or len(short) >= len(full) or short[-1] != full[-1] or short[:2] not in full \
            or full.startswith(short):  # 卫健委 and 卫健委机关党委: an organisation and a part of it
        return False
    chars = iter(full)
    return all(c in chars for c in short)


def committee_name(place: str, rest: str) -> str:
    """The party committee of a place: 中共安宁市委; a one-character name repeats its level (中共户县县委)."""
    level = place[-1] if len(place) == 2 and rest.startswith("委") else ""
    return "中共" + place + level + rest


def _bracketed_aliases(orgs: list[Span], text: str, name_of) -> dict[str, str]:
    """An organisation named again in brackets right after its name (某省委党校（某行政学院）): alias → name."""
    by_start = {o.start_char: o for o in orgs}
    aliases = {}
    for org in orgs:
        inner = by_start.get(org.end_char + 1)
        if text[org.end_char:org.end_char + 1] in "（(" and inner is not None \
                and text[inner.end_char:inner.end_char + 1] in "）)" and name_of(inner) != name_of(org):
            aliases[name_of(inner)] = name_of(org)
    return aliases


def _short_forms_of(name: str, gaz: Gazetteer) -> set[str]:
    return {f for code in gaz.lookup(name) for f in gaz.grammar.short_forms(name, gaz.by_code[code].level)}
