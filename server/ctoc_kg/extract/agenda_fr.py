"""Extractor for a French provisional agenda and annotations of a CTOC meeting.

The layout (masthead, agenda list, annotations by item with their
documentation lists, annex with the organization of work) is parsed from the
text.  What a parser cannot know — which clause of a decision recalls, urges
or decides what — is read from :data:`DECISION_ACTS`, a short table whose
entries name the printed words that open and close each clause; every offset
is still found by searching the source, and every resource points to the
quote that states it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from ctoc_kg import iris
from ctoc_kg.extract import french
from ctoc_kg.extract.provenance import SourceText, Span
from ctoc_kg.extract.readings import AGENTS, AUTHORSHIP, DECISION_ACTS, INSTRUMENTS, PROVISIONS, Act
from ctoc_kg.symbols import parse as parse_symbol
from ctoc_kg.vocab import CTOC, LANG, SCHEMA

ITEM_RE = re.compile(r"(\d+)\. (.+?)([:;.])")
SUB_ITEM_RE = re.compile(r" - ([a-z])\) (.+?)([:;.])")
HEADING_RE = re.compile(r"(\d+)\. (.+[^:;.])")
SUB_HEADING_RE = re.compile(r"([a-z])\) (.+[^:;.])")
DOC_ENTRY_RE = re.compile(r"(.+) \(([^()]+)\)")
FUNCTION_RE = re.compile(r"^(i{1,3}|iv|vi{0,3})\) (.+?)[;.]?$", re.M)
DAY_RE = re.compile(r"(\w+) (\d{1,2}) (\w+)\t\t")
SLOT_RE = re.compile(r"(\d{1,2}) heures-(\d{1,2}) heures\t([^\t]+)\t(.+)")
CONTINUED_RE = re.compile(r"\t([^\t]+)\t(.+)")
SUITE = " (<i>suite</i>)"
#: Function words that tell the two English titles the document prints from French ones.
ENGLISH_RE = re.compile(r"\b(the|of|by|in|on|and)\b")
FRENCH_RE = re.compile(r"\b(le|la|les|du|des|sur|et)\b")

COP_SERIES = "CTOC/COP"


def _lines(text: str) -> Iterator[tuple[Span, str]]:
    for m in re.finditer(r"^.*$", text, re.M):
        yield Span(m.start(), m.end()), m.group()


def _sub(span: Span, m: re.Match[str], group: int | str) -> Span:
    return Span(span.start + m.start(group), span.start + m.end(group))


class AgendaExtractor:
    """Reads one French annotated agenda into an RDF graph (IRIs under ``base``)."""

    def __init__(self, source: SourceText) -> None:
        self.src = source
        self.base = source.base
        self.c = CTOC
        self.g = Graph()
        self.lines = list(_lines(source.text))
        self.items: dict[str, URIRef] = {}  # notation as the annex prints it -> item
        self.agents: dict[str, URIRef] = {}
        self.instruments: dict[str, URIRef] = {}

    # -- helpers -----------------------------------------------------------------
    def iri(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def add(self, s: URIRef, p: URIRef, o: object) -> None:
        self.g.add((s, p, o))  # type: ignore[arg-type]

    def fr(self, text: str) -> Literal:
        return Literal(text, lang="fr")

    def typed(self, iri: URIRef, cls: URIRef, label: Literal | str, *spans: Span) -> URIRef:
        self.add(iri, RDF.type, cls)
        self.add(iri, RDFS.label, label if isinstance(label, Literal) else self.fr(label))
        for span in spans:
            self.src.state(self.g, iri, span)
        return iri

    def line_at(self, text: str, after: int = 0) -> Span:
        for span, line in self.lines:
            if span.start >= after and line == text:
                return span
        raise LookupError(f"line {text!r} not found after offset {after}")

    def integer(self, n: int) -> Literal:
        return Literal(n, datatype=XSD.integer)

    # -- the whole document --------------------------------------------------------
    def run(self) -> Graph:
        self.masthead()
        self.meeting()
        self.agenda_document()
        self.agenda_list()
        self.annotations()
        self.decision()
        self.annex()
        self.instruments_and_provisions()
        self.relations_between_agents()
        self.src.emit(self.g)
        return self.g

    # -- masthead ------------------------------------------------------------------
    def masthead(self) -> None:
        first = next((s, line) for s, line in self.lines if line.strip())
        self.cop_span, cop_name = first
        self.cop = self.typed(self.iri(iris.body(COP_SERIES)), self.c.Body, cop_name, first[0])
        conf = self.src.find("Conférence", self.cop_span.end)
        self.src.state(self.g, self.cop, conf)
        self.distr = self.line_at("Distr. générale")
        date_span, date_line = next(
            (s, line)
            for s, line in self.lines
            if s.start > self.distr.end and re.fullmatch(r"\d{1,2} \w+ \d{4}", line)
        )
        day, month, year = date_line.split(" ")
        self.issued, self.issued_span = french.date(day, month, year), date_span
        lang_span, lang_line = self.lines[[s for s, _ in self.lines].index(date_span) + 1]
        self.language = french.LANGUAGES[lang_line.lower()]
        self.language_span = lang_span
        orig = self.src.find("Original: ", lang_span.end)
        orig_line = self.src.text[orig.start : self.src.text.index("\n", orig.start)]
        self.original = french.LANGUAGES[orig_line.removeprefix("Original: ").lower()]
        self.original_span = Span(orig.start, orig.start + len(orig_line))

    # -- the meeting ----------------------------------------------------------------
    def meeting(self) -> None:
        wg = AGENTS["wg"]
        wg_span = self.line_at(wg.label, self.original_span.end)
        self.agents["wg"] = self.typed(self.iri(iris.body(wg.path)), self.c.Body, wg.label, wg_span)
        m = re.search(
            r"^(?P<place>[^\n,]+), (?P<d1>\d{1,2}) et (?P<d2>\d{1,2}) "
            r"(?P<month>\w+) (?P<year>\d{4})$",
            self.src.text[wg_span.end :],
            re.M,
        )
        if not m:
            raise LookupError("meeting place and dates not found under the body's name")
        off = wg_span.end
        self.dates_span = Span(off + m.start(), off + m.end())
        self.start = french.date(m["d1"], m["month"], m["year"])
        self.end = french.date(m["d2"], m["month"], m["year"])
        place_span = Span(off + m.start("place"), off + m.end("place"))
        self.vienna = self.place(m["place"], place_span)
        self.meeting_iri = self.iri(iris.meeting(wg.path, self.start.isoformat()))
        mt = self.typed(
            self.meeting_iri,
            self.c.Meeting,
            f"{wg.label}, {self.src.slice(self.dates_span)}",
            self.dates_span,
        )
        self.add(mt, self.c.meetingOf, self.agents["wg"])
        self.add(mt, SCHEMA.location, self.vienna)
        self.add(mt, SCHEMA.startDate, Literal(self.start, datatype=XSD.date))
        self.add(mt, SCHEMA.endDate, Literal(self.end, datatype=XSD.date))
        op = re.search(
            r"s'ouvrira le (\w+) (\d{1,2}) (\w+) (\d{4}) à (\d{1,2}) heures", self.src.text
        )
        if not op:
            raise LookupError("opening time not found")
        opening_day = french.date(op[2], op[3], op[4])
        french.check_weekday(opening_day, op[1])
        opening = dt.datetime.combine(opening_day, dt.time(int(op[5])))
        self.add(mt, self.c.openingTime, Literal(opening, datatype=XSD.dateTime))
        self.src.state(self.g, mt, Span(op.start(), op.end()))
        pl = re.search(r"(\w+) séances plénières par jour", self.src.text)
        if not pl:
            raise LookupError("number of plenary meetings not found")
        self.add(mt, self.c.plenaryMeetingsPerDay, self.integer(french.CARDINALS[pl[1]]))
        self.src.state(self.g, mt, Span(pl.start(), pl.end()))
        il = re.search(
            r"interprétation dans les (\w+) langues officielles "
            r"de l'(Organisation des Nations Unies)",
            self.src.text,
        )
        if not il:
            raise LookupError("interpretation languages not found")
        count = french.CARDINALS[il[1]]
        if count != len(french.UN_OFFICIAL_LANGUAGES):
            raise ValueError(f"{count} official languages printed, the UN has six")
        self.add(mt, self.c.interpretationLanguageCount, self.integer(count))
        for code in french.UN_OFFICIAL_LANGUAGES:
            self.add(mt, self.c.interpretationLanguage, LANG[code])
        self.src.state(self.g, mt, Span(il.start(), il.end()))
        self.agent("un", Span(il.start(2), il.end(2)))

    def place(self, name: str, span: Span) -> URIRef:
        slug = name.lower().replace(" ", "-")
        return self.typed(self.iri(iris.place(slug)), self.c.Place, name, span)

    def agent(self, key: str, *spans: Span) -> URIRef:
        a = AGENTS[key]
        iri = self.iri(iris.office(a.path) if a.office else iris.body(a.path))
        cls = self.c.Office if a.office else self.c.Body
        if key not in self.agents:
            self.agents[key] = self.typed(iri, cls, a.label)
        for span in spans:
            if self.src.slice(span).lower() != a.label.lower():
                raise ValueError(f"{self.src.slice(span)!r} does not name {a.label!r}")
            self.src.state(self.g, iri, span)
        return iri

    # -- the agenda document -------------------------------------------------------------
    def agenda_document(self) -> None:
        title_line = next(
            (s, line) for s, line in self.lines if s.start > self.dates_span.end and line
        )
        span, line = title_line
        if not line.endswith("*"):
            raise LookupError(f"expected a title with a footnote mark, found {line!r}")
        title_span = Span(span.start, span.end - 1)
        note_span = self.src.find("* Le présent document")
        note = Span(note_span.start + 2, self.src.text.index("\n", note_span.start))
        self.agenda = self.iri(iris.meeting("CTOC/COP/WG.4", self.start.isoformat()) + "/agenda")
        a = self.typed(self.agenda, self.c.AnnotatedAgenda, self.src.slice(title_span), title_span)
        self.add(a, DCTERMS.title, self.fr(self.src.slice(title_span)))
        self.add(a, self.c.issuingBody, self.cop)
        self.src.state(self.g, a, self.cop_span)
        self.add(a, self.c.distribution, self.c.GeneralDistribution)
        self.src.state(self.g, a, self.distr)
        self.add(a, DCTERMS.issued, Literal(self.issued, datatype=XSD.date))
        self.src.state(self.g, a, self.issued_span)
        self.add(a, DCTERMS.language, LANG[self.language])
        self.src.state(self.g, a, self.language_span)
        self.add(a, self.c.originalLanguage, LANG[self.original])
        self.src.state(self.g, a, self.original_span)
        self.add(a, self.c.editorialNote, self.fr(self.src.slice(note)))
        self.src.state(self.g, a, note)
        self.add(a, self.c.forMeeting, self.meeting_iri)
        self.add(a, self.c.hasSourceText, self.src.iri)

    # -- agenda list -------------------------------------------------------------------
    def agenda_list(self) -> None:
        heading = self.line_at("Ordre du jour provisoire")
        parent = None
        start = [s for s, _ in self.lines].index(heading) + 2
        listed = list(itertools.takewhile(lambda sl: sl[1] != "", self.lines[start:]))
        for order, (span, line) in enumerate(listed, start=1):
            if m := ITEM_RE.fullmatch(line):
                number, notation, is_sub = m[1], m[1], False
            elif (m := SUB_ITEM_RE.fullmatch(line)) and parent is not None:
                number, notation, is_sub = f"{parent}{m[1]}", f"{parent} {m[1]})", True
            else:
                raise ValueError(f"unreadable agenda line {line!r}")
            title = _sub(span, m, 2)
            item = self.iri(f"{self.agenda_path()}/item/{number}")
            self.typed(item, self.c.AgendaItem, f"{notation} {self.src.slice(title)}", span)
            self.add(item, SKOS.notation, Literal(notation))
            self.add(item, self.c.order, self.integer(order))
            self.add(item, DCTERMS.title, self.fr(self.src.slice(title)))
            self.add(item, self.c.agendaOf, self.agenda)
            self.add(self.agenda, self.c.hasAgendaItem, item)
            if is_sub:
                self.add(item, self.c.subItemOf, self.items[parent])  # type: ignore[index]
            else:
                parent = number
            self.items[notation] = item

    def agenda_path(self) -> str:
        return iris.meeting("CTOC/COP/WG.4", self.start.isoformat()) + "/agenda"

    # -- annotations -------------------------------------------------------------------
    def annotations(self) -> None:
        begin = self.line_at("Annotations")
        end = self.line_at("Annexe", begin.end)
        current: str | None = None
        top: str | None = None
        documentation = False
        paragraphs: dict[str, int] = {}
        self.documents: dict[str, URIRef] = {}
        for span, line in self.lines:
            if not (begin.end <= span.start < end.start) or not line:
                continue
            if line.startswith("* "):  # a footnote repeated at a page foot
                continue
            h = HEADING_RE.fullmatch(line)
            if h and h[1] in self.items:
                current = top = h[1]
                documentation = False
                self.annotation_heading(self.items[current], _sub(span, h, 2))
                continue
            s = SUB_HEADING_RE.fullmatch(line)
            if s and top and f"{top} {s[1]})" in self.items:
                current, documentation = f"{top} {s[1]})", False
                self.annotation_heading(self.items[current], _sub(span, s, 2))
                continue
            if current is None:
                raise ValueError(f"annotation text before any item heading: {line!r}")
            if line == "Documentation":
                documentation = True
                continue
            if documentation:
                self.listed_document(self.items[current], span, line)
                continue
            paragraphs[current] = paragraphs.get(current, 0) + 1
            n = paragraphs[current]
            item = self.items[current]
            par = self.typed(
                URIRef(f"{item}/annotation/{n}"),
                self.c.AnnotationParagraph,
                f"{current}, annotation {n}",
                span,
            )
            self.add(par, self.c.order, self.integer(n))
            self.add(par, self.c.text, self.fr(line))
            self.add(par, DCTERMS.isPartOf, item)
            self.add(item, self.c.hasAnnotationParagraph, par)

    def annotation_heading(self, item: URIRef, title: Span) -> None:
        self.add(item, self.c.titleInAnnotations, self.fr(self.src.slice(title)))
        self.src.state(self.g, item, title)

    def listed_document(self, item: URIRef, span: Span, line: str) -> None:
        m = DOC_ENTRY_RE.fullmatch(line)
        if not m:
            raise ValueError(f"documentation entry without a symbol: {line!r}")
        title, symbol = m[1], m[2]
        doc = self.document(symbol, _sub(span, m, 2))
        lang = "en" if ENGLISH_RE.search(title) and not FRENCH_RE.search(title) else "fr"
        self.add(doc, DCTERMS.title, Literal(title, lang=lang))
        self.src.state(self.g, doc, span)
        self.add(item, DCTERMS.references, doc)
        for words, role, key in AUTHORSHIP:
            pos = title.find(words)
            if pos < 0:
                continue
            who = words.split(" du ", 1)[1]
            at = span.start + pos + words.index(who)
            agent = self.agent(key, Span(at, at + len(who)))
            if role == "creator":
                self.add(doc, DCTERMS.creator, agent)
            else:
                self.add(doc, self.c.transmitsReportOf, agent)

    def document(self, symbol: str, span: Span) -> URIRef:
        """A document and its symbol resource, and the document it revises (if any)."""
        parsed = parse_symbol(symbol)
        doc = self.typed(self.iri(iris.document(symbol)), self.c.Document, Literal(symbol), span)
        self.add(doc, DCTERMS.identifier, Literal(symbol))
        sym = self.typed(
            self.iri(iris.symbol(symbol)), self.c.DocumentSymbol, Literal(symbol), span
        )
        self.add(doc, self.c.symbol, sym)
        self.add(sym, SKOS.notation, Literal(symbol))
        self.add(sym, self.c.series, Literal(parsed.series))
        for body in parsed.bodies:
            self.add(sym, self.c.subsidiaryBody, Literal(body))
        if parsed.year is not None:
            self.add(sym, self.c.symbolYear, self.integer(parsed.year))
        if parsed.session is not None:
            self.add(sym, self.c.symbolSession, self.integer(parsed.session))
        if parsed.doc_type is not None:
            self.add(sym, self.c.documentType, Literal(parsed.doc_type))
        if parsed.number is not None:
            self.add(sym, self.c.documentNumber, self.integer(parsed.number))
        if parsed.revision is not None:
            self.add(sym, self.c.revisionNumber, self.integer(parsed.revision))
        base = parsed.base()
        if base is not None:
            base_text = str(base)
            revised = self.document(base_text, Span(span.start, span.start + len(base_text)))
            self.add(doc, self.c.revisionOf, revised)
        self.documents[symbol] = doc
        return doc

    # -- decision 4/4 --------------------------------------------------------------------
    def decision(self) -> None:
        t = self.src.text
        d = re.search(r"décision (\d+)/(\d+), intitulée \"([^\"]+)\"", t)
        s = re.search(
            r"à sa (\w+) session, tenue à (\w+) du (\d{1,2}) au (\d{1,2}) (\w+) (\d{4})", t
        )
        if not d or not s:
            raise LookupError("the establishing decision and its session were not found")
        session_no = french.ORDINALS[s[1]]
        if int(d[1]) != session_no:
            raise ValueError(f"decision {d[1]}/{d[2]} said adopted at session {session_no}")
        session = self.session(session_no, Span(s.start(), s.end()))
        self.add(session, SCHEMA.location, self.place(s[2], Span(s.start(2), s.end(2))))
        self.add(
            session, SCHEMA.startDate, Literal(french.date(s[3], s[5], s[6]), datatype=XSD.date)
        )
        self.add(session, SCHEMA.endDate, Literal(french.date(s[4], s[5], s[6]), datatype=XSD.date))
        number = f"{d[1]}/{d[2]}"
        self.decision_iri = dec = self.typed(
            self.iri(iris.decision(COP_SERIES, int(d[1]), int(d[2]))),
            self.c.Decision,
            f"décision {number}",
            Span(d.start(), d.end()),
        )
        self.add(dec, SKOS.notation, Literal(number))
        self.add(dec, DCTERMS.title, self.fr(d[3]))
        self.add(dec, self.c.adoptedAt, session)
        self.add(dec, self.c.adoptedBy, self.cop)
        adopted = self.src.find("que la Conférence des Parties a adoptée", d.end())
        self.src.state(self.g, dec, adopted)
        for m in re.finditer(r"conformément à la décision 4/4", t):
            clause_start = t.rfind("\n", 0, m.start()) + 1
            target = self.agenda if t.startswith("L'ordre du jour", clause_start) else None
            if t.startswith("La proposition d'organisation des travaux", clause_start):
                target = self.iri(self.agenda_path() + "/organization-of-work")
            if target is None:
                raise ValueError("a text prepared pursuant to decision 4/4 that is not known")
            self.add(target, self.c.preparedPursuantTo, dec)
            self.src.state(self.g, target, Span(clause_start, m.end()))
        self.sessions_referred_to()
        after = 0
        for n, act in enumerate(DECISION_ACTS, start=1):
            span = self.src.between(act.first, act.last, after)
            after = span.start + 1
            self.decision_act(n, act, span)

    def session(self, ordinal: int, span: Span) -> URIRef:
        iri = self.iri(iris.session(COP_SERIES, ordinal))
        word = next(w for w, n in french.ORDINALS.items() if n == ordinal and w.endswith("ième"))
        s = self.typed(iri, self.c.Session, f"Conférence des Parties, {word} session", span)
        self.add(s, self.c.ordinal, self.integer(ordinal))
        self.add(s, self.c.meetingOf, self.cop)
        return s

    def sessions_referred_to(self) -> None:
        t = self.src.text
        fifth = re.search(r"durant sa (cinquième) session", t)
        sixth = re.search(r"à sa (sixième) session, en (\d{4})", t)
        if not fifth or not sixth:
            raise LookupError("the sessions the decision refers to were not found")
        self.session(french.ORDINALS[fifth[1]], Span(fifth.start(), fifth.end()))
        s6 = self.session(french.ORDINALS[sixth[1]], Span(sixth.start(), sixth.end()))
        self.add(s6, self.c.year, Literal(sixth[2], datatype=XSD.gYear))

    def decision_act(self, n: int, act: Act, span: Span) -> None:
        dec = self.decision_iri
        iri = self.typed(
            URIRef(f"{dec}/act/{n}"),
            self.c.DecisionAct,
            f"décision 4/4, acte {n} : {self.src.slice(span)[:60]}…"
            if span.end - span.start > 60
            else f"décision 4/4, acte {n} : {self.src.slice(span)}",
            span,
        )
        self.add(iri, self.c.actType, self.c[act.type])
        self.add(iri, self.c.order, self.integer(n))
        self.add(iri, self.c.actingBody, self.cop)
        self.add(iri, self.c.text, self.fr(self.src.slice(span)))
        self.add(iri, DCTERMS.isPartOf, dec)
        self.add(dec, self.c.hasAct, iri)
        clause = self.src.slice(span)
        if act.addressee:
            self.add(iri, self.c.addressee, self.agent_in(act.addressee, span))
        for key in act.concerns:
            self.add(iri, self.c.concerns, self.named(key, span))
        for key in act.legal_basis:
            self.add(iri, self.c.legalBasis, self.provision(key, span))
        if act.establishes:
            wg = self.agents[act.establishes]
            self.add(iri, self.c.establishes, wg)
            self.add(wg, self.c.establishedBy, dec)
            self.src.state(self.g, wg, span)
            self.body_traits(wg, span)
        if act.due_at:
            word = next(w for w, k in french.ORDINALS.items() if k == act.due_at)
            if word not in clause:
                raise ValueError(f"act {n}: session {act.due_at} is not named in {clause!r}")
            self.add(iri, self.c.dueAt, self.iri(iris.session(COP_SERIES, act.due_at)))
        if act.mandate:
            self.mandate(iri, span)

    def agent_in(self, key: str, span: Span) -> URIRef:
        """The agent named inside ``span``, its naming words stated as a quote."""
        a = AGENTS[key]
        words = {"wg": "groupe de travail"}.get(key, a.label)
        pos = self.src.slice(span).lower().find(words.lower())
        if pos < 0:  # named by a pronoun ("son efficacité"): the paragraph names it
            span = self.paragraph_of(span)
            pos = self.src.slice(span).lower().find(words.lower())
        if pos < 0:
            raise ValueError(f"{a.label!r} not named in {self.src.slice(span)!r}")
        at = Span(span.start + pos, span.start + pos + len(words))
        if key == "wg":
            self.src.state(self.g, self.agents["wg"], at)
            return self.agents["wg"]
        return self.agent(key, at)

    def paragraph_of(self, span: Span) -> Span:
        return next(s for s, _ in self.lines if s.start <= span.start and span.end <= s.end)

    def named(self, key: str, span: Span) -> URIRef:
        if key in AGENTS:
            return self.agent_in(key, span)
        return self.instrument_in(key, span)

    def body_traits(self, wg: URIRef, span: Span) -> None:
        clause = self.src.slice(span)
        for words, prop in (
            ("provisoire", self.c.interim),
            ("à composition non limitée", self.c.openEnded),
        ):
            if words not in clause:
                raise ValueError(f"{words!r} not in the establishing clause")
            self.add(wg, prop, Literal(True))
        bureau_at = self.src.find("un membre du Bureau", span.start)
        bureau = self.agent("bureau", Span(bureau_at.end - len("Bureau"), bureau_at.end))
        self.add(wg, self.c.chairedByMemberOf, bureau)
        advise = self.src.find("pour la conseiller et l'aider", span.start)
        self.add(wg, self.c.advises, self.cop)
        self.add(wg, self.c.subsidiaryOf, self.cop)
        self.src.state(self.g, wg, advise)

    def mandate(self, act: URIRef, lead: Span) -> None:
        dec, wg = self.decision_iri, self.agents["wg"]
        mandate = self.typed(
            URIRef(f"{dec}/mandate"), self.c.Mandate, f"mandat du {AGENTS['wg'].label}", lead
        )
        self.add(act, self.c.assignsMandate, mandate)
        self.add(mandate, self.c.mandatedBy, dec)
        self.add(mandate, self.c.mandatedBody, wg)
        self.add(wg, self.c.hasMandate, mandate)
        stop = self.src.find("Documentation", lead.end).start
        order = 0
        for m in FUNCTION_RE.finditer(self.src.text, lead.end, stop):
            order += 1
            text = Span(m.start(2), m.end(2))
            f = self.typed(
                URIRef(f"{mandate}/function/{m[1]}"),
                self.c.Function,
                f"{m[1]}) {self.src.slice(text)}",
                text,
            )
            self.add(f, SKOS.notation, Literal(m[1]))
            self.add(f, self.c.order, self.integer(order))
            self.add(f, self.c.text, self.fr(self.src.slice(text)))
            self.add(f, DCTERMS.isPartOf, mandate)
            self.add(mandate, self.c.hasFunction, f)
        if order == 0:
            raise LookupError("the mandate's functions were not found")

    # -- instruments ---------------------------------------------------------------------
    def instrument(self, key: str) -> URIRef:
        if key in self.instruments:
            return self.instruments[key]
        path, cls, label, alt, english = INSTRUMENTS[key]
        iri = self.typed(self.iri(iris.instrument(path)), self.c[cls], label, self.src.find(label))
        for a in alt:
            self.add(iri, SKOS.altLabel, self.fr(a))
            self.src.state(self.g, iri, self.src.find(a))
        if english:
            self.add(iri, RDFS.label, Literal(english, lang="en"))
            self.src.state(self.g, iri, self.src.find(english))
        self.instruments[key] = iri
        return iri

    def instrument_in(self, key: str, span: Span) -> URIRef:
        iri = self.instrument(key)
        _, _, label, alt, _ = INSTRUMENTS[key]
        for words in (label, *alt):
            pos = self.src.slice(span).find(words)
            if pos >= 0:
                self.src.state(self.g, iri, Span(span.start + pos, span.start + pos + len(words)))
                return iri
        raise ValueError(f"{label!r} not named in {self.src.slice(span)!r}")

    def provision(self, key: str, span: Span) -> URIRef:
        inst_key, art, par, words = PROVISIONS[key]
        at = self.src.find(words, span.start, span.end)
        inst = self.instrument(inst_key)
        article_words = words.split(" de l'", 1)[1]
        article_at = Span(at.end - len(article_words), at.end)
        article = self.typed(
            URIRef(iris.article(str(inst), art)), self.c.Article, article_words, article_at
        )
        self.add(article, self.c.articleNumber, self.integer(art))
        self.add(article, DCTERMS.isPartOf, inst)
        self.add(article, self.c.instrument, inst)
        para = self.typed(URIRef(iris.article(str(inst), art, par)), self.c.Paragraph, words, at)
        self.add(para, self.c.articleNumber, self.integer(art))
        self.add(para, self.c.paragraphNumber, self.integer(par))
        self.add(para, DCTERMS.isPartOf, article)
        self.add(para, self.c.instrument, inst)
        return para

    def instruments_and_provisions(self) -> None:
        untoc, tip, som, rop = (self.instrument(k) for k in ("untoc", "tip", "som", "rop"))
        self.add(tip, self.c.supplements, untoc)
        self.add(som, self.c.supplements, untoc)
        both = self.src.find("et du Protocole contre le trafic illicite")
        supplementing = self.src.between(
            "et du Protocole contre le trafic illicite", "organisée", both.start
        )
        self.src.state(self.g, som, supplementing)
        self.add(rop, self.c.rulesOf, self.cop)
        self.src.state(self.g, rop, self.src.find("son règlement intérieur"))

    # -- annex -------------------------------------------------------------------------------
    def annex(self) -> None:
        annex = self.line_at("Annexe")
        title = self.line_at("Proposition d'organisation des travaux", annex.end)
        ow = self.typed(
            self.iri(self.agenda_path() + "/organization-of-work"),
            self.c.OrganizationOfWork,
            self.src.slice(title),
            title,
        )
        self.add(ow, DCTERMS.title, self.fr(self.src.slice(title)))
        self.add(self.agenda, self.c.hasOrganizationOfWork, ow)
        day: dt.date | None = None
        day_span: Span | None = None
        slot: URIRef | None = None
        slots = entries = 0
        for span, line in self.lines:
            if span.start <= title.end or not line or line.startswith("<i>"):
                continue
            if m := DAY_RE.fullmatch(line):
                day = french.date(m[2], m[3], self.start.year)
                french.check_weekday(day, m[1])
                day_span = Span(span.start, span.start + m.end(3))
                continue
            if m := SLOT_RE.fullmatch(line):
                if day is None or day_span is None:
                    raise ValueError(f"time slot before any day: {line!r}")
                slots += 1
                entries = 0
                start = dt.datetime.combine(day, dt.time(int(m[1])))
                end = dt.datetime.combine(day, dt.time(int(m[2])))
                time_span = Span(span.start, span.start + m.end(2) + len(" heures"))
                slot = self.typed(
                    self.iri(
                        f"{iris.meeting('CTOC/COP/WG.4', self.start.isoformat())}"
                        f"/slot/{start:%Y-%m-%dT%H%M}"
                    ),
                    self.c.TimeSlot,
                    f"{self.src.slice(day_span)}, {self.src.slice(time_span)}",
                    day_span,
                    time_span,
                )
                self.add(slot, SCHEMA.startDate, Literal(start, datatype=XSD.dateTime))
                self.add(slot, SCHEMA.endDate, Literal(end, datatype=XSD.dateTime))
                self.add(slot, self.c.order, self.integer(slots))
                self.add(slot, SCHEMA.superEvent, self.meeting_iri)
                self.add(ow, self.c.hasTimeSlot, slot)
                item_group, desc_group = 3, 4
            elif (m := CONTINUED_RE.fullmatch(line)) and slot is not None:
                item_group, desc_group = 1, 2
            else:
                raise ValueError(f"unreadable line in the organization of work: {line!r}")
            entries += 1
            self.schedule_entry(slot, entries, span, m, item_group, desc_group)
        if slots == 0:
            raise LookupError("no time slot in the organization of work")

    def schedule_entry(
        self, slot: URIRef, n: int, span: Span, m: re.Match[str], item_g: int, desc_g: int
    ) -> None:
        notation = m[item_g]
        if notation not in self.items:
            raise ValueError(f"the annex names item {notation!r}, which the agenda does not list")
        item = self.items[notation]
        desc = m[desc_g]
        continued = desc.endswith(SUITE)
        desc_span = _sub(span, m, desc_g)
        if continued:
            desc_span = Span(desc_span.start, desc_span.end - len(SUITE))
        entry = self.typed(
            URIRef(f"{slot}/entry/{n}"),
            self.c.ScheduleEntry,
            f"{notation} {self.src.slice(desc_span)}" + (" (suite)" if continued else ""),
            Span(span.start + m.start(item_g), span.end),
        )
        self.add(entry, self.c.item, item)
        self.add(entry, self.c.order, self.integer(n))
        self.add(entry, self.c.description, self.fr(self.src.slice(desc_span)))
        self.add(entry, self.c.continuation, Literal(continued))
        self.add(slot, self.c.hasEntry, entry)
        self.add(slot, self.c.continues if continued else self.c.takesUp, item)

    # -- relations between agents ----------------------------------------------------------
    def relations_between_agents(self) -> None:
        t = self.src.text
        wg, cop = self.agents["wg"], self.cop
        report = self.src.find("le président du groupe de travail lui soumettrait un rapport")
        self.add(wg, self.c.reportsTo, cop)
        self.src.state(self.g, wg, report)
        sec_words = self.src.find("son secrétariat")
        secretariat = self.agent("secretariat", Span(sec_words.start + 4, sec_words.end))
        self.add(secretariat, self.c.secretariatOf, cop)
        coord = re.search(
            r"(Office des Nations Unies contre la drogue et le crime), y compris de son rôle de "
            r"coordination du (Groupe interinstitutions de coopération contre la traite des "
            r"personnes)",
            t,
        )
        if not coord:
            raise LookupError("the coordinating role of the Office was not found")
        unodc = self.agent("unodc", Span(coord.start(1), coord.end(1)))
        icat = self.agent("icat", Span(coord.start(2), coord.end(2)))
        self.add(unodc, self.c.coordinates, icat)
        self.src.state(self.g, unodc, Span(coord.start(), coord.end()))
        drafted = self.src.find("dont le projet sera établi par le Secrétariat")
        self.agent("secretariat", Span(drafted.end - len("Secrétariat"), drafted.end))
        self.add(self.cop, SKOS.altLabel, self.fr("Conférence"))


def extract(source: SourceText) -> Graph:
    """The graph of one French annotated agenda."""
    return AgendaExtractor(source).run()
