"""Neo4j: CSVs in the ``neo4j-admin database import`` header format, and a Cypher script for incremental loads.

``nodes.csv`` has ``id:ID`` and ``:LABEL`` (``Entity;Person`` …) plus typed properties;
``relationships.csv`` has ``:START_ID``, ``:END_ID``, ``:TYPE`` plus typed properties.
Arrays use the import tool's default array delimiter ``;``. Each relationship carries its evidence as
parallel arrays: ``evidence_doc_ids``, ``evidence_sentences``, ``evidence_offsets`` (``start-end`` in the
document's text) and ``evidence_rules``, item *i* of each describing the same piece. ``load.cypher`` reads the
same files with ``LOAD CSV`` and ``MERGE``s on a uniqueness constraint, so loading twice
changes nothing.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..corpus.model import Corpus, CorpusEdge
from .files import atomic_write_text

NEO4J_DIR = "neo4j"
ARRAY_DELIMITER = ";"
LABELS = {"PERSON": "Person", "PLACE": "Place", "ORG": "Organization", "INITIATIVE": "Initiative"}
RELATION_TYPES = ("SECRETARY_OF", "HOLDS_POSITION", "PROMOTES", "LOCATED_IN", "SUCCEEDED")

# (property, Neo4j type, attribute of the corpus node or edge)
NODE_PROPERTIES = (("name", "string", "label"), ("type", "string", "type"), ("code", "string", "code"),
                   ("level", "string", "level"), ("official_name", "string", "official_name"),
                   ("parent_code", "string", "parent_code"), ("aliases", "string[]", "aliases"),
                   ("doc_ids", "string[]", "doc_ids"), ("doc_count", "int", "documents"),
                   ("mentions", "int", "mentions"), ("first_seen", "date", "first_seen"),
                   ("last_seen", "date", "last_seen"), ("confidence", "float", "confidence"))
RELATIONSHIP_PROPERTIES = (("id", "string", "id"), ("titles", "string[]", "title"), ("weight", "int", "weight"),
                           ("doc_ids", "string[]", "doc_ids"), ("first_seen", "date", "first_seen"),
                           ("last_seen", "date", "last_seen"), ("rules", "string[]", "rules"),
                           ("sources", "string[]", "sources"), ("evidence", "int", "evidence_count"),
                           ("evidence_doc_ids", "string[]", "evidence_doc_ids"),
                           ("evidence_sentences", "string[]", "evidence_sentences"),
                           ("evidence_offsets", "string[]", "evidence_offsets"),
                           ("evidence_rules", "string[]", "evidence_rules"),
                           ("confidence", "float", "confidence"), ("status", "string", "status"),
                           ("rank", "string", "rank"), ("as_of", "string", "as_of"), ("unit", "string", "unit"))
NODE_HEADER = ("id:ID", ":LABEL", *(f"{p}:{t}" for p, t, _ in NODE_PROPERTIES))
RELATIONSHIP_HEADER = (":START_ID", ":END_ID", ":TYPE", *(f"{p}:{t}" for p, t, _ in RELATIONSHIP_PROPERTIES))


def write_neo4j(corpus: Corpus, out_dir: Path) -> Path:
    """``out_dir/neo4j/`` with ``nodes.csv``, ``relationships.csv`` and ``load.cypher``; returns the folder."""
    folder = out_dir / NEO4J_DIR
    nodes = [[node.id, _labels(node.type), *_cells(node.attributes(), NODE_PROPERTIES)]
             for node in sorted(corpus.nodes, key=lambda n: n.id)]
    relationships = [[edge.head, edge.tail, edge.label, *_cells(_with_evidence(edge), RELATIONSHIP_PROPERTIES)]
                     for edge in sorted(corpus.edges, key=lambda e: (e.head, e.tail, e.label))]
    atomic_write_text(folder / "nodes.csv", _csv(NODE_HEADER, nodes))
    atomic_write_text(folder / "relationships.csv", _csv(RELATIONSHIP_HEADER, relationships))
    atomic_write_text(folder / "load.cypher", cypher_script())
    return folder


def cypher_script() -> str:
    """``LOAD CSV`` + ``MERGE`` statements over ``nodes.csv`` and ``relationships.csv`` in Neo4j's import folder."""
    lines = ["// Incremental load: copy nodes.csv and relationships.csv to Neo4j's import folder, then",
             "//   cypher-shell -f load.cypher",
             "// A first load into an empty database can use the same files instead:",
             "//   neo4j-admin database import full --nodes=import/nodes.csv"
             " --relationships=import/relationships.csv neo4j",
             "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;",
             "CREATE INDEX entity_name IF NOT EXISTS FOR (n:Entity) ON (n.name);", ""]
    node_sets = ", ".join(f"n.{p} = {_value(f'{p}:{t}', t)}" for p, t, _ in NODE_PROPERTIES)
    for label in LABELS.values():
        lines += ["LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row",
                  f"WITH row WHERE row.`:LABEL` = 'Entity;{label}'",
                  "MERGE (n:Entity {id: row.`id:ID`})",
                  f"SET n:{label}, {node_sets};", ""]
    rel_sets = ", ".join(f"r.{p} = {_value(f'{p}:{t}', t)}" for p, t, _ in RELATIONSHIP_PROPERTIES)
    for rel_type in RELATION_TYPES:
        lines += ["LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row",
                  f"WITH row WHERE row.`:TYPE` = '{rel_type}'",
                  "MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})",
                  f"MERGE (a)-[r:{rel_type}]->(b)",
                  f"SET {rel_sets};", ""]
    return "\n".join(lines)


def _with_evidence(edge: CorpusEdge) -> dict:
    """The edge's attributes plus its id and its evidence as parallel lists."""
    evidence = edge.evidence
    return {**edge.attributes(), "id": edge.id, "evidence_count": len(evidence),
            "evidence_doc_ids": [e.doc_id for e in evidence],
            "evidence_sentences": [" ".join(e.sentence.split()) for e in evidence],
            "evidence_offsets": [f"{e.start}-{e.end}" for e in evidence],
            "evidence_rules": [e.rule for e in evidence]}


def _labels(entity_type: str | None) -> str:
    return "Entity;" + LABELS[entity_type] if entity_type in LABELS else "Entity"


def _value(column: str, neo4j_type: str) -> str:
    """Cypher expression converting a LOAD CSV field (a string or null) to the column's type."""
    field = f"row.`{column}`"
    if neo4j_type == "int":
        return f"toInteger({field})"
    if neo4j_type == "float":
        return f"toFloat({field})"
    if neo4j_type == "date":
        return f"CASE WHEN coalesce({field}, '') = '' THEN null ELSE date({field}) END"
    if neo4j_type == "string[]":
        return f"CASE WHEN coalesce({field}, '') = '' THEN [] ELSE split({field}, '{ARRAY_DELIMITER}') END"
    return field


def _cells(data: dict, properties: tuple[tuple[str, str, str], ...]) -> list[str]:
    cells = []
    for _, neo4j_type, attribute in properties:
        value = data.get(attribute)
        if value is None:
            cells.append("")
        elif neo4j_type.endswith("[]"):
            # A ; inside an item would split it, so it is made full-width.
            cells.append(ARRAY_DELIMITER.join(str(item).replace(ARRAY_DELIMITER, "；") for item in value))
        else:
            cells.append(str(value))
    return cells


def _csv(header: tuple[str, ...], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()
