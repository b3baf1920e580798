"""The statements graphs are in the release: the README's query answers over the protocol.

The quote the served store gives for an agenda item's title is checked against the source
file itself (the slice its offsets name), and a derived triple names its rule.
"""

from __future__ import annotations

import html
import re

from ctoc_kg.build.release import Release
from ctoc_kg.vocab import CTOC, OA
from flask.testing import FlaskClient
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF

from .conftest import BASE, DATA_GRAPH, ROOT, SOURCE

README = ROOT / "README.md"
ITEM = BASE + "body/CTOC/COP/WG.4/meeting/2009-04-14/agenda/item/4"


def readme_query() -> str:
    """The SPARQL block under the README's "Where does the text say that?"."""
    section = README.read_text(encoding="utf-8").split("## Where does the text say that?")[1]
    m = re.search(r"```sparql\n(.*?)```", section, re.S)
    assert m, "the README's section has no SPARQL example"
    return m.group(1)


def select(client: FlaskClient, query: str) -> list[dict[str, str]]:
    resp = client.get("/sparql", query_string={"query": query, "format": "json"})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    rows = resp.get_json()["results"]["bindings"]
    return [{k: v["value"] for k, v in row.items()} for row in rows]


def test_the_release_holds_one_statements_graph_per_source(release: Release) -> None:
    graphs = release.manifest["graphs"]
    assert isinstance(graphs, dict)
    assert graphs.get(str(DATA_GRAPH) + ".statements", 0) > 0


def test_the_readme_query_gives_the_slice_of_the_source_its_offsets_name(
    client: FlaskClient,
) -> None:
    query = readme_query()
    assert f"<{ITEM}>" in query
    rows = select(client, query)
    assert len(rows) == 1, rows
    (row,) = rows
    text = SOURCE.read_bytes().decode("utf-8")
    quoted = text[int(row["start"]) : int(row["end"])]
    assert row["exact"] == quoted
    # the title the quote states is printed in that slice of the source
    assert " ".join(row["title"].split()) in " ".join(quoted.split())


def test_a_derived_statement_names_its_rule(client: FlaskClient) -> None:
    rows = select(
        client,
        """PREFIX ctoc: <https://w3id.org/ctoc-kg/ontology/>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?rule ?label WHERE {
          ?st rdf:predicate ctoc:interpretationLanguage ; prov:wasGeneratedBy ?rule .
          ?rule a ctoc:Rule ; rdfs:label ?label .
          FILTER NOT EXISTS { ?st ctoc:statedIn ?q }
        }""",
    )
    assert rows == [
        {
            "rule": BASE + "rule/official-languages",
            "label": "the six official languages of the United Nations",
        }
    ]
    text = SOURCE.read_bytes().decode("utf-8")
    assert "six langues officielles" in text


def test_an_added_statement_names_the_build_rule_that_made_it(client: FlaskClient) -> None:
    rows = select(
        client,
        """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT DISTINCT ?rule WHERE {
          ?st rdf:predicate <http://purl.org/dc/terms/hasFormat> ; rdf:object ?text ;
              prov:wasGeneratedBy ?rule .
          FILTER(STRENDS(STR(?text), ".txt"))
        }""",
    )
    assert rows == [{"rule": BASE + "rule/source-text"}]


def page(client: FlaskClient, path: str) -> str:
    resp = client.get(path, headers={"Accept": "text/html"}, query_string={"lang": "en"})
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def test_the_page_shows_beside_a_title_the_quote_that_states_it(
    client: FlaskClient, data: Graph
) -> None:
    item = URIRef(ITEM)
    title = data.value(item, DCTERMS.title)
    # the quote that states the title, by its offsets, read from the source file here
    stated = [
        (int(data.value(pos, OA.start)), int(data.value(pos, OA.end)))  # type: ignore[call-overload]
        for q in data.objects(item, CTOC.statedIn)
        for t in data.objects(q, OA.hasTarget)
        for pos in data.objects(t, OA.hasSelector)
        if (pos, OA.start, None) in data
    ]
    text = SOURCE.read_bytes().decode("utf-8")
    (start, end), *_ = [(s, e) for s, e in stated if str(title).split()[0] in text[s:e]]
    quoted = " ".join(text[start:end].split())
    body = page(client, "/body/CTOC/COP/WG.4/meeting/2009-04-14/agenda/item/4")
    row = body.split('<tr data-property="dcterms:title">')[1].split("</tr>")[0]
    assert html.escape(str(title), quote=False) in row
    shown = re.findall(r'<div class="why quote"><q>(.*?)</q>', row, re.S)
    assert shown, row
    assert html.unescape(shown[0]).rstrip("…") in quoted
    assert f"#char={start},{end}" in row
    assert f"/source/{SOURCE.stem}.txt#char={start},{end}" in row


def test_the_page_names_the_rule_beside_a_derived_value(client: FlaskClient) -> None:
    body = page(client, "/body/CTOC/COP/WG.4/meeting/2009-04-14")
    row = body.split('<tr data-property="ctoc:interpretationLanguage">')[1]
    row = row.split("</tr>")[0]
    rules = re.findall(r'<div class="why rule">.*?<a href="([^"]+)">([^<]+)</a>', row, re.S)
    assert len(rules) == 6  # one per language
    assert set(rules) == {
        ("/rule/official-languages", "the six official languages of the United Nations")
    }


def test_statements_are_not_listed_as_referring_to_a_resource(client: FlaskClient) -> None:
    resp = client.get(ITEM.removeprefix(BASE.rstrip("/")), headers={"Accept": "text/turtle"})
    assert resp.status_code == 200
    g = Graph().parse(data=resp.get_data(as_text=True), format="turtle")
    assert not set(g.triples((None, RDF.subject, URIRef(ITEM))))
    assert (URIRef(ITEM), DCTERMS.title, None) in g
