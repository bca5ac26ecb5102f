"""Typed contracts at the edges: the document model every exporter reads.

Offsets (``start``/``end``) are character offsets into ``Document.text``, the
cleaned article in its original script. Names (``Entity.text``, ``aliases``)
are in simplified script.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

EntityLabel = Literal["PERSON", "PLACE", "ORG", "INITIATIVE"]
RelationLabel = Literal["SECRETARY_OF", "HOLDS_POSITION", "PROMOTES", "LOCATED_IN"]
PlaceLevel = Literal["province", "prefecture", "county", "township", "village", "other"]
Resolution = Literal["resolved", "ambiguous", "not_found"]
PostStatus = Literal["current", "appointed", "nominated", "acting", "former", "removed"]
Script = Literal["simplified", "traditional", "mixed"]

SCHEMA_VERSION = "1.3"  # 1.1: confidence on every entity and relation; 1.2: node keys, duplicate groups;
# 1.3: status, date and rank of posts

_CONFIDENCE = "measured precision on the dev sets of the rule that produced it, from the calibration table"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Metadata(_Model):
    """What the article says about itself, found while cleaning it."""

    source_path: str | None = None
    record_id: str | None = Field(None, description="id of the JSON record the article came from, as given")
    url: str | None = Field(None, description="address of the page, from the record or the HTML")
    title: str | None = None
    date: str | None = Field(None, description="publication date, ISO 8601 (YYYY-MM-DD)")
    source: str | None = Field(None, description="outlet named by 来源")
    author: str | None = None
    editor: str | None = None
    encoding: str = "utf-8"
    script: Script = "simplified"


class Mention(_Model):
    """One occurrence of an entity in the text."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str = Field(description="the mention as written in Document.text")
    rule: str = Field(description="the rule or component that found it")


class Division(_Model):
    """An administrative division of the civil-affairs list."""

    code: str
    name: str
    level: PlaceLevel


class Entity(_Model):
    """One real thing of the document, with all its mentions."""

    id: str
    label: EntityLabel
    text: str = Field(description="canonical name: the fullest form the document supports")
    aliases: list[str] = []
    mentions: list[Mention] = []
    code: str | None = Field(None, description="division code of a resolved PLACE")
    level: PlaceLevel | None = None
    official_name: str | None = None
    parents: list[Division] = Field([], description="ancestors of a resolved PLACE, nearest first")
    resolution: Resolution | None = None
    resolution_note: str | None = None
    confidence: float = Field(ge=0, le=1, description=_CONFIDENCE + " (the rule of its first mention)")
    node: str | None = Field(None, description="key of its node in the corpus graph of the output folder "
                             "(the node id in graph.json, GraphML, CSV and Neo4j)")


class Evidence(_Model):
    """Where a relation was read: the sentence and the rule that fired."""

    sentence: str
    start: int = Field(ge=0, description="offset of the sentence in Document.text")
    end: int = Field(ge=0, description="offset just after its last character (white space around it excluded)")
    rule: str
    unit: str | None = Field(None, description="how a position's unit was found: explicit_unit (written before "
                             "the title), chain_unit (of the title before it), sentence_unit / discourse_unit (the "
                             "nearest unit of the title's level or kind before it), self_reference (我县), home_unit "
                             "(the document's most named unit of that level or kind)")


class Post(_Model):
    """One title of a position relation and what the text says of it."""

    title: str
    status: PostStatus = Field("current", description="current; appointed (任, 当选为); nominated (提名为…候选人); "
                               "acting (代, 代理); former (原, 前任, 曾任); removed (免去…职务, 不再担任)")
    as_of: str | None = Field(None, description="when the status holds: the date written with the post (2019, "
                              "2019-05), else the document's date (ISO 8601, as precise as known)")
    rank: str | None = Field(None, description="级别 where title and unit level determine it (正处, 副处, 正科 …; "
                             "pipeline/resources/ranks.toml)")


class Relation(_Model):
    id: str
    label: RelationLabel
    head: str = Field(description="entity id")
    tail: str = Field(description="entity id")
    title: str | None = Field(None, description="the post as written, for SECRETARY_OF / HOLDS_POSITION")
    source: Literal["text", "gazetteer"] = "text"
    evidence: list[Evidence] = []
    confidence: float = Field(ge=0, le=1, description=_CONFIDENCE + " (its evidence rule and, for a position, "
                              "unit rule)")
    status: PostStatus | None = Field(None, description="of a position: the strongest status of its posts "
                                      "(removed, appointed, nominated, acting, former, current)")
    as_of: str | None = Field(None, description="of a position: the as_of of its post of that status")
    rank: str | None = Field(None, description="of a position: the highest rank of its posts")
    posts: list[Post] = Field([], description="of a position: each title of ``title`` with its status, date, rank")


class Document(_Model):
    """The extraction result for one article."""

    schema_version: str = SCHEMA_VERSION
    doc_id: str
    metadata: Metadata
    text: str = Field(description="the cleaned article in its original script")
    entities: list[Entity] = []
    relations: list[Relation] = []
    warnings: list[str] = []
    duplicate_group: str | None = Field(None, description="smallest doc_id of the group of exact or near-duplicate "
                                        "articles this one belongs to; null when it has no duplicate")


def trimmed_span(text: str, start: int, end: int) -> tuple[int, int]:
    """A sentence's span without the white space (line breaks) around it, so offsets stop where the sentence does."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
