"""Confidence: the measured precision of the rule that produced an entity or relation, from the shipped table.

``pipeline/resources/calibration.json`` (rebuilt by ``cadregraph calibrate``, see :mod:`pipeline.calibrate`)
counts, per entity label × rule and per relation label × rule × unit rule, the predictions on the dev sets
that match gold (``tp``) and those that do not (``fp``). Confidence is the smoothed precision
``(tp + 1) / (tp + fp + 2)``, so a rule seen a few times is not trusted fully.

Keys:

- an entity's rule is the rule of its first mention in the text (the one that introduced it; later
  mentions are often repeats or model confirmations of the same name);
- a relation's rule and unit rule are those of its first evidence (``unit`` is set for positions only).

A key the table lacks (a rule added or renamed since the last calibration) falls back to the relation's
label × rule over all units, then to the label over all rules, then to :data:`DEFAULT_CONFIDENCE`.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType

from .schema import Document, Evidence, Mention

ANY = "*"  # the rule or unit of an aggregate row: every rule (unit) of the label (rule)
NO_RULE = "none"  # the rule of an entity without mentions or a relation without evidence
DEFAULT_CONFIDENCE = 0.5  # a label the table has never seen: the smoothed precision of no observation
CALIBRATION_RESOURCE = "resources/calibration.json"

EntityKey = tuple[str, str]  # (label, rule)
RelationKey = tuple[str, str, str | None]  # (label, rule, unit rule)


def smoothed(tp: int, fp: int) -> float:
    """Precision with one pseudo-count of each outcome, rounded to 4 places: (tp + 1) / (tp + fp + 2)."""
    return round((tp + 1) / (tp + fp + 2), 4)


def entity_rule(mentions: Iterable[Mention]) -> str:
    """The rule of an entity: that of its first mention in the text."""
    first = min(mentions, key=lambda m: (m.start, m.end), default=None)
    return first.rule if first is not None else NO_RULE


def relation_rule(evidence: Sequence[Evidence]) -> tuple[str, str | None]:
    """The (rule, unit rule) of a relation: those of its first evidence."""
    return (evidence[0].rule, evidence[0].unit) if evidence else (NO_RULE, None)


@dataclass(frozen=True)
class Calibration:
    """Confidence per key, with the fallbacks of the module docstring."""

    entities: Mapping[EntityKey, float] = field(default_factory=dict)
    relations: Mapping[RelationKey, float] = field(default_factory=dict)
    default: float = DEFAULT_CONFIDENCE

    @classmethod
    def from_table(cls, table: dict) -> Calibration:
        """The lookup of a calibration table as written by :func:`pipeline.calibrate.build_table`."""
        entities = {(row["label"], row["rule"]): float(row["confidence"]) for row in table.get("entities", [])}
        relations = {(row["label"], row["rule"], row.get("unit")): float(row["confidence"])
                     for row in table.get("relations", [])}
        return cls(MappingProxyType(entities), MappingProxyType(relations),
                   float(table.get("default", DEFAULT_CONFIDENCE)))

    def entity(self, label: str, rule: str) -> float:
        """Confidence of an entity of ``label`` found by ``rule``."""
        for key in ((label, rule), (label, ANY)):
            if key in self.entities:
                return self.entities[key]
        return self.default

    def relation(self, label: str, rule: str, unit: str | None = None) -> float:
        """Confidence of a relation of ``label`` read by ``rule`` (with ``unit``, how a position's unit was found)."""
        for key in ((label, rule, unit), (label, rule, ANY), (label, ANY, ANY)):
            if key in self.relations:
                return self.relations[key]
        return self.default


@cache
def load_calibration() -> Calibration:
    """The table shipped in ``pipeline/resources/calibration.json`` (read once per process).

    Without it (a checkout before the first ``cadregraph calibrate``) every confidence is the default,
    with a warning.
    """
    try:
        text = resources.files("pipeline").joinpath(CALIBRATION_RESOURCE).read_text(encoding="utf-8")
    except FileNotFoundError:
        warnings.warn(f"pipeline/{CALIBRATION_RESOURCE} is missing: every confidence is {DEFAULT_CONFIDENCE}; "
                      "rebuild it with 'cadregraph calibrate ../shared/eval'", stacklevel=2)
        return Calibration()
    return Calibration.from_table(json.loads(text))


def calibration_digest() -> str:
    """A short hash of the shipped table ("none" without one), so that a new table makes runs redo documents."""
    try:
        data = resources.files("pipeline").joinpath(CALIBRATION_RESOURCE).read_bytes()
    except FileNotFoundError:
        return "none"
    return hashlib.sha256(data).hexdigest()[:8]


def filter_document(document: Document, min_confidence: float) -> Document:
    """A copy without the entities and relations below ``min_confidence``; an entity's relations go with it.

    Ids are kept as they were, so a filtered document's ids still match the unfiltered one's.
    """
    if min_confidence <= 0:
        return document
    entities = [e for e in document.entities if e.confidence >= min_confidence]
    kept = {e.id for e in entities}
    relations = [r for r in document.relations
                 if r.confidence >= min_confidence and r.head in kept and r.tail in kept]
    return document.model_copy(update={"entities": entities, "relations": relations})
