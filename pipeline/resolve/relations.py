"""Map relation candidates onto a document's entities, and add LOCATED_IN from the division hierarchy."""

from __future__ import annotations

from spacy.tokens import Span

from ..doc import COMMITTEE_RULES, Actor, OwnUnit, RelationCandidate, ResolvedRelation, sentence_bounds, text_of
from ..lexicon import load_lexicon
from .entities import DocumentEntities, key


class RelationMapper:
    """Turns mention-level candidates into entity-level relations of one document."""

    def __init__(self, entities: DocumentEntities):
        self.entities = entities

    def __call__(self, candidates: list[RelationCandidate], skip_national: bool) -> list[ResolvedRelation]:
        """One relation per (label, head, tail) with all its evidence; the strongest actor of each initiative."""
        out: dict[tuple[str, int, int], ResolvedRelation] = {}
        best_promoter: dict[int, RelationCandidate] = {}
        for cand in candidates:
            if cand.label == "PROMOTES":  # the strongest actor that names an entity (我镇 may name none)
                tail = self.entities.entity_of(cand.tail)
                if tail is not None and self._endpoint(cand.head) is not None and (
                        tail not in best_promoter or cand.rank < best_promoter[tail].rank):
                    best_promoter[tail] = cand
                continue
            self._keep(out, cand, self._endpoint(cand.head), self._position_tail(cand))
        for tail, cand in best_promoter.items():
            if skip_national and key(self.entities.clusters[tail].text) in load_lexicon().national_formulas:
                continue
            self._keep(out, cand, self._endpoint(cand.head), tail)
        self._hierarchy_edges(out)
        return list(out.values())

    def _keep(self, out: dict, cand: RelationCandidate, head: int | None, tail: int | None) -> None:
        if head is None or tail is None or head == tail:
            return
        anchor = cand.tail if len(cand.tail) else cand.head
        evidence = sentence_bounds(self.entities.doc, anchor.start_char)
        k = (cand.label, head, tail)
        if k in out:
            rel = out[k]
            if evidence not in rel.evidence:
                rel.evidence.append(evidence)
            if cand.title and rel.title and cand.title not in rel.title.split("、"):
                rel.title += "、" + cand.title
            if cand.title and cand.span:
                rel.posts.append((cand.title, cand.span))
            return
        out[k] = ResolvedRelation(cand.label, head, tail, cand.rule, cand.title, cand.source, [evidence],
                                  cand.unit_rule, [(cand.title, cand.span)] if cand.title and cand.span else [])

    def _endpoint(self, actor: Actor) -> int | None:
        if isinstance(actor, OwnUnit):
            return self.entities.unit_for_level(actor.level)
        return self.entities.entity_of(actor)

    def _position_tail(self, cand: RelationCandidate) -> int | None:
        """Secretaries and posts of a committee belong to its locality (青龙街道, not 青龙街道党工委)."""
        tail = cand.tail
        if cand.label not in ("SECRETARY_OF", "HOLDS_POSITION") or tail.label_ != "ORG":
            return self.entities.entity_of(tail)
        inner = [p for p in self.entities.places if tail.start_char <= p.start_char and p.end_char <= tail.end_char]
        if tail.id_ in COMMITTEE_RULES or tail.id_ == "place_party_branch" or (
                inner and inner[0].start_char == tail.start_char and self._is_committee_of(tail, inner[-1])):
            if inner:
                return self.entities.entity_of(inner[-1])
            if tail.id_ == "relative_committee":  # 县委 of a county the document never names: no post
                return self.entities.unit_for_level(tail.text[0])
        return self.entities.entity_of(tail)

    def _is_committee_of(self, org: Span, place: Span) -> bool:
        """An organisation named as its place plus a party organ (双井街道工委): the place's committee."""
        organ = text_of(self.entities.doc)[place.end_char:org.end_char]
        return self.entities.doc._.units.grammar.organs.get(organ) == "party"

    def _hierarchy_edges(self, out: dict) -> None:
        """LOCATED_IN from the division list: each resolved place to its nearest ancestor in the text.

        Provinces are left out as targets; a text edge the list contradicts
        (both ends resolved, the tail not an ancestor of the head) is dropped.
        """
        clusters, gaz = self.entities.clusters, self.entities.gaz
        by_code = {c.code: i for i, c in enumerate(clusters) if c.label == "PLACE" and c.code}
        for k in [k for k in out if k[0] == "LOCATED_IN"]:
            head, tail = clusters[k[1]], clusters[k[2]]
            if head.code and tail.code and tail.label == "PLACE" and not gaz.is_ancestor(tail.code, head.code):
                del out[k]
        for code, i in by_code.items():
            parent_code = next((a.code for a in gaz.ancestors(code) if a.code in by_code), None)
            if parent_code is None or gaz.by_code[parent_code].level == 1:
                continue
            parent = by_code[parent_code]
            if ("LOCATED_IN", i, parent) not in out:
                evidence = sentence_bounds(self.entities.doc, self.entities.clusters[i].mentions[0].start_char)
                out[("LOCATED_IN", i, parent)] = ResolvedRelation(
                    "LOCATED_IN", i, parent, "division_hierarchy", None, "gazetteer", [evidence])
