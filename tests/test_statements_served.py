"""The statements graphs are in the release: the README's query answers over the protocol.

The quote the served store gives for an agenda item's title is checked against the source
file itself (the slice its offsets name), and a derived triple names its rule.
"""

from __future__ import annotations

import re

from ctoc_kg.build.release import Release
from flask.testing import FlaskClient

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
