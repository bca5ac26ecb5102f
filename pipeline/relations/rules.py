"""Relation rules over mentions: positions (:mod:`.positions`), PROMOTES (:mod:`.promotes`) and
LOCATED_IN from adjacent units. Each candidate keeps the rule that fired; the resolver turns
mentions into entities and keeps the strongest actor per initiative.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..doc import RelationCandidate, mentions, register_extensions
from ..lexicon import load_lexicon
from ..ner.initiatives import load_initiative_grammar
from ..ner.orgs import load_org_heads
from ..units import load_discourse_cues
from .positions import PositionRules
from .promotes import load_promote_cues, promotes



class RelationRules:
    """Sets ``doc._.candidates``: the relation candidates of every rule."""

    def initialize(self, get_examples=None, *, nlp: Language | None = None) -> None:
        """Load and check the cue tables of the position and PROMOTES rules before the first document."""
        load_discourse_cues()
        load_promote_cues()
        load_initiative_grammar()
        load_org_heads()
        load_lexicon()

    def __call__(self, doc: Doc) -> Doc:
        relations: list[RelationCandidate] = []
        relations += self.positions(doc)
        relations += self.located_in(doc)
        relations += self.promotes(doc)
        doc._.candidates = relations
        return doc

    # -- positions --------------------------------------------------------------------------
    def positions(self, doc: Doc) -> list[RelationCandidate]:
        return PositionRules(doc)()

    # -- located in ---------------------------------------------------------------------------
    def located_in(self, doc: Doc) -> list[RelationCandidate]:
        """Adjacent units name a chain: 滨城区秦皇台乡朝阳新村, 邹平市魏桥实验学校."""
        out = []
        places = mentions(doc, "PLACE")
        by_end = {p.end_char: p for p in places}
        lexicon = load_lexicon()
        for child in places:
            parent = by_end.get(child.start_char)
            if parent is not None:
                out.append(RelationCandidate("LOCATED_IN", child, parent, "adjacent_units"))
        for org in mentions(doc, "ORG"):
            if org.id_ != "org_head" or not org.text.endswith(lexicon.located_heads):
                continue
            inner = [p for p in places if p.start_char == org.start_char and p.end_char < org.end_char
                     and p.id_ != "gazetteer_short"]
            if inner and inner[0].text.endswith(lexicon.host_suffixes):
                out.append(RelationCandidate("LOCATED_IN", org, inner[0], "unit_prefix"))
        return out

    # -- promotes -------------------------------------------------------------------------------
    def promotes(self, doc: Doc) -> list[RelationCandidate]:
        return promotes(doc)


@Language.factory("cadregraph_relation_rules_v1", assigns=["doc._.candidates", "doc._.mentions"],
                  requires=["token.is_sent_start", "doc._.mentions", "doc._.units"])
def make_relation_rules(nlp: Language, name: str) -> RelationRules:
    register_extensions()
    return RelationRules()
