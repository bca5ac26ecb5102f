"""Knowledge-base exports: round trips (GraphML, GEXF, RDF), Neo4j header format, CSV tables, README SPARQL."""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from conftest import ROOT, SHARED
from handwritten import WANG_JIANJUN
from pipeline.cli import app
from pipeline.export import GRAPH_EXPORTERS
from pipeline.export.gexf import TYPE_STYLE
from pipeline.export.rdf import to_rdf
from pipeline.corpus.kb import load_store, query_store
from pipeline.corpus.merge import load_corpus, merge_documents
from pipeline.corpus.model import Corpus

runner = CliRunner()
GOLD = SHARED / "eval" / "dev" / "gold"


@pytest.fixture(scope="module")
def dev_out(dev_run):
    return dev_run


@pytest.fixture(scope="module")
def corpus(dev_out):
    return load_corpus(dev_out)


@pytest.fixture(scope="module")
def graph(corpus):
    """The corpus as graph.json holds it, to compare the exports with."""
    return corpus.to_networkx()


def export(name: str, corpus: Corpus, out: Path, **options) -> Path:
    return GRAPH_EXPORTERS[name](corpus, out, **options)


# --- GraphML and GEXF -------------------------------------------------------------------------

NODE_FIELDS = ("label", "type", "code", "level", "documents", "confidence")
EDGE_FIELDS = ("label", "weight", "title", "first_seen", "last_seen", "confidence")


def test_every_node_and_edge_has_a_confidence(graph):
    values = [d.get("confidence") for _, d in graph.nodes(data=True)]
    values += [d.get("confidence") for _, _, d in graph.edges(data=True)]
    assert values and all(isinstance(v, float) and 0 < v < 1 for v in values)


def test_graphml_reads_back_in_networkx_and_igraph_alike(corpus, graph, tmp_path):
    import igraph
    path = export("graphml", corpus, tmp_path)
    nx_back = nx.read_graphml(path, force_multigraph=True)
    ig_back = igraph.Graph.Read_GraphML(str(path))
    assert nx_back.number_of_nodes() == ig_back.vcount() == graph.number_of_nodes()
    assert nx_back.number_of_edges() == ig_back.ecount() == graph.number_of_edges()
    for vertex in ig_back.vs:
        written, read = graph.nodes[vertex["id"]], nx_back.nodes[vertex["id"]]
        for field in NODE_FIELDS:
            expected = _graphml_value(written.get(field))
            assert read.get(field) == expected
            assert _ig(vertex[field]) == (expected if expected is not None else "")
    written_edges = {(h, t, d["label"]): d for h, t, d in graph.edges(data=True)}
    ig_edges = {(ig_back.vs[e.source]["id"], ig_back.vs[e.target]["id"], e["label"]): e for e in ig_back.es}
    nx_edges = {(h, t, d["label"]): d for h, t, d in nx_back.edges(data=True)}
    assert set(ig_edges) == set(nx_edges) == set(written_edges)
    for key, data in written_edges.items():
        for field in EDGE_FIELDS:
            expected = _graphml_value(data.get(field))
            assert nx_edges[key].get(field) == expected
            assert _ig(ig_edges[key][field]) == (expected if expected is not None else "")


def _graphml_value(value):
    """A graph attribute as GraphML holds it: lists joined with |."""
    return "|".join(value) if isinstance(value, list) else value


def _ig(value):
    """igraph reads GraphML integers as floats."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def test_graphml_key_ids_are_unique(corpus, tmp_path):
    root = ET.parse(export("graphml", corpus, tmp_path)).getroot()
    ids = [key.get("id") for key in root.iter("{http://graphml.graphdrawing.org/xmlns}key")]
    assert ids and len(ids) == len(set(ids))


def test_gexf_13_reads_back_with_types_colours_and_dates(corpus, graph, tmp_path):
    path = export("gexf", corpus, tmp_path)
    root = ET.parse(path).getroot()
    assert root.tag == "{http://gexf.net/1.3}gexf" and root.get("version") == "1.3"
    back = nx.read_gexf(path, version="1.3")
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    colours = {}
    for node, data in back.nodes(data=True):
        written = graph.nodes[node]
        assert (data["label"], data["type"], data["documents"]) == (written["label"], written["type"],
                                                                   written["documents"])
        assert data["confidence"] == written["confidence"]
        colour = data["viz"]["color"]
        colours.setdefault(data["type"], set()).add((colour["r"], colour["g"], colour["b"]))
        assert data["viz"]["size"] >= min(size for _, size in TYPE_STYLE.values())
    assert all(len(c) == 1 for c in colours.values()) and len({next(iter(c)) for c in colours.values()}) == 4
    dated = [(h, t, d) for h, t, d in back.edges(data=True) if "start" in d]
    assert dated
    for head, tail, data in back.edges(data=True):
        written = {d["label"]: d for d in graph.get_edge_data(head, tail).values()}[data["label"]]
        assert data["weight"] == written["weight"] and data["confidence"] == written["confidence"]
        assert (data.get("start"), data.get("end")) == (written.get("first_seen"), written.get("last_seen"))
        assert data.get("first_seen") == written.get("first_seen")


# --- RDF ------------------------------------------------------------------------------------------

@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_turtle_and_jsonld_parse_back_isomorphic(corpus, graph, tmp_path):
    import rdflib
    from rdflib.compare import isomorphic

    original = to_rdf(corpus)
    turtle = rdflib.Graph().parse(export("turtle", corpus, tmp_path), format="turtle")
    jsonld = rdflib.Graph().parse(export("jsonld", corpus, tmp_path), format="json-ld")
    assert len(original) > 1000
    assert isomorphic(turtle, original) and isomorphic(jsonld, original)
    confidences = list(turtle.objects(None, rdflib.URIRef("urn:cadregraph:vocab#confidence")))
    assert len(confidences) == graph.number_of_nodes() + graph.number_of_edges()
    assert all(0 < float(c.toPython()) < 1 for c in confidences)


def test_rdf_iris_are_stable_and_carry_division_codes(corpus, dev_out, graph):
    import rdflib

    docs = sorted((dev_out / "documents").glob("*.json"))
    reordered = merge_documents(reversed(docs)).graph.corpus()
    first, second = to_rdf(corpus), to_rdf(reordered)
    assert set(first.subjects()) == set(second.subjects())
    schema = rdflib.Namespace("https://schema.org/")
    persons = set(first.subjects(rdflib.RDF.type, schema.Person))
    assert len(persons) == sum(1 for _, d in graph.nodes(data=True) if d["type"] == "PERSON")
    gold_codes = {e["code"] for g in _gold() for e in g["entities"] if e.get("code") and not e.get("optional")}
    place_iris = {str(s) for s in first.subjects(rdflib.RDF.type, schema.Place)}
    assert {f"urn:cadregraph:place:{code}" for code in gold_codes} <= place_iris


# --- Neo4j ----------------------------------------------------------------------------------------

# The header format of `neo4j-admin database import`: special fields, or name:type with an optional [] array.
NEO4J_TYPES = {"int", "long", "float", "double", "boolean", "byte", "short", "char", "string", "point", "date",
               "localtime", "time", "localdatetime", "datetime", "duration"}
SPECIAL = re.compile(r"(\w*):ID(\(\w+\))?|:LABEL|:START_ID(\(\w+\))?|:END_ID(\(\w+\))?|:TYPE|:IGNORE")
PROPERTY = re.compile(r"(\w+)(?::(\w+)(\[\])?)?")


def _check_header(header: list[str]) -> dict[str, str]:
    types = {}
    for field in header:
        if SPECIAL.fullmatch(field):
            types[field] = "special"
            continue
        match = PROPERTY.fullmatch(field)
        assert match, f"bad header field {field!r}"
        _, base, array = match.groups()
        assert (base or "string") in NEO4J_TYPES, field
        types[field] = (base or "string") + (array or "")
    return types


def _check_value(value: str, kind: str) -> None:
    if value == "" or kind in ("special", "string"):
        return
    items = value.split(";") if kind.endswith("[]") else [value]
    base = kind.removesuffix("[]")
    for item in items:
        if base == "int":
            int(item)
        elif base == "float":
            assert 0 <= float(item) <= 1, item
        elif base == "date":
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", item), item


def test_neo4j_csvs_follow_the_admin_import_header_format(corpus, graph, tmp_path):
    folder = export("neo4j", corpus, tmp_path)
    with open(folder / "nodes.csv", encoding="utf-8", newline="") as handle:
        nodes = list(csv.reader(handle))
    with open(folder / "relationships.csv", encoding="utf-8", newline="") as handle:
        rels = list(csv.reader(handle))
    node_types, rel_types = _check_header(nodes[0]), _check_header(rels[0])
    assert sum(1 for f in nodes[0] if ":ID" in f) == 1 and ":LABEL" in nodes[0]
    assert {":START_ID", ":END_ID", ":TYPE"} <= set(rels[0])
    assert "name:string" in nodes[0] and "doc_count:int" in nodes[0]
    assert "confidence:float" in nodes[0] and "confidence:float" in rels[0]
    assert all(row[nodes[0].index("confidence:float")] for row in nodes[1:])
    for header, rows, types in ((nodes[0], nodes[1:], node_types), (rels[0], rels[1:], rel_types)):
        for row in rows:
            assert len(row) == len(header)
            for field, value in zip(header, row):
                _check_value(value, types[field])
    ids = [row[0] for row in nodes[1:]]
    assert len(ids) == len(set(ids)) == graph.number_of_nodes()
    labels = {"Entity;Person", "Entity;Place", "Entity;Organization", "Entity;Initiative"}
    assert {row[1] for row in nodes[1:]} == labels
    start, end, kind = (rels[0].index(f) for f in (":START_ID", ":END_ID", ":TYPE"))
    assert len(rels) - 1 == graph.number_of_edges()
    assert all(r[start] in ids and r[end] in ids and r[kind] in
               {"SECRETARY_OF", "HOLDS_POSITION", "PROMOTES", "LOCATED_IN", "SUCCEEDED"} for r in rels[1:])
    cypher = (folder / "load.cypher").read_text(encoding="utf-8")
    used = set(re.findall(r"row\.`([^`]+)`", cypher))
    assert used and used <= set(nodes[0]) | set(rels[0])
    assert "CREATE CONSTRAINT" in cypher and cypher.count("MERGE") == 9  # 4 entity labels, 5 relation types


# --- CSV tables -----------------------------------------------------------------------------------

def _gold() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))]


def test_csv_tables_list_the_gold_officials_with_codes(corpus, graph, tmp_path):
    export("csv", corpus, tmp_path)
    with open(tmp_path / "officials.csv", encoding="utf-8", newline="") as handle:
        assert handle.read(1) != "\ufeff"
    with open(tmp_path / "officials.csv", encoding="utf-8", newline="") as handle:
        officials = list(csv.DictReader(handle))
    rows = {(r["person"], r["unit"] or r["organisation"]) for r in officials}
    codes = {(r["person"], r["unit"]): r["unit_code"] for r in officials}
    for gold in _gold():
        entities = {e["name"]: e for e in gold["entities"]}
        for rel in gold["relations"]:
            if rel["label"] == "SECRETARY_OF" and not rel.get("optional"):
                tail = entities.get(rel["tail"], {})
                if tail.get("label") == "PLACE":
                    assert (rel["head"], rel["tail"]) in rows
                    assert codes[(rel["head"], rel["tail"])] == tail.get("code", "")
    assert all(0 < float(r["confidence"]) < 1 for r in officials)
    written = {"entities.csv": [d["confidence"] for _, d in graph.nodes(data=True)],
               "relations.csv": [d["confidence"] for _, _, d in graph.edges(data=True)]}
    for name, confidences in written.items():
        with open(tmp_path / name, encoding="utf-8", newline="") as handle:
            table = list(csv.DictReader(handle))
        assert sorted(float(r["confidence"]) for r in table) == sorted(confidences)


def test_cli_csv_bom_for_excel(dev_out, tmp_path):
    result = runner.invoke(app, ["export", "csv", str(dev_out), "-o", str(tmp_path), "--bom"])
    assert result.exit_code == 0, result.output
    for name in ("officials.csv", "entities.csv", "relations.csv"):
        raw = (tmp_path / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\xef\xbb\xbf") == 1
    assert runner.invoke(app, ["export", "gexf", str(dev_out), "--bom"]).exit_code == 2
    assert runner.invoke(app, ["export", "pdf", str(dev_out)]).exit_code == 2
    assert runner.invoke(app, ["export", "csv", str(tmp_path / "nothing")]).exit_code == 2


# --- Embedded KB and the README queries -----------------------------------------------------------

def readme_queries() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Knowledge-base exports"):]
    section = section[:section.index("\n## ", 1)]
    return re.findall(r"```sparql\n(.*?)```", section, re.DOTALL)


@pytest.fixture(scope="module")
def stores(dev_out, tmp_path_factory):
    """Stores built through the CLI: the dev outputs, and the dev outputs plus the 王建军 articles."""
    root = tmp_path_factory.mktemp("kb")
    articles = root / "articles"
    articles.mkdir()
    for doc_id, text in WANG_JIANJUN.items():
        (articles / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    assert runner.invoke(app, ["extract", str(articles), "-o", str(root / "extra"), "-q"]).exit_code == 0
    assert runner.invoke(app, ["merge", str(dev_out), str(root / "extra"), "-o", str(root / "both")]).exit_code == 0
    built = {}
    for name, source in (("dev", dev_out), ("both", root / "both")):
        result = runner.invoke(app, ["kb", "load", str(source), "--store", str(root / name)])
        assert result.exit_code == 0, result.output
        built[name] = root / name
    return built


def _gold_secretaries() -> list[tuple[str, str, dict]]:
    """(person, document, place entity) of every gold SECRETARY_OF to a coded place."""
    out = []
    for gold in _gold():
        entities = {e["name"]: e for e in gold["entities"]}
        for rel in gold["relations"]:
            tail = entities.get(rel["tail"]) if isinstance(rel["tail"], str) else None
            if rel["label"] == "SECRETARY_OF" and tail and tail.get("code"):
                out.append((rel["head"], gold["doc_id"], tail))
    return out


def test_readme_has_the_three_queries():
    assert len(readme_queries()) == 3


def test_readme_query_township_secretaries_in_a_prefecture(stores):
    query = readme_queries()[0]
    prefecture = re.search(r'VALUES \?prefectureCode \{ "(\d{6})" \}', query).group(1)
    expected = {person for person, _, place in _gold_secretaries()
                if len(place["code"]) == 9 and place["code"][:4] == prefecture[:4]}
    assert expected
    result = query_store(stores["dev"], query)
    assert {row[result.variables.index("secretary")] for row in result.rows} == expected


def test_readme_query_initiatives_of_county_secretaries(stores):
    county = [(person, doc, place) for person, doc, place in _gold_secretaries()
              if len(place["code"]) == 6 and not place["code"].endswith("00")]
    assert county
    expected_people = {person for person, _, _ in county}
    golds = {g["doc_id"]: g for g in _gold()}
    required, acceptable = set(), set()
    for person, doc, place in county:
        heads = {person, place["name"], *place.get("aliases", [])}
        for rel in golds[doc]["relations"]:
            head = rel["head"] if isinstance(rel["head"], list) else [rel["head"]]
            if rel["label"] == "PROMOTES" and heads & set(head) and not rel.get("optional"):
                required.add(rel["tail"])
        acceptable |= {n for e in golds[doc]["entities"] if e["label"] == "INITIATIVE"
                       for n in (e["name"], *e.get("aliases", []))}
    result = query_store(stores["dev"], readme_queries()[1])
    people = {row[0] for row in result.rows}
    initiatives = {row[2] for row in result.rows}
    assert people == expected_people
    assert len(required & initiatives) >= 0.8 * len(required)
    assert len(initiatives & acceptable) >= 0.8 * len(initiatives)


def test_readme_query_people_with_posts_in_two_places(stores):
    query = readme_queries()[2]
    expected_dev = set()
    for gold in _gold():
        places = {e["name"] for e in gold["entities"] if e["label"] == "PLACE"}
        posts: dict[str, set] = {}
        for rel in gold["relations"]:
            if rel["label"] in ("SECRETARY_OF", "HOLDS_POSITION") and rel["tail"] in places:
                posts.setdefault(rel["head"], set()).add(rel["tail"])
        expected_dev |= {person for person, units in posts.items() if len(units) > 1}
    assert {row[0] for row in query_store(stores["dev"], query).rows} == expected_dev
    # The two hand-written articles name 王建军 as 秦安县委常委 and 莲花镇党委书记.
    rows = query_store(stores["both"], query).rows
    assert {row[0] for row in rows} == expected_dev | {"王建军"}
    wang = next(row for row in rows if row[0] == "王建军")
    assert set(wang[1].split("、")) == {"秦安县", "莲花镇"}


def test_kb_load_replaces_and_cli_query_prints_rows(corpus, tmp_path):
    store = tmp_path / "kb"
    first = load_store(corpus, store)
    assert load_store(corpus, store) == first
    result = runner.invoke(app, ["kb", "query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--store", str(store)])
    assert result.exit_code == 0 and result.output.split() == ["n", str(first)]
    ask = runner.invoke(app, ["kb", "query", 'ASK { ?p schema:name "陈洪勇"@zh }', "--store", str(store)])
    assert ask.output.strip() == "true"
    assert runner.invoke(app, ["kb", "query", "SELEC nothing", "--store", str(store)]).exit_code == 2
    assert runner.invoke(app, ["kb", "query", "ASK {}", "--store", str(tmp_path / "none")]).exit_code == 2


# --- evidence in every export -----------------------------------------------------------------------

def _documents(dev_out) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((dev_out / "documents").glob("*.json"))]


def _evidence_of_documents(dev_out) -> set[tuple[str, int, int, str]]:
    """(doc id, start, end, rule) of every relation's evidence, read from the document files."""
    return {(d["doc_id"], e["start"], e["end"], e["rule"]) for d in _documents(dev_out)
            for r in d["relations"] for e in r["evidence"]}


def test_evidence_offsets_cover_the_sentence_and_nothing_after_it(dev_out):
    pieces = [(d["text"], e) for d in _documents(dev_out) for r in d["relations"] for e in r["evidence"]]
    assert len(pieces) > 50
    for text, evidence in pieces:
        assert text[evidence["start"]:evidence["end"]] == evidence["sentence"] == evidence["sentence"].strip()


def test_document_entities_join_graph_nodes(dev_out, graph):
    for document in _documents(dev_out):
        node_of = {e["id"]: e["node"] for e in document["entities"]}
        assert all(node in graph for node in node_of.values())
        for relation in document["relations"]:
            assert graph.has_edge(node_of[relation["head"]], node_of[relation["tail"]], key=relation["label"])


def test_dev_graphml_and_gexf_edge_ids_are_unique(corpus, graph, tmp_path):
    for name, tag in (("graphml", "{http://graphml.graphdrawing.org/xmlns}edge"),
                      ("gexf", "{http://gexf.net/1.3}edge")):
        ids = [e.get("id") for e in ET.parse(export(name, corpus, tmp_path)).getroot().iter(tag)]
        assert len(ids) == len(set(ids)) == graph.number_of_edges()


def test_graphml_and_gexf_edges_carry_their_evidence(corpus, dev_out, tmp_path):
    expected = _evidence_of_documents(dev_out)
    back = nx.read_graphml(export("graphml", corpus, tmp_path), force_multigraph=True)
    found = {tuple(item) for _, _, d in back.edges(data=True) for item in json.loads(d["evidence"])}
    assert found == expected
    gexf = nx.read_gexf(export("gexf", corpus, tmp_path), version="1.3")
    assert {tuple(item) for _, _, d in gexf.edges(data=True) for item in json.loads(d["evidence"])} == expected


def test_turtle_holds_each_relations_evidence(corpus, dev_out, tmp_path):
    import rdflib

    rdf = rdflib.Graph().parse(export("turtle", corpus, tmp_path), format="turtle")
    rows = rdf.query("""
        PREFIX cg: <urn:cadregraph:vocab#>  PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX schema: <https://schema.org/>  PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?id ?sentence ?start ?end ?rule WHERE {
          ?statement a rdf:Statement ; prov:wasDerivedFrom ?evidence .
          ?evidence a cg:Evidence ; cg:sentence ?sentence ; cg:start ?start ; cg:end ?end ; cg:rule ?rule ;
                    prov:wasDerivedFrom ?doc .
          ?doc schema:identifier ?id .
        }""")
    found = {(str(i), str(s), int(a), int(b), str(r)) for i, s, a, b, r in rows}
    expected = {(d["doc_id"], e["sentence"], e["start"], e["end"], e["rule"]) for d in _documents(dev_out)
                for r in d["relations"] for e in r["evidence"]}
    assert found == expected


def test_neo4j_relationships_have_document_ids_and_sentences(corpus, dev_out, tmp_path):
    with open(export("neo4j", corpus, tmp_path) / "relationships.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    found = set()
    for row in rows:
        assert row["evidence_doc_ids:string[]"], row
        columns = [row[f"evidence_{name}:string[]"].split(";") for name in ("doc_ids", "sentences", "offsets")]
        assert len({len(c) for c in columns}) == 1
        found |= set(zip(*columns))
    expected = {(d["doc_id"], " ".join(e["sentence"].split()).replace(";", "；"), f"{e['start']}-{e['end']}")
                for d in _documents(dev_out) for r in d["relations"] for e in r["evidence"]}
    assert found == expected


def test_csv_relation_evidence_joins_relations(corpus, dev_out, tmp_path):
    export("csv", corpus, tmp_path)
    with open(tmp_path / "relations.csv", encoding="utf-8", newline="") as handle:
        relations = {row["id"]: row for row in csv.DictReader(handle)}
    with open(tmp_path / "relation_evidence.csv", encoding="utf-8", newline="") as handle:
        evidence = list(csv.DictReader(handle))
    assert all(row["relation_id"] in relations for row in evidence)
    assert {(r["doc_id"], int(r["start"]), int(r["end"]), r["rule"]) for r in evidence} == \
        _evidence_of_documents(dev_out)
    texts = {d["doc_id"]: d["text"] for d in _documents(dev_out)}
    assert all(texts[r["doc_id"]][int(r["start"]):int(r["end"])] == r["sentence"] for r in evidence)


def test_jsonld_is_the_same_file_whatever_the_hash_seed(dev_out, tmp_path):
    import os
    import subprocess
    import sys

    written = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        subprocess.run([sys.executable, "-c", "from pipeline.cli import main; main()", "export", "jsonld",
                        str(dev_out), "-o", str(out)],
                       env={**os.environ, "PYTHONHASHSEED": seed}, cwd=ROOT, check=True, capture_output=True)
        written.append((out / "graph.jsonld").read_bytes())
    assert written[0] == written[1]
