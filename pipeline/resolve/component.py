"""The resolver component: entities from mentions (:mod:`.entities`), then relations on them (:mod:`.relations`)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..doc import register_extensions
from ..gazetteer import Gazetteer, load_gazetteer
from ..lexicon import load_lexicon
from .entities import DocumentEntities
from .relations import RelationMapper


class Resolver:
    """Builds ``doc._.entities`` and, from ``doc._.candidates``, the entity-level ``doc._.relations``."""

    gazetteer: Gazetteer

    def __init__(self, skip_national_formulas: bool = True):
        self.skip_national_formulas = skip_national_formulas

    def initialize(self, get_examples=None, *, nlp: Language | None = None) -> None:
        """Load the division list and the national formulas."""
        self.gazetteer = load_gazetteer()
        load_lexicon()

    def __call__(self, doc: Doc) -> Doc:
        entities = DocumentEntities(doc, self.gazetteer)
        entities.resolve_places()
        entities.resolve_orgs()
        entities.resolve_persons()
        entities.resolve_initiatives()
        doc._.entities = entities.clusters
        doc._.relations = RelationMapper(entities)(doc._.candidates or [], self.skip_national_formulas)
        return doc


@Language.factory("cadregraph_resolver_v1", assigns=["doc._.entities", "doc._.relations"],
                  requires=["token.is_sent_start", "doc._.mentions", "doc._.units", "doc._.candidates"])
def make_resolver(nlp: Language, name: str, skip_national_formulas: bool = True) -> Resolver:
    register_extensions()
    return Resolver(skip_national_formulas=skip_national_formulas)
