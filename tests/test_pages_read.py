"""Resource pages read as the document: lists in printed order with their text, each value
once (what entailment repeats folded beneath it, not dropped), no stray punctuation.

Expectations come from the data graph and the source text, not from the pages."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from ctoc_kg.build.load import Loaded
from ctoc_kg.vocab import CTOC
from flask.testing import FlaskClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS
from rdflib.term import Node

from . import inprocess
from .conftest import BASE
from .pageview import PageView

LANGS = ["en", "fr"]


def href(iri: Node) -> str:
    """Where the page links for ``iri``: a path on this server under the base, else the IRI."""
    text = str(iri)
    if text.startswith(BASE):
        return urlsplit(inprocess.URL).path + text[len(BASE) :]
    return text


def page(client: FlaskClient, iri: Node, lang: str = "en") -> PageView:
    resp = client.get(href(iri), headers={"Accept": "text/html", "Accept-Language": lang})
    assert resp.status_code == 200, iri
    return PageView(resp.get_data(as_text=True))


def curie(client: FlaskClient, iri: Node) -> str:
    svc = client.application.extensions["ctoc"]
    return str(svc.curie(str(iri)))


def order(data: Graph, node: Node) -> int:
    value = data.value(node, CTOC.order)
    assert isinstance(value, Literal), node
    return int(value)


def text_in(data: Graph, node: Node, prop: URIRef) -> str:
    (text,) = set(data.objects(node, prop))  # one text each in the first agenda
    return " ".join(str(text).split())


def supers(ontology: Graph, relation: URIRef) -> dict[Node, set[Node]]:
    """Each term's broader terms, closed transitively (read here, not from the server)."""
    return {
        t: set(ontology.transitive_objects(t, relation)) - {t}
        for t in set(ontology.subjects(relation, None))
    }


@pytest.mark.parametrize("lang", LANGS)
def test_a_decisions_acts_in_printed_order_once_with_their_text(
    client: FlaskClient, data: Graph, lang: str
) -> None:
    decisions = set(data.subjects(CTOC.hasAct, None))
    assert decisions
    for decision in decisions:
        acts = sorted(data.objects(decision, CTOC.hasAct), key=lambda a: order(data, a))
        view = page(client, decision, lang)
        shown = view.shown(curie(client, CTOC.hasAct))
        assert [v.href for v in shown] == [href(a) for a in acts]
        for act, value in zip(acts, shown, strict=True):
            text = text_in(data, act, CTOC.text)
            # the act's text beneath it, unless its label says it all already
            assert value.body == text or (not value.body and text in value.text)
            if value.body:
                assert value.body_lang == "fr"
        visible = [v.href for v in view.values if not v.folded_kind]
        for act in acts:
            assert visible.count(href(act)) == 1, act


def printed_at(text: str, symbol: str) -> int:
    """Where ``symbol`` is first printed whole (not CRP.1 inside CRP.11, nor 2005/3 in
    2005/3/Rev.2)."""
    found = re.search(re.escape(symbol) + r"(?![\w]|[/.]\w)", text)
    assert found is not None, symbol
    return found.start()


def test_an_items_documents_in_printed_order_with_their_titles(
    client: FlaskClient, data: Graph, source_text: str
) -> None:
    items = set(data.subjects(DCTERMS.references, None))
    assert items
    for item in items:
        docs = list(data.objects(item, DCTERMS.references))
        at = {d: printed_at(source_text, str(data.value(d, DCTERMS.identifier))) for d in docs}
        printed = sorted(docs, key=lambda d: at[d])
        shown = page(client, item, "fr").shown(curie(client, DCTERMS.references))
        assert [v.href for v in shown] == [href(d) for d in printed]
        for doc, value in zip(printed, shown, strict=True):
            assert value.body == text_in(data, doc, DCTERMS.title)


def test_an_items_annotations_in_order_with_their_text(client: FlaskClient, data: Graph) -> None:
    items = set(data.subjects(CTOC.hasAnnotationParagraph, None))
    assert len(items) > 1
    prop = CTOC.hasAnnotationParagraph
    for item in items:
        paras = sorted(data.objects(item, prop), key=lambda p: order(data, p))
        shown = page(client, item, "en").shown(curie(client, prop))
        assert [v.href for v in shown] == [href(p) for p in paras]
        for para, value in zip(paras, shown, strict=True):
            text = text_in(data, para, CTOC.text)
            assert value.body and value.body.rstrip(";,") in text and text.startswith(value.body)


def test_entailed_values_are_shown_once_and_folded_not_dropped(
    client: FlaskClient, data: Graph, loaded: Loaded
) -> None:
    sup_p = supers(loaded.ontology, RDFS.subPropertyOf)
    sup_c = supers(loaded.ontology, RDFS.subClassOf)
    kinds = (CTOC.Decision, CTOC.AgendaItem, CTOC.AnnotatedAgenda, CTOC.DecisionAct)
    resources = {r for k in kinds for r in data.subjects(RDF.type, k)}
    folded_somewhere = 0
    for r in sorted(resources):
        view = page(client, r)
        props = {p for p, o in data.predicate_objects(r) if isinstance(o, URIRef)} - {RDF.type}
        for p in props:
            name = curie(client, p)
            expected = {href(o) for o in data.objects(r, p) if isinstance(o, URIRef)}
            listed = [v.href for v in view.shown(name) + view.folded(name)]
            assert set(listed) == expected, (r, p)  # nothing dropped
            repeated_by = [q for q in props if p in sup_p.get(q, set())]
            for q in repeated_by:  # each value under the most specific property only
                narrow = {href(o) for o in data.objects(r, q)}
                shown_here = {v.href for v in view.shown(name)}
                assert not shown_here & narrow, (r, p, q)
                folded_somewhere += bool(narrow & expected)
        types = set(data.objects(r, RDF.type))
        (type_row,) = [v for v in view.values if v.property == "rdf:type" and not v.folded_kind]
        most_specific = {t for t in types if not any(t in sup_c.get(u, set()) for u in types)}
        assert most_specific == {t for t in types if href(t) == type_row.href}
        assert set(type_row.implied) | {type_row.href} == {href(t) for t in types}
    assert folded_somewhere  # the data has entailed repetitions to fold


def test_the_rdf_keeps_the_entailed_statements(client: FlaskClient, data: Graph) -> None:
    (decision,) = set(data.subjects(CTOC.hasAct, None))
    resp = client.get(href(decision), headers={"Accept": "text/turtle"})
    served = Graph().parse(data=resp.get_data(as_text=True), format="turtle", publicID=BASE)
    acts = set(data.objects(decision, CTOC.hasAct))
    assert acts and all((decision, DCTERMS.hasPart, a) in served for a in acts)


#: A separator doubled ("; .", ", ,") or left at either end of a name.
STRAY = re.compile(r"[;,:·]\s*[;,.:·]|^[;,:·.]|[;,:·]$")


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_no_stray_punctuation_in_names_titles_and_lists(
    client: FlaskClient, data: Graph, lang: str
) -> None:
    subjects = sorted({s for s in data.subjects() if isinstance(s, URIRef)})
    assert len(subjects) > 200
    for s in subjects:
        view = page(client, s, lang)
        names = view.headings + [v.text for v in view.values if v.text]
        bodies = [v.body for v in view.values if v.body]
        for text in names:
            assert not STRAY.search(text), (s, text)
        for text in bodies:  # a paragraph may end with the colon announcing a list
            assert not STRAY.search(text.removesuffix(":")), (s, text)


def test_format_links_are_separated(client: FlaskClient, data: Graph) -> None:
    (decision,) = set(data.subjects(CTOC.hasAct, None))
    html = client.get(href(decision), headers={"Accept": "text/html"}).get_data(as_text=True)
    switch = re.search(r'<div class="switch">(.*?)</div>', html, re.S)
    assert switch is not None
    names = re.findall(r"<a [^>]*>([^<]*)</a>", switch.group(1))
    text = " ".join(re.sub(r"<[^>]+>", "", switch.group(1)).split())
    assert len(names) > 2 and text == "As data: " + " · ".join(names)
