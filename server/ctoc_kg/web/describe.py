"""Descriptions of resources: the resource's triples, blank nodes hanging from it, and
the triples that point at it.  The resource reaches the query as a bound term."""

from __future__ import annotations

from rdflib import Graph, URIRef

from ctoc_kg.formats import Format
from ctoc_kg.store.base import QueryRequest, Row, term
from ctoc_kg.web.services import Services

#: The resource's triples, blank nodes hanging from it (two levels), triples pointing at it.
_PATTERN = """
  { ?r ?p ?o }
  UNION { ?r ?p0 ?b1 . FILTER (isBlank(?b1)) ?b1 ?p1 ?o1 }
  UNION {
    ?r ?p0 ?x . FILTER (isBlank(?x))
    ?x ?px ?b2 . FILTER (isBlank(?b2))
    ?b2 ?p2 ?o2
  }
  UNION { ?s ?q ?r FILTER (?q NOT IN (%s)) }
""" % ", ".join(
    f"<http://www.w3.org/1999/02/22-rdf-syntax-ns#{p}>" for p in ("subject", "predicate", "object")
)
#: (Reified statements point at the resources they are about: where the text says so is in
#: the statements graphs, which the page reads with :data:`WHY`, not in the description.)
_TEMPLATE = "?r ?p ?o . ?b1 ?p1 ?o1 . ?b2 ?p2 ?o2 . ?s ?q ?r ."

#: Every triple of the named graph ?g.
GRAPH_CONTENTS = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"

DESCRIBE = f"CONSTRUCT {{ {_TEMPLATE} }} WHERE {{ {_PATTERN} }}"

#: For HTML: the description plus the quotes' text; neighbours' labels come after (below).
DESCRIBE_FOR_PAGE = (
    "PREFIX oa: <http://www.w3.org/ns/oa#>\n"
    f"CONSTRUCT {{ {_TEMPLATE} "
    "?quote oa:hasTarget ?t . ?t oa:hasSelector ?sel . ?sel ?sp ?sv . ?t oa:hasSource ?src . }"
    f"WHERE {{ {_PATTERN}"
    """
  UNION { ?r <%(ctoc)sstatedIn> ?quote .
          ?quote oa:hasTarget ?t . ?t oa:hasSelector ?sel . ?sel ?sp ?sv .
          OPTIONAL { ?t oa:hasSource ?src } }
}"""
)

#: What a page shows of its own neighbours: their labels, and for lists that read as the
#: document prints them, their printed order and their text or title.  Each neighbour and
#: property is one (subject, predicate) pair of a single VALUES block, so that the engine
#: looks each pair up in its index: two VALUES blocks, one of subjects and one of
#: properties, were joined with every triple of those properties in the corpus (75 ms
#: a page at 10^6 quads, against 3 ms for the pairs).
LABELS = "CONSTRUCT { ?n ?p ?v } WHERE { VALUES (?n ?p) { %s } ?n ?p ?v }"
LABELLED = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://purl.org/dc/terms/title",
    "%(ctoc)sorder",
    "%(ctoc)stext",
)
#: A page names at most this many neighbours by label; the rest show their IRI.
MAX_LABELLED = 2000


#: For each statement whose subject is ?r: its quote's text and position, or its rule's label.
WHY = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT DISTINCT ?r ?p ?o ?quote ?exact ?start ?end ?src ?rule ?ruleLabel WHERE {
  ?st rdf:subject ?r ; rdf:predicate ?p ; rdf:object ?o .
  { ?st <%(ctoc)sstatedIn> ?quote .
    ?quote oa:hasTarget ?t . ?t oa:hasSelector ?sel, ?pos .
    ?sel oa:exact ?exact . ?pos oa:start ?start ; oa:end ?end .
    OPTIONAL { ?t oa:hasSource ?src } }
  UNION { ?st prov:wasGeneratedBy ?rule . OPTIONAL { ?rule rdfs:label ?ruleLabel } }
}
"""


def why(svc: Services, iri: URIRef) -> list[Row]:
    """The quote or rule of each statement about ``iri`` (see build/statements.py)."""
    return svc.store.select(WHY % {"ctoc": svc.prefixes["ctoc"]}, {"r": iri})


def describe_rdf(svc: Services, iri: URIRef, fmt: Format) -> tuple[bytes, int, bool]:
    """The description serialised by the engine, how many triples it holds, and whether the
    result cap cut it short."""
    req = QueryRequest(
        DESCRIBE,
        rdf_format=fmt.key,
        bindings={"r": term(iri)},
        prefixes=svc.prefixes,
        max_results=svc.settings.max_results,
    )
    resp = svc.store.execute(req)
    return resp.body, resp.count, resp.truncated


def describe_graph(svc: Services, iri: URIRef) -> Graph:
    query = DESCRIBE_FOR_PAGE % {"ctoc": svc.prefixes["ctoc"]}
    g = svc.store.construct(query, {"r": iri})
    neighbours = sorted({t for triple in g for t in triple if isinstance(t, URIRef)} - {iri})
    if neighbours:
        props = [URIRef(p % {"ctoc": svc.prefixes["ctoc"]}) for p in LABELLED]
        pairs = " ".join(f"({n.n3()} {p.n3()})" for n in neighbours[:MAX_LABELLED] for p in props)
        g += svc.store.construct(LABELS % pairs)
    return g


def exists(svc: Services, iri: URIRef) -> bool:
    return svc.store.ask("ASK { { ?r ?p ?o } UNION { ?s ?p ?r } }", {"r": iri})
