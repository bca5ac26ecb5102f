"""Emit: turn a processed spaCy ``Doc`` into the validated pydantic :class:`Document`.

Each entity and relation gets the confidence of the rule that produced it (:mod:`pipeline.confidence`).
"""

from __future__ import annotations

from spacy.tokens import Doc

from .careers.posts import PostReader
from .confidence import Calibration, entity_rule, load_calibration, relation_rule
from .doc import EntityCluster
from .text.ingest import Article
from .schema import Division, Document, Entity, Evidence, Mention, Relation, trimmed_span


def to_document(article: Article, doc: Doc, calibration: Calibration | None = None) -> Document:
    """The document model of one article; offsets point into ``article.text``.

    Args:
        calibration: the confidence of each rule (default: the shipped table).
    """
    calibration = calibration or load_calibration()
    clusters: list[EntityCluster] = doc._.entities or []
    order = sorted(range(len(clusters)), key=lambda i: min((m.start_char for m in clusters[i].mentions), default=0))
    ids = {i: f"e{n + 1}" for n, i in enumerate(order)}
    entities = [_entity(ids[i], clusters[i], article.text, calibration) for i in order]
    relations = []
    posts = PostReader(doc, clusters, article.metadata.date)
    for n, rel in enumerate(sorted(doc._.relations or [], key=lambda r: (r.label, ids[r.head], ids[r.tail]))):
        evidence = [Evidence(sentence=article.text[s:e], start=s, end=e, rule=rel.rule, unit=rel.unit_rule)
                    for s, e in (trimmed_span(article.text, s, e) for s, e in rel.evidence)]
        relations.append(Relation(
            id=f"r{n + 1}", label=rel.label, head=ids[rel.head], tail=ids[rel.tail], title=rel.title,
            source=rel.source, evidence=evidence,
            confidence=calibration.relation(rel.label, *relation_rule(evidence)),
            **posts.fields(rel.label, rel.tail, rel.title, getattr(rel, "posts", ())),
        ))
    return Document(doc_id=article.doc_id, metadata=article.metadata, text=article.text,
                    entities=entities, relations=relations, warnings=article.warnings)


def _entity(entity_id: str, cluster: EntityCluster, original: str, calibration: Calibration) -> Entity:
    spans = sorted(cluster.mentions, key=lambda s: s.start_char)
    mentions = [Mention(start=s.start_char, end=s.end_char, text=original[s.start_char:s.end_char], rule=s.id_)
                for s in spans]
    return Entity(
        id=entity_id, label=cluster.label, text=cluster.text,
        aliases=sorted(a for a in cluster.aliases if a != cluster.text), mentions=mentions,
        code=cluster.code, level=cluster.level, official_name=cluster.official_name,
        parents=[Division(code=c, name=n, level=lv) for c, n, lv in cluster.parents],
        resolution=cluster.resolution, resolution_note=cluster.resolution_note,
        confidence=calibration.entity(cluster.label, entity_rule(mentions)),
    )
