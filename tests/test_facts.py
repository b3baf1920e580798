"""The graph says what the document says: facts checked against the source text."""

from __future__ import annotations

import datetime as dt
import re

from ctoc_kg.vocab import CTOC, LANG, OA, SCHEMA
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from . import sourcetext
from .conftest import BASE

C = CTOC
COP = URIRef(BASE + "body/CTOC/COP")
WG = URIRef(BASE + "body/CTOC/COP/WG.4")
DECISION = URIRef(BASE + "body/CTOC/COP/decision/4/4")
MEETING = URIRef(BASE + "body/CTOC/COP/WG.4/meeting/2009-04-14")
AGENDA = URIRef(str(MEETING) + "/agenda")
#: The French verb forms that open each kind of clause in the annotations.
VERBS = {
    "Recalled": "rappelé",
    "Stressed": "souligné",
    "Affirmed": "affirmé",
    "Urged": "exhorté",
    "Decided": ("décidé", "qu'elle"),
    "Requested": "prié",
    "Recognized": "reconnu",
}


def one(g: Graph, s: URIRef, p: URIRef) -> object:
    values = list(g.objects(s, p))
    assert len(values) == 1, (s, p, values)
    return values[0]


def name_of(body: URIRef) -> str:
    return "Groupe de travail sur la traite des personnes" if body == WG else ""


def test_every_printed_literal_is_in_the_source(data: Graph, source_text: str) -> None:
    printed = [DCTERMS.title, C.text, C.description, C.titleInAnnotations, SKOS.altLabel]
    printed += [C.editorialNote, DCTERMS.identifier]
    checked = 0
    for p in printed:
        for value in data.objects(None, p):
            assert str(value) in source_text, (p, value)
            checked += 1
    assert checked > 60


def test_english_only_where_the_document_prints_english(data: Graph, source_text: str) -> None:
    english = {o for o in data.objects() if isinstance(o, Literal) and o.language == "en"}
    assert english, "the two English titles are printed in English"
    for value in english:
        assert str(value) in source_text
    english_titles = [o for o in data.objects(None, DCTERMS.title) if o.language == "en"]
    assert len(english_titles) == 2
    languages = {o.language for o in data.objects() if isinstance(o, Literal) and o.language}
    assert languages == {"fr", "en"}


def test_the_document(data: Graph, source_text: str) -> None:
    lines = sourcetext.lines(source_text)
    title = next(line for line in lines if line.endswith("*") and not line.startswith("*"))
    assert one(data, AGENDA, DCTERMS.title) == Literal(title[:-1], lang="fr")
    assert (AGENDA, RDF.type, C.AnnotatedAgenda) in data
    assert one(data, AGENDA, C.issuingBody) == COP
    assert str(one(data, COP, RDFS.label)) == next(line for line in lines if line)
    assert "Distr. générale" in lines
    assert one(data, AGENDA, C.distribution) == C.GeneralDistribution
    assert "5 mars 2009" in lines
    assert one(data, AGENDA, DCTERMS.issued) == Literal(dt.date(2009, 3, 5), datatype=XSD.date)
    assert "Français" in lines and "Original: anglais" in lines
    assert one(data, AGENDA, DCTERMS.language) == LANG.fr
    assert one(data, AGENDA, C.originalLanguage) == LANG.en
    note = next(line for line in lines if line.startswith("* "))[2:]
    assert one(data, AGENDA, C.editorialNote) == Literal(note, lang="fr")
    assert one(data, AGENDA, C.forMeeting) == MEETING
    # its own symbol is not printed, so none is recorded
    assert (AGENDA, DCTERMS.identifier, None) not in data


def test_the_meeting(data: Graph, source_text: str) -> None:
    assert "Vienne, 14 et 15 avril 2009" in source_text
    assert one(data, MEETING, SCHEMA.startDate) == Literal(dt.date(2009, 4, 14), datatype=XSD.date)
    assert one(data, MEETING, SCHEMA.endDate) == Literal(dt.date(2009, 4, 15), datatype=XSD.date)
    place = one(data, MEETING, SCHEMA.location)
    assert one(data, place, RDFS.label) == Literal("Vienne", lang="fr")  # type: ignore[arg-type]
    assert "s'ouvrira le mardi 14 avril 2009 à 10 heures" in source_text
    opening = one(data, MEETING, C.openingTime)
    assert opening == Literal(dt.datetime(2009, 4, 14, 10, 0), datatype=XSD.dateTime)
    assert "deux séances plénières par jour" in source_text
    assert int(one(data, MEETING, C.plenaryMeetingsPerDay)) == 2  # type: ignore[call-overload]
    assert "dans les six langues officielles" in source_text
    langs = set(data.objects(MEETING, C.interpretationLanguage))
    assert langs == {LANG[c] for c in ("ar", "zh", "en", "fr", "ru", "es")}
    assert one(data, MEETING, C.meetingOf) == WG


def test_bodies_and_their_relations(data: Graph, source_text: str) -> None:
    labels = {str(o) for b in data.subjects(RDF.type, C.Body) for o in data.objects(b, RDFS.label)}
    for name in [
        "Groupe de travail sur la traite des personnes",
        "Bureau",
        "Secrétariat",
        "Office des Nations Unies contre la drogue et le crime",
        "Groupe interinstitutions de coopération contre la traite des personnes",
        "Forum de Vienne sur la lutte contre la traite des êtres humains",
    ]:
        assert name in source_text and name in labels
    offices = {str(one(data, o, RDFS.label)) for o in data.subjects(RDF.type, C.Office)}
    # the chair of the group is an office of the group, not the group
    chair = "président du groupe de travail"
    assert chair in source_text
    assert offices == {"Secrétaire général", "Directeur exécutif", f"président du {name_of(WG)}"}
    assert "à composition non limitée que présidera un membre du Bureau" in source_text
    assert one(data, WG, C.openEnded) == Literal(True)
    assert one(data, WG, C.interim) == Literal(True)
    assert str(one(data, one(data, WG, C.chairedByMemberOf), RDFS.label)) == "Bureau"  # type: ignore[arg-type]
    assert "pour la conseiller et l'aider" in source_text
    assert (WG, C.advises, COP) in data and (WG, C.subsidiaryOf, COP) in data
    assert (WG, C.reportsTo, COP) in data
    assert one(data, WG, C.establishedBy) == DECISION


def test_instruments_and_provisions(data: Graph, source_text: str) -> None:
    para = URIRef(BASE + "instrument/UNTOC/article/32/paragraph/3")
    article = URIRef(BASE + "instrument/UNTOC/article/32")
    rule = URIRef(BASE + "instrument/CTOC/COP/rules-of-procedure/article/2/paragraph/2")
    assert "paragraphe 3 de l'article 32 de la Convention" in source_text
    assert "paragraphe 2 de l'article 2 de son règlement intérieur" in source_text
    assert (para, DCTERMS.isPartOf, article) in data
    assert (article, DCTERMS.isPartOf, URIRef(BASE + "instrument/UNTOC")) in data
    assert int(one(data, para, C.articleNumber)) == 32  # type: ignore[call-overload]
    assert int(one(data, para, C.paragraphNumber)) == 3  # type: ignore[call-overload]
    assert int(one(data, rule, C.paragraphNumber)) == 2  # type: ignore[call-overload]
    protocols = set(data.subjects(RDF.type, C.Protocol))
    assert len(protocols) == 2
    for p in protocols:
        assert (p, C.supplements, URIRef(BASE + "instrument/UNTOC")) in data
        # one French label whichever source names it; the name this source prints is
        # the label or an alternative
        (label,) = [o for o in data.objects(p, RDFS.label) if o.language == "fr"]
        names = [label, *data.objects(p, SKOS.altLabel)]
        assert any(str(n) in source_text for n in names if n.language == "fr")  # type: ignore[attr-defined]


def test_decision_and_its_session(data: Graph, source_text: str) -> None:
    m = re.search(r"décision (\d+/\d+), intitulée \"([^\"]+)\"", source_text)
    assert m
    assert one(data, DECISION, SKOS.notation) == Literal(m[1])
    assert one(data, DECISION, DCTERMS.title) == Literal(m[2], lang="fr")
    session = one(data, DECISION, C.adoptedAt)
    assert "à sa quatrième session, tenue à Vienne du 8 au 17 octobre 2008" in source_text
    assert int(one(data, session, C.ordinal)) == 4  # type: ignore[arg-type, call-overload]
    start = one(data, session, SCHEMA.startDate)  # type: ignore[arg-type]
    assert start == Literal(dt.date(2008, 10, 8), datatype=XSD.date)
    sixth = URIRef(BASE + "body/CTOC/COP/session/6")
    assert "sixième session, en 2012" in source_text
    assert one(data, sixth, C.year) == Literal("2012", datatype=XSD.gYear)
    assert (URIRef(BASE + "body/CTOC/COP/session/5"), RDF.type, C.Session) in data


def test_decision_acts_are_what_their_words_say(data: Graph, source_text: str) -> None:
    acts = list(data.objects(DECISION, C.hasAct))
    kinds = set()
    for act in acts:
        text = str(one(data, act, C.text))
        assert text in source_text
        kind = str(one(data, act, C.actType)).rsplit("/", 1)[1]
        kinds.add(kind)
        assert text.startswith(VERBS[kind]), (kind, text)
        assert one(data, act, C.actingBody) == COP
    assert kinds == set(VERBS)
    legal = [a for a in acts if (a, C.legalBasis, None) in data]
    assert len(legal) == 1 and (legal[0], C.establishes, WG) in data
    requested = [a for a in acts if (a, C.actType, C.Requested) in data]
    assert [str(one(data, one(data, a, C.addressee), RDFS.label)) for a in requested] == [  # type: ignore[arg-type]
        "Secrétariat"
    ]


def test_the_chair_who_is_to_report_is_the_addressee_not_the_group(
    data: Graph, source_text: str
) -> None:
    words = "président du groupe de travail"
    printed = f"décidé que le {words} lui soumettrait un rapport"
    assert printed in source_text
    (act,) = [
        a for a in data.objects(DECISION, C.hasAct) if str(one(data, a, C.text)).startswith(printed)
    ]
    office = one(data, act, C.addressee)
    assert (office, RDF.type, C.Office) in data
    assert one(data, office, C.officeOf) == WG
    assert office != WG and (act, C.concerns, office) not in data
    # the office is stated by the words of this act that name it
    act_start = source_text.index(printed)
    spans = [
        (int(one(data, pos, OA.start)), int(one(data, pos, OA.end)))  # type: ignore[call-overload]
        for q in data.objects(office, C.statedIn)
        for t in data.objects(q, OA.hasTarget)
        for pos in data.objects(t, OA.hasSelector)
        if (pos, OA.start, None) in data
    ]
    inside = [(s, e) for s, e in spans if act_start <= s < act_start + len(printed)]
    assert [source_text[s:e] for s, e in inside] == [words]


def test_functions_of_the_mandate(data: Graph, source_text: str) -> None:
    printed = re.findall(r"^(i{1,3})\) (.+?);?\.?$", source_text, re.M)
    mandate = one(data, WG, C.hasMandate)
    functions = sorted(
        data.objects(mandate, C.hasFunction),  # type: ignore[arg-type]
        key=lambda f: int(one(data, f, C.order)),  # type: ignore[arg-type, call-overload]
    )
    got = [(str(one(data, f, SKOS.notation)), str(one(data, f, C.text))) for f in functions]
    assert got == [(n, t.rstrip(";.")) for n, t in printed]
    assert one(data, mandate, C.mandatedBy) == DECISION  # type: ignore[arg-type]


def test_agenda_items_and_their_titles(data: Graph, source_text: str) -> None:
    items = sorted(
        data.objects(AGENDA, C.hasAgendaItem),
        key=lambda i: int(one(data, i, C.order)),  # type: ignore[arg-type, call-overload]
    )
    got = [(str(one(data, i, SKOS.notation)), str(one(data, i, DCTERMS.title))) for i in items]
    assert got == sourcetext.agenda_list(source_text)
    subs = {str(one(data, i, SKOS.notation)) for i in items if (i, C.subItemOf, None) in data}
    assert subs == {"1 a)", "1 b)"}


def test_item_three_keeps_both_printed_titles(data: Graph, source_text: str) -> None:
    item3 = URIRef(str(AGENDA) + "/item/3")
    listed = str(one(data, item3, DCTERMS.title))
    annotated = str(one(data, item3, C.titleInAnnotations))
    assert "concernés" in listed and "compétents" in annotated
    assert f"3. {listed}." in source_text and f"\n3. {annotated}\n" in source_text


def test_annotation_paragraphs(data: Graph, source_text: str) -> None:
    item1b = URIRef(str(AGENDA) + "/item/1b")
    paras = list(data.objects(item1b, C.hasAnnotationParagraph))
    assert len(paras) == 7  # the page-foot footnote is not a paragraph
    for p in paras:
        text = str(one(data, p, C.text))
        assert f"\n{text}\n" in source_text and not text.startswith("*")


def test_listed_documents(data: Graph, source_text: str) -> None:
    listed = sourcetext.documentation(source_text)
    assert len(listed) == 11
    for item_number, title, symbol in listed:
        doc = URIRef(BASE + "document/" + symbol)
        assert str(one(data, doc, DCTERMS.identifier)) == symbol
        assert str(one(data, doc, DCTERMS.title)) == title
        assert (URIRef(f"{AGENDA}/item/{item_number}"), DCTERMS.references, doc) in data
        sym = one(data, doc, C.symbol)
        assert str(one(data, sym, C.series)) == "CTOC/COP"  # type: ignore[arg-type]


def test_symbol_parts(data: Graph) -> None:
    sym = URIRef(BASE + "symbol/CTOC/COP/WG.4/2009/CRP.1")
    assert str(one(data, sym, C.subsidiaryBody)) == "WG.4"
    assert int(one(data, sym, C.symbolYear)) == 2009  # type: ignore[call-overload]
    assert str(one(data, sym, C.documentType)) == "CRP"
    assert int(one(data, sym, C.documentNumber)) == 1  # type: ignore[call-overload]
    rev = URIRef(BASE + "document/CTOC/COP/2005/3/Rev.2")
    assert one(data, rev, C.revisionOf) == URIRef(BASE + "document/CTOC/COP/2005/3")


def test_authors_and_transmitters(data: Graph, source_text: str) -> None:
    def agent(symbol: str, prop: URIRef) -> set[str]:
        doc = URIRef(BASE + "document/" + symbol)
        return {str(one(data, a, RDFS.label)) for a in data.objects(doc, prop)}  # type: ignore[arg-type]

    for _, title, symbol in sourcetext.documentation(source_text):
        creators = agent(symbol, DCTERMS.creator)
        if title.startswith(("Note du Secrétariat", "Rapport du Secrétariat")):
            assert creators == {"Secrétariat"}
        elif title.startswith("Rapport du Forum de Vienne"):
            assert creators == {"Forum de Vienne sur la lutte contre la traite des êtres humains"}
        else:
            assert creators == set()
        transmitted = agent(symbol, C.transmitsReportOf)
        if "rapport du Secrétaire général" in title:
            assert transmitted == {"Secrétaire général"}
        elif "rapport du Directeur exécutif" in title:
            assert transmitted == {"Directeur exécutif"}
        else:
            assert transmitted == set()


def test_organization_of_work(data: Graph, source_text: str) -> None:
    rows = sourcetext.annex_rows(source_text)
    entries = list(data.subjects(RDF.type, C.ScheduleEntry))
    assert len(entries) == len(rows) == 7
    slots = list(data.subjects(RDF.type, C.TimeSlot))
    assert len(slots) == 4
    got = set()
    for e in entries:
        slot = next(data.subjects(C.hasEntry, e))
        start = one(data, slot, SCHEMA.startDate).toPython()  # type: ignore[attr-defined]
        end = one(data, slot, SCHEMA.endDate).toPython()  # type: ignore[attr-defined]
        item = one(data, e, C.item)
        continued = bool(one(data, e, C.continuation).toPython())  # type: ignore[attr-defined]
        day = f"{['Lundi', 'Mardi', 'Mercredi'][start.weekday()]} {start.day} avril"
        hours = f"{start.hour} heures-{end.hour} heures"
        got.add((day, hours, str(one(data, item, SKOS.notation)), continued))  # type: ignore[arg-type]
        prop = C.continues if continued else C.takesUp
        assert (slot, prop, item) in data
    assert got == set(rows)
