"""The query mix of the serving benchmark, with its parameters taken from the corpus served.

Six queries a reader of the site asks: a document by its symbol, the items of one
meeting, the documents under each of that meeting's items, counts per body and
year (a whole-corpus aggregate), a search in item titles, and the description of
one document.  The symbol and the meeting are picked from the store (the middle
of the generated corpus), so every query has answers at every size.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

PREFIXES = """PREFIX ctoc: <{ontology}>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <http://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

#: name -> (template, whole-corpus aggregate?); {symbol}, {document}, {agenda} are filled in
TEMPLATES: dict[str, tuple[str, bool]] = {
    "lookup": ('SELECT ?d WHERE {{ ?d dcterms:identifier "{symbol}" }}', False),
    "meeting items": (
        """SELECT DISTINCT ?number ?title ?order WHERE {{
  <{agenda}> ctoc:hasAgendaItem ?item .
  ?item skos:notation ?number ; dcterms:title ?title ; ctoc:order ?order .
}} ORDER BY ?order""",
        False,
    ),
    "item documents": (
        """SELECT DISTINCT ?number ?symbol WHERE {{
  <{agenda}> ctoc:hasAgendaItem ?item .
  ?item skos:notation ?number ; dcterms:references ?d .
  ?d dcterms:identifier ?symbol .
}} ORDER BY ?number ?symbol""",
        False,
    ),
    "counts per body and year": (
        """SELECT ?body ?year (COUNT(DISTINCT ?item) AS ?items) WHERE {{
  ?agenda ctoc:forMeeting ?meeting ; ctoc:hasAgendaItem ?item .
  ?meeting ctoc:meetingOf/skos:notation ?body ; schema:startDate ?start .
  BIND (YEAR(?start) AS ?year)
}} GROUP BY ?body ?year ORDER BY ?body ?year""",
        True,
    ),
    "title search": (
        """SELECT DISTINCT ?item ?title WHERE {{
  ?item a ctoc:AgendaItem ; dcterms:title ?title .
  FILTER (CONTAINS(LCASE(STR(?title)), "coordination"))
}}""",
        False,
    ),
    "describe": ("DESCRIBE <{document}>", False),
}


@dataclass(frozen=True)
class Mix:
    """The six queries, filled in for one corpus."""

    symbol: str
    document: str
    agenda: str
    queries: dict[str, str]
    aggregates: frozenset[str]


def _first(store: ox.Store, query: str) -> list[str]:
    rows = store.query(query, use_default_graph_as_union=True)
    return [row[0].value for row in rows]  # type: ignore[union-attr]


def pick(store: ox.Store, ontology: str) -> Mix:
    """The mix for the corpus in ``store``: a generated paper and agenda from its middle."""
    head = PREFIXES.format(ontology=ontology)
    symbols = _first(
        store,
        head + 'SELECT DISTINCT ?s WHERE { ?d dcterms:identifier ?s FILTER (CONTAINS(?s, "CRP")) }'
        " ORDER BY ?s",
    )
    agendas = _first(store, head + "SELECT DISTINCT ?a WHERE { ?a ctoc:forMeeting ?m } ORDER BY ?a")
    if not symbols or not agendas:
        raise SystemExit("the store holds no generated paper or agenda: is it a bench corpus?")
    symbol = symbols[len(symbols) // 2]
    document = _first(
        store, head + f'SELECT ?d WHERE {{ ?d dcterms:identifier "{symbol}" }} LIMIT 1'
    )[0]
    agenda = agendas[len(agendas) // 2]
    queries = {
        name: head + template.format(symbol=symbol, document=document, agenda=agenda)
        for name, (template, _) in TEMPLATES.items()
    }
    aggregates = frozenset(name for name, (_, whole) in TEMPLATES.items() if whole)
    return Mix(symbol, document, agenda, queries, aggregates)
