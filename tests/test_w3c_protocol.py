"""The W3C SPARQL 1.1 Protocol test suite, driven against the app in process and live.

The manifest in ``tests/w3c/`` (copied from the W3C test suite) is read with
rdflib; each query and bad-request test is replayed over HTTP (in process for the fast
set, over a socket as well in the whole run).  The seven
positive update tests do not apply: the endpoint is read-only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
import requests
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF

from .conftest import W3C
from .inprocess import InProcessServer, Response
from .live import LiveServer

Server = LiveServer | InProcessServer

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
MANIFEST = W3C / "sparql11-protocol-manifest.ttl"
POSITIVE_UPDATES = {
    "update_dataset_default_graph",
    "update_dataset_default_graphs",
    "update_dataset_named_graphs",
    "update_dataset_full",
    "update_post_form",
    "update_post_direct",
    "update_base_uri",
}
RESULT_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


@dataclass
class Step:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[str]
    format: str | None
    boolean: bool | None


def load() -> dict[str, list[Step]]:
    g = Graph().parse(MANIFEST, format="turtle", publicID=MANIFEST.as_uri())
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    tests: dict[str, list[Step]] = {}
    for entry in Collection(g, g.value(manifest, MF.entries)):
        name = str(entry).rsplit("#", 1)[1]
        action = g.value(entry, MF.action)
        steps = []
        for req in Collection(g, g.value(action, HT.requests)):
            headers = {}
            if g.value(req, HT.headers) is not None:
                for h in Collection(g, g.value(req, HT.headers)):
                    headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
            body = None
            if (b := g.value(req, HT.body)) is not None:
                encoding = str(g.value(b, CNT.characterEncoding) or "UTF-8")
                body = str(g.value(b, CNT.chars)).encode(encoding.lower())
            resp = g.value(req, HT.resp)
            statuses = {str(s).rsplit("#", 1)[1] for s in g.objects(resp, MF.expectedStatus)}
            fmt = g.value(resp, MF.expectedFormat)
            boolean = g.value(resp, MF.expectedBoolean)
            steps.append(
                Step(
                    str(g.value(req, HT.methodName)),
                    str(g.value(req, HT.absolutePath)),
                    headers,
                    body,
                    statuses,
                    str(fmt) if fmt is not None else None,
                    boolean.toPython() if boolean is not None else None,  # type: ignore[union-attr]
                )
            )
        tests[name] = steps
    return tests


TESTS = load()
APPLICABLE = sorted(n for n in TESTS if n not in POSITIVE_UPDATES)


def test_the_suite_has_27_applicable_tests() -> None:
    assert len(TESTS) == 34 and len(APPLICABLE) == 27


def status_class(code: int) -> str:
    return f"StatusCode{code // 100}xx"


def check_boolean(resp: Response | requests.Response, expected: bool) -> None:
    ctype = resp.headers["Content-Type"]
    if ctype.startswith("application/sparql-results+json"):
        assert json.loads(resp.content)["boolean"] is expected
    elif ctype.startswith("application/sparql-results+xml"):
        text = resp.text
        assert f"<boolean>{'true' if expected else 'false'}</boolean>" in text
    else:
        raise AssertionError(f"boolean result in {ctype}")


def replay(server: Server, step: Step) -> Response | requests.Response:
    """Send one request of the manifest; its ``/sparql/`` paths name our ``/sparql``."""
    path = step.path.replace("/sparql/", "/sparql", 1)
    return server.request(step.method, path, headers=step.headers, data=step.body)


@pytest.mark.parametrize("name", APPLICABLE)
def test_w3c_protocol(name: str, either: Server) -> None:
    server = either
    for step in TESTS[name]:
        resp = replay(server, step)
        assert status_class(resp.status_code) in step.statuses, (resp.status_code, resp.text[:500])
        if resp.status_code >= 400:
            assert resp.headers["Content-Type"].startswith("text/plain") and resp.text.strip()
        ctype = resp.headers.get("Content-Type", "")
        if step.format == "boolean" and step.boolean is not None:
            check_boolean(resp, step.boolean)
        elif step.format == "tabular":
            assert ctype.startswith(RESULT_TYPES)
        elif step.format == "RDF":
            media = ctype.split(";")[0]
            assert media in RDF_TYPES, ctype
            Graph().parse(data=resp.content, format=RDF_TYPES[media], publicID=server.url)


def test_the_positive_update_tests_are_refused_without_change(either: Server) -> None:
    server = either
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = server.get("sparql", params={"query": count, "format": "json"}).json()
    for name in sorted(POSITIVE_UPDATES):
        for step in TESTS[name]:
            resp = replay(server, step)
            carries_update = "update" in step.headers.get("content-type", "") or (
                step.body or b""
            ).startswith(b"update=")
            if carries_update:
                assert 400 <= resp.status_code < 500, (name, resp.status_code)
    after = server.get("sparql", params={"query": count, "format": "json"}).json()
    assert before == after
