"""The store's types: an engine-free interface, and one JSON-LD writer for every answer."""

from __future__ import annotations

import json
import subprocess
import sys

import pyoxigraph as ox
from ctoc_kg.formats import JSONLD
from ctoc_kg.store.base import QueryRequest, node, term
from ctoc_kg.store.engine import execute
from ctoc_kg.web.rdfout import serialize
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD

from .conftest import BASE, ROOT

DOC = BASE + "document/CTOC/COP/2008/CRP.8"


def _modules_after_import(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": str(ROOT / "server")},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return set(out.stdout.split())


def test_remote_store_does_not_load_pyoxigraph() -> None:
    assert "pyoxigraph" not in _modules_after_import("ctoc_kg.store.remote")
    assert "pyoxigraph" not in _modules_after_import("ctoc_kg.store.results")
    # the check itself can see pyoxigraph when it is loaded
    assert "pyoxigraph" in _modules_after_import("ctoc_kg.store.engine")


def test_terms_round_trip_through_rdflib() -> None:
    for n in (
        URIRef("http://example.org/a"),
        Literal("Genève", lang="fr"),
        Literal("3", datatype=XSD.integer),
        Literal("plain"),
    ):
        assert node(term(n)) == n


def test_engine_and_rdflib_graphs_give_the_same_jsonld() -> None:
    """The same triples, through pyoxigraph (/sparql, dereferencing) or rdflib (meta pages)."""
    ex = "http://example.org/"
    g = Graph()
    a = URIRef(ex + "a")
    g.add((a, RDF.type, URIRef(ex + "Thing")))
    g.add((a, URIRef(ex + "label"), Literal("Genève", lang="fr")))
    g.add((a, URIRef(ex + "count"), Literal("3", datatype=XSD.integer)))
    g.add((a, URIRef(ex + "see"), URIRef("http://other.example/b")))
    prefixes = {"ex": ex, "xsd": str(XSD), "unused": "http://unused.example/"}

    store = ox.Store()
    for s, p, o in g:
        store.add(ox.Quad(*(_ox(x) for x in (s, p, o)), ox.DefaultGraph()))
    req = QueryRequest("CONSTRUCT WHERE { ?s ?p ?o }", rdf_format="jsonld", prefixes=prefixes)
    from_engine = execute(store, req).body
    from_rdflib = serialize(g, JSONLD, prefixes)
    assert from_engine == from_rdflib

    doc = json.loads(from_rdflib)
    assert doc["@context"] == {"ex": ex, "xsd": str(XSD)}  # only the prefixes used
    (obj,) = doc["@graph"]
    assert obj["@type"] == ["ex:Thing"]
    assert obj["ex:count"] == [{"@value": "3", "@type": "xsd:integer"}]
    assert isomorphic(Graph().parse(data=from_rdflib, format="json-ld"), g)


def _ox(n: object) -> ox.NamedNode | ox.Literal:
    if isinstance(n, URIRef):
        return ox.NamedNode(str(n))
    assert isinstance(n, Literal)
    if n.language:
        return ox.Literal(str(n), language=n.language)
    return ox.Literal(str(n), datatype=ox.NamedNode(str(n.datatype or XSD.string)))


def test_jsonld_answers_share_one_shape(client) -> None:  # type: ignore[no-untyped-def]
    """/sparql CONSTRUCT, a dereferenced resource and the VoID page: CURIE keys, used prefixes."""
    construct = f"CONSTRUCT {{ <{DOC}> ?p ?o }} WHERE {{ <{DOC}> ?p ?o }}"
    answers = {
        "sparql": client.get("/sparql", query_string={"query": construct, "format": "jsonld"}),
        "resource": client.get("/document/CTOC/COP/2008/CRP.8.jsonld"),
        "void": client.get("/.well-known/void", query_string={"format": "jsonld"}),
    }
    for name, resp in answers.items():
        assert resp.status_code == 200, name
        assert resp.content_type.startswith(JSONLD.media_type), name
        doc = json.loads(resp.data)
        context, nodes = doc["@context"], doc["@graph"]
        keys = {k for n in nodes for k in n if not k.startswith("@")}
        assert keys, name
        assert all(k.split(":", 1)[0] in context for k in keys), (name, keys)
        used = {k.split(":", 1)[0] for k in keys} | {
            t.split(":", 1)[0] for n in nodes for t in n.get("@type", [])
        }
        values = [v for n in nodes for k in keys for v in n.get(k, []) if "@type" in v]
        used |= {v["@type"].split(":", 1)[0] for v in values}
        assert set(context) == used & set(context), name
    turtle = client.get("/document/CTOC/COP/2008/CRP.8.ttl")
    assert isomorphic(
        Graph().parse(data=answers["resource"].data, format="json-ld"),
        Graph().parse(data=turtle.data, format="turtle"),
    )
