"""One extractor for the genre: any provisional agenda and annotations, any lexicon.

The layout (:mod:`layout`) gives the regions and lines; the lexicon gives the
words; this module turns them into resources.  IRIs depend only on what the
text identifies (symbols, decision numbers, bodies, meeting dates, item
numbers), never on the language, so the English and French versions of one
agenda describe the same agenda, items, meeting and slots, each with its own
labels.  A decision's acts are each source's own report
(``…/decision/4/4/act/<source stem>/<n>``), linked to the decision: two
reports are not merged, since nothing printed makes their identity certain.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from ctoc_kg import iris
from ctoc_kg.extract import acts as clauses_
from ctoc_kg.extract.coverage import Coverage, measure
from ctoc_kg.extract.layout import LIST_RE, LayoutError, Line, Reader, Section
from ctoc_kg.extract.lexicon import Lexicon, all_lexicons
from ctoc_kg.extract.provenance import SourceText, Span
from ctoc_kg.symbols import is_symbol
from ctoc_kg.symbols import parse as parse_symbol
from ctoc_kg.vocab import CTOC, LANG, SCHEMA

UN_OFFICIAL_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
#: Between a lead and the body it names: a comma and an article at most ("…, the", "…, l'").
_SUBJECT_GAP = re.compile(r"[,\s]*(?:\w+['’ ])?")
COP = "cop"


@dataclass(frozen=True)
class Problem:
    """Something the text says that the lexicon cannot read: reported, not guessed."""

    file: str
    line: int
    what: str
    words: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.what}: {self.words!r}"


@dataclass(frozen=True)
class Report:
    """What the sentences being read report on: a decision or a resolution, and who acts."""

    kind: str  # "decision" or "resolution"
    num: str
    target: URIRef
    actor: URIRef


@dataclass
class Result:
    graph: Graph
    coverage: Coverage
    problems: list[Problem] = field(default_factory=list)


class AgendaExtractor:
    def __init__(self, source: SourceText, lex: Lexicon) -> None:
        self.src, self.lex = source, lex
        self.base = source.base
        self.c = CTOC
        self.g = Graph()
        self.lang = lex.language
        self.problems: list[Problem] = []
        self.bodies: dict[str, URIRef] = {}
        self.instruments: dict[str, URIRef] = {}
        self.decisions: dict[str, URIRef] = {}
        self.resolutions: dict[str, URIRef] = {}
        self.acts_per_target: dict[URIRef, int] = {}
        self._starts = [0] + [i + 1 for i, ch in enumerate(source.text) if ch == "\n"]

    # -- helpers --------------------------------------------------------------------
    def iri(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def add(self, s: URIRef, p: URIRef, o: object) -> None:
        self.g.add((s, p, o))  # type: ignore[arg-type]

    def lit(self, text: str, lang: str | None = None) -> Literal:
        return Literal(text, lang=lang or self.lang)

    def integer(self, n: int) -> Literal:
        return Literal(n, datatype=XSD.integer)

    def typed(self, iri: URIRef, cls: URIRef, label: str | Literal, *spans: Span) -> URIRef:
        self.add(iri, RDF.type, cls)
        self.add(iri, RDFS.label, label if isinstance(label, Literal) else self.lit(label))
        for s in spans:
            self.state(iri, s)
        return iri

    def state(self, iri: URIRef, span: Span) -> None:
        self.src.state(self.g, iri, span)

    def text(self, span: Span) -> str:
        return self.src.slice(span)

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset)

    def report(self, offset: int, what: str, words: str) -> None:
        self.problems.append(Problem(self.src.path.name, self.line_of(offset), what, words))

    # -- the whole document -----------------------------------------------------------
    def run(self) -> Result:
        self.lay = Reader(self.src.path, self.src.text, self.lex).read()
        self.masthead()
        self.meeting()
        self.agenda_document()
        self.agenda_list()
        self.sessions()
        self.annotations()
        self.annex()
        self.mentions()
        self.relations()
        self.src.emit(self.g)
        return Result(self.g, measure(self.src.text, self.src.spans()), self.problems)

    # -- bodies, places, instruments ------------------------------------------------------
    def body(self, key: str, *spans: Span) -> URIRef:
        b = self.lex.bodies[key]
        if key not in self.bodies:
            cls = self.c.Office if b.office else self.c.Body
            path = iris.office(b.path) if b.office else iris.body(b.path)
            self.bodies[key] = self.typed(self.iri(path), cls, self.lex.body_names[key][0])
            if b.series:
                self.add(self.bodies[key], SKOS.notation, Literal(b.series))
        for s in spans:
            self.state(self.bodies[key], s)
        return self.bodies[key]

    def chair(self, span: Span) -> URIRef:
        """The chair of the body that meets: an office, not the body."""
        label = self.lex.names["chair_label"].format(body=self.body_label)
        iri = self.typed(
            self.iri(iris.office(self.body_path + "/chair")), self.c.Office, label, span
        )
        self.add(iri, self.c.officeOf, self.group)
        return iri

    def place(self, span: Span) -> URIRef:
        name = self.text(span)
        key = next((k for k, ns in self.lex.names["places"].items() if name in ns), None)
        slug = key.replace("_", "-") if key else name.lower().replace(" ", "-")
        return self.typed(self.iri(iris.place(slug)), self.c.Place, name, span)

    def instrument(self, key: str) -> URIRef:
        if key in self.instruments:
            return self.instruments[key]
        inst = self.lex.instruments[key]
        iri = self.iri(iris.instrument(inst.path))
        self.add(iri, RDF.type, self.c[inst.cls])
        self.instruments[key] = iri
        # the label is the lexicon's first name whichever source is read, so that sources
        # printing different names agree; every other name printed is an alternative
        labelled = False
        for lex in all_lexicons():
            names = lex.instrument_names[key]
            for name in names:
                at = self.src.text.find(name)
                if at < 0:
                    continue
                prop = RDFS.label if name == names[0] else SKOS.altLabel
                self.add(iri, prop, Literal(name, lang=lex.language))
                self.state(iri, Span(at, at + len(name)))
                labelled |= lex.language == self.lang and name == names[0]
        if not labelled:
            self.add(iri, RDFS.label, self.lit(self.lex.instrument_names[key][0]))
        if inst.supplements:
            self.add(iri, self.c.supplements, self.instrument(inst.supplements))
        if inst.rules_of:
            self.add(iri, self.c.rulesOf, self.body(inst.rules_of))
        return iri

    def mentions(self) -> None:
        """Every name of a body or instrument the text prints states that resource."""
        for m in self.lex.mention_re.finditer(self.src.text):
            span = Span(m.start(), m.end())
            key = self.lex.body_key(m[0])
            if key is not None:
                self.body(key, span)
            elif (ikey := self.lex.instrument_key(m[0])) is not None:
                self.state(self.instrument(ikey), span)

    # -- masthead ----------------------------------------------------------------------
    def masthead(self) -> None:
        lay = self.lay
        self.cop = self.body(COP, lay.issuer.span)
        for name in self.lex.body_names[COP][1:]:
            if self.src.text.find(name) >= 0:
                self.add(self.cop, SKOS.altLabel, self.lit(name))

    # -- the meeting ---------------------------------------------------------------------
    def meeting(self) -> None:
        lay, lex = self.lay, self.lex
        assert lay.body_line and lay.dates and lay.place
        line = lay.body_line
        if lay.session is not None:
            self.body_path, key = lex.bodies[COP].path, COP
        elif lay.body_key is not None:
            key = lay.body_key
            self.body_path = lex.bodies[key].path
        else:
            series = parse_symbol(self.text(lay.symbol.span).strip()).series if lay.symbol else None
            sym = parse_symbol(self.text(lay.symbol.span).strip()) if lay.symbol else None
            if sym is None or not sym.bodies:
                raise LayoutError(
                    self.src.path, line.n, "the name of a body the lexicon knows", line.text
                )
            self.report(line.span.start, "body not in the lexicon (named by its symbol)", line.text)
            self.body_path, key = "/".join([series or "", *sym.bodies]), ""
        if key:
            self.group = self.body(key, line.span)
            self.body_label = lex.body_names[key][0]
        else:
            self.body_label = line.text.strip()
            self.group = self.typed(
                self.iri(iris.body(self.body_path)), self.c.Body, self.body_label, line.span
            )
            self.add(self.group, SKOS.notation, Literal(self.body_path))
        self.is_group = lay.session is None
        _, dates_span, self.start, self.end = lay.dates
        if lay.session is not None:
            path = iris.session(self.body_path, lay.session)
            mt = self.session(lay.session, line.span)
        else:
            path = iris.meeting(self.body_path, self.start.isoformat())
            mt = self.iri(path)
        self.meeting_path = path
        self.meeting_iri = self.typed(
            mt, self.c.Meeting, f"{line.text.strip()}, {self.text(dates_span)}", dates_span
        )
        self.state(mt, lay.dates[0].span)
        self.add(mt, self.c.meetingOf, self.group)
        self.add(mt, SCHEMA.location, self.place(lay.place))
        self.add(mt, SCHEMA.startDate, Literal(self.start, datatype=XSD.date))
        self.add(mt, SCHEMA.endDate, Literal(self.end, datatype=XSD.date))
        self.meeting_facts(mt)

    def meeting_facts(self, mt: URIRef) -> None:
        lex, t = self.lex, self.src.text
        for p in lex.pattern_lists["opening"]:
            if op := p.search(t):
                day = lex.date(op["day"], op["month"], op["year"])
                if not lex.weekday_is(day, op["weekday"]):
                    raise LayoutError(
                        self.src.path,
                        self.line_of(op.start()),
                        f"the weekday of {day} ({lex.weekdays[day.weekday()]})",
                        op[0],
                    )
                opening = dt.datetime.combine(day, lex.time(op))
                self.add(mt, self.c.openingTime, Literal(opening, datatype=XSD.dateTime))
                self.state(mt, Span(op.start(), op.end()))
                break
        if pl := lex.patterns["plenary"].search(t):
            self.add(mt, self.c.plenaryMeetingsPerDay, self.integer(lex.cardinals[pl["n"]]))
            self.state(mt, Span(pl.start(), pl.end()))
        if il := lex.patterns["interpretation"].search(t):
            count = lex.cardinals[il["n"]]
            self.add(mt, self.c.interpretationLanguageCount, self.integer(count))
            if count == len(UN_OFFICIAL_LANGUAGES):
                for code in UN_OFFICIAL_LANGUAGES:
                    self.add(mt, self.c.interpretationLanguage, LANG[code])
            self.state(mt, Span(il.start(), il.end()))

    def session(self, ordinal: int, span: Span) -> URIRef:
        iri = self.iri(iris.session(self.lex.bodies[COP].path, ordinal))
        word = self.lex.ordinal_word(ordinal)
        label = self.lex.names["session_label"].format(ordinal=word)
        self.typed(iri, self.c.Session, label, span)
        self.add(iri, self.c.ordinal, self.integer(ordinal))
        self.add(iri, self.c.meetingOf, self.cop)
        return iri

    def sessions(self) -> None:
        """Sessions of the Conference the text names, with what it says of them."""
        lex, t = self.lex, self.src.text
        for m in lex.patterns["session"].finditer(t):
            s = self.session(lex.ordinal(m["ordinal"]), Span(m.start(), m.end()))
            if m["year"]:
                self.add(s, self.c.year, Literal(m["year"], datatype=XSD.gYear))
        for m in lex.patterns["decision_adopted"].finditer(t):
            dates = lex.date_range(m["dates"])
            if dates is None:
                self.report(m.start("dates"), "dates not read", m["dates"])
                continue
            ordinal = lex.ordinal(m["ordinal"])
            if int(m["num"].split("/")[0]) != ordinal:
                self.report(m.start(), "decision number and session disagree", m[0])
                continue
            s = self.session(ordinal, Span(m.start("ordinal") - 4, m.end()))
            self.add(s, SCHEMA.location, self.place(Span(m.start("place"), m.end("place"))))
            self.add(s, SCHEMA.startDate, Literal(dates[0], datatype=XSD.date))
            self.add(s, SCHEMA.endDate, Literal(dates[1], datatype=XSD.date))
            dec = self.decision(m["num"], Span(m.start(), m.end("title") + 1))
            self.add(dec, DCTERMS.title, self.lit(m["title"]))
            self.add(dec, self.c.adoptedAt, s)

    # -- the agenda document ---------------------------------------------------------------
    def agenda_document(self) -> None:
        lay = self.lay
        assert lay.title and lay.distribution and lay.issued
        title = lay.title.text.rstrip().rstrip("*")
        title_span = Span(lay.title.span.start, lay.title.span.start + len(title))
        self.agenda_path = iris.agenda(self.meeting_path)
        a = self.agenda = self.typed(
            self.iri(self.agenda_path), self.c.AnnotatedAgenda, title, title_span
        )
        self.add(a, DCTERMS.title, self.lit(title))
        self.add(a, self.c.issuingBody, self.cop)
        self.state(a, lay.issuer.span)
        if lay.symbol is not None:
            self.symbol_of(a, lay.symbol.text.strip(), lay.symbol.span)
        line, kind = lay.distribution
        self.add(a, self.c.distribution, self.c[kind])
        self.state(a, line.span)
        line, issued = lay.issued
        self.add(a, DCTERMS.issued, Literal(issued, datatype=XSD.date))
        self.state(a, line.span)
        self.add(a, DCTERMS.language, LANG[self.lang])
        if lay.language_line is not None:
            self.state(a, lay.language_line.span)
        if lay.original is not None:
            _, span, code = lay.original
            self.add(a, self.c.originalLanguage, LANG[code])
            self.state(a, span)
        for note in lay.notes:
            at = Span(note.span.start + len(self.lex.headings["editorial_note"]), note.span.end)
            self.add(a, self.c.editorialNote, self.lit(self.text(at)))
            self.state(a, at)
        self.add(a, self.c.forMeeting, self.meeting_iri)
        self.add(a, self.c.hasSourceText, self.src.iri)
        for heading in (lay.list_heading, lay.annotations_heading):
            if heading is not None:
                self.state(a, heading.span)

    def symbol_of(self, doc: URIRef, symbol: str, span: Span) -> None:
        parsed = parse_symbol(symbol)
        self.add(doc, DCTERMS.identifier, Literal(symbol))
        sym = self.typed(
            self.iri(iris.symbol(symbol)), self.c.DocumentSymbol, Literal(symbol), span
        )
        self.add(doc, self.c.symbol, sym)
        self.add(sym, SKOS.notation, Literal(symbol))
        for name, value in parsed.parts().items():  # the table the gate checks them by
            if isinstance(value, int):
                self.add(sym, self.c[name], self.integer(value))
            elif value is not None:
                self.add(sym, self.c[name], Literal(value))

    # -- agenda list -------------------------------------------------------------------
    def agenda_list(self) -> None:
        self.items: dict[str, URIRef] = {}
        for it in self.lay.items:
            iri = self.iri(iris.item(self.agenda_path, it.slug))
            title = self.text(it.title)
            self.typed(iri, self.c.AgendaItem, f"{it.notation} {title}", it.line.span)
            self.add(iri, SKOS.notation, Literal(it.notation))
            self.add(iri, self.c.order, self.integer(it.order))
            self.add(iri, DCTERMS.title, self.lit(title))
            self.add(iri, self.c.agendaOf, self.agenda)
            self.add(self.agenda, self.c.hasAgendaItem, iri)
            if it.parent:
                self.add(iri, self.c.subItemOf, self.items[it.parent])
            self.items[it.slug] = iri

    # -- annotations -------------------------------------------------------------------
    def annotations(self) -> None:
        self.documents_listed = 0
        self.last_decision: str | None = None
        self.last_resolution: str | None = None
        for sec in self.lay.sections:
            item = self.items[sec.item]
            self.add(item, self.c.titleInAnnotations, self.lit(self.text(sec.title)))
            self.state(item, sec.heading.span)
            self.section_paragraphs(sec, item)
            if sec.documentation is not None:
                self.state(item, sec.documentation.span)
            for ln in sec.documents:
                self.listed_document(item, ln)

    def section_paragraphs(self, sec: Section, item: URIRef) -> None:
        context: Report | None = None
        skip_list = False
        for n, ln in enumerate(sec.paragraphs, start=1):
            par = self.typed(
                URIRef(f"{item}/annotation/{self.lang}/{n}"),
                self.c.AnnotationParagraph,
                f"{sec.item}, annotation {n}",
                ln.span,
            )
            self.add(par, self.c.order, self.integer(n))
            self.add(par, self.c.text, self.lit(ln.text))
            self.add(par, DCTERMS.isPartOf, item)
            self.add(item, self.c.hasAnnotationParagraph, par)
            before = (self.last_decision, self.last_resolution)
            self.citations(item, ln)
            if skip_list and LIST_RE.fullmatch(ln.text):
                continue
            skip_list = False
            # the text before the first lead goes on with the last paragraph's report
            # only where it opens as a continuation ("It also …", "Elle a …")
            if not ln.text.startswith(tuple(self.lex.acts["continuation"])):
                context = None
            leads = clauses_.leads(ln.text, self.lex)
            bounds = [0, *(lead.start for lead in leads), len(ln.text)]
            for k in range(len(bounds) - 1):
                if k > 0:
                    context = self.reporting(ln, leads[k - 1], before)
                if context is None or bounds[k] == bounds[k + 1]:
                    continue
                if self.clauses(context, sec, n, ln, bounds[k], bounds[k + 1]):
                    skip_list = True

    def clauses(self, context: Report, sec: Section, n: int, ln: Line, a: int, b: int) -> bool:
        """The acts of ``ln.text[a:b]``; True when a mandate's list follows (and is read)."""
        segment = ln.text[a:b]
        for u_at, words in clauses_.unknown_verbs(segment, self.lex):
            self.report(ln.span.start + a + u_at, "operative verb not in the lexicon", words)
        listed = False
        for cl in clauses_.clauses(segment, self.lex):
            cl = clauses_.Clause(cl.type, cl.verb, cl.start + a, cl.end + a, cl.colon)
            act = self.act(context, ln, cl)
            if cl.colon and cl.type == "Decided" and context.kind == "decision":
                listed = self.mandate(context.num, act, ln, sec.paragraphs[n:]) or listed
        return listed

    def reporting(
        self, ln: Line, lead: clauses_.Lead, before: tuple[str | None, str | None]
    ) -> Report | None:
        """What the sentences from ``lead`` report on ("the same decision": the one last
        named before the lead), or None, reported, where the text does not say."""
        pattern = self.lex.patterns[lead.kind]
        named = [m["num"] for m in pattern.finditer(ln.text, 0, lead.start)]
        last = named[-1] if named else before[lead.kind == "resolution"]
        num = lead.num or last
        if num is None:
            words = ln.text[lead.start : lead.end]
            self.report(ln.span.start + lead.start, f"the {lead.kind} is not named", words)
            return None
        if lead.kind == "decision":
            return Report("decision", num, self.decisions[num], self.cop)
        target = self.resolutions[num]
        actor = self.resolution_actor(ln, lead, target)
        return None if actor is None else Report("resolution", num, target, actor)

    def resolution_actor(self, ln: Line, lead: clauses_.Lead, res: URIRef) -> URIRef | None:
        """The body a resolution's report names right after its lead ("In its resolution
        64/293, the General Assembly …"): it adopted the resolution.  Any other words there
        are reported, and the report makes no acts."""
        for m in self.lex.mention_re.finditer(ln.text, lead.end, lead.end + 80):
            key = self.lex.body_key(m[0])
            if key is not None and _SUBJECT_GAP.fullmatch(ln.text, lead.end, m.start()):
                body = self.body(key, ln.sub(m))
                self.add(res, self.c.adoptedBy, body)
                return body
            break
        end = clauses_.SENTENCE_END.search(ln.text, lead.end)
        words = ln.text[lead.start : min(end.start() if end else len(ln.text), lead.end + 60)]
        self.report(ln.span.start + lead.start, "acting body not in the lexicon", words)
        return None

    def citations(self, item: URIRef, ln: Line) -> None:
        lex = self.lex
        for m in lex.patterns["decision"].finditer(ln.text):
            span = ln.sub(m)
            dec = self.decision(m["num"], span)
            self.add(item, self.c.cites, dec)
            self.last_decision = m["num"]
            on_agenda = ln.text.startswith(tuple(lex.raw["patterns"]["prepared_agenda"]))
            on_work = ln.text.startswith(tuple(lex.raw["patterns"]["prepared_work"]))
            p = lex.patterns["pursuant"].search(ln.text, max(0, m.start() - 40))
            if (on_agenda or on_work) and p and p["num"] == m["num"]:
                target = (
                    self.agenda
                    if on_agenda
                    else self.iri(self.agenda_path + "/organization-of-work")
                )
                self.add(target, self.c.preparedPursuantTo, dec)
                self.state(target, Span(ln.span.start, ln.span.start + p.end()))
        for m in lex.patterns["resolution"].finditer(ln.text):
            span = ln.sub(m)
            res = self.typed(
                self.iri(iris.resolution("A", m["num"])), self.c.Resolution, m[0], span
            )
            self.add(res, SKOS.notation, Literal(m["num"]))
            self.resolutions[m["num"]] = res
            self.last_resolution = m["num"]
            if m["body"]:
                self.add(res, self.c.adoptedBy, self.body("general_assembly", ln.sub(m, "body")))
            self.add(item, self.c.cites, res)

    def decision(self, num: str, span: Span) -> URIRef:
        session_no, number = (int(x) for x in num.split("/"))
        iri = self.iri(iris.decision(self.lex.bodies[COP].path, session_no, number))
        if num not in self.decisions:
            self.decisions[num] = self.typed(iri, self.c.Decision, Literal(num))
            self.add(iri, SKOS.notation, Literal(num))
            self.add(iri, self.c.adoptedBy, self.cop)
        self.state(iri, span)
        return iri

    # -- acts --------------------------------------------------------------------------
    def act(self, report: Report, ln: Line, cl: clauses_.Clause) -> URIRef:
        dec, num = report.target, report.num  # cited in this paragraph or an earlier one
        n = self.acts_per_target[dec] = self.acts_per_target.get(dec, 0) + 1
        span = Span(ln.span.start + cl.start, ln.span.start + cl.end)
        text = self.text(span)
        short = text if len(text) <= 60 else text[:60] + "…"
        label_key = "act_label" if report.kind == "decision" else "resolution_act_label"
        label = self.lex.names[label_key].format(num=num, n=n, text=short)
        iri = self.typed(URIRef(f"{dec}/act/{self.src.stem}/{n}"), self.c.DecisionAct, label, span)
        self.add(iri, self.c.actType, self.c[cl.type])
        self.add(iri, self.c.order, self.integer(n))
        self.add(iri, self.c.actingBody, report.actor)
        self.add(iri, self.c.text, self.lit(text))
        self.add(iri, DCTERMS.isPartOf, dec)
        self.add(iri, self.c.reportedIn, self.src.iri)
        self.add(dec, self.c.hasAct, iri)
        addressee: URIRef | None = None
        if cl.type in self.lex.addressed:
            words = clauses_.addressee_words(text, cl.verb, self.lex)
            key = self.lex.body_key(words)
            at = span.start + text.index(words, len(cl.verb))
            if key is None:
                self.report(at, "addressee not in the lexicon", words)
            else:
                stripped = self.lex.strip_article(words)
                off = at + words.index(stripped)
                addressee = self.body(key, Span(off, off + len(stripped)))
                self.add(iri, self.c.addressee, addressee)
        elif (addressee := self.chairs_duty(text, cl.verb, span)) is not None:
            self.add(iri, self.c.addressee, addressee)
        self.concerns(iri, span, addressee, report.actor)
        self.legal_basis(iri, span)
        if report.kind != "decision":  # a session named here is the resolution's body's own
            return iri
        if self.is_group and any(w in text for w in self.lex.acts["establishes"]):
            self.establishes(iri, dec, span)
        for m in self.lex.patterns["session"].finditer(text):
            self.add(
                iri,
                self.c.dueAt,
                self.iri(iris.session(self.lex.bodies[COP].path, self.lex.ordinal(m["ordinal"]))),
            )
        return iri

    def chairs_duty(self, text: str, verb: str, span: Span) -> URIRef | None:
        """The chair's office, where the act puts a duty on the chair of the group that meets
        ("décidé que le président du groupe de travail lui soumettrait un rapport", "decided
        that the chair of the working group would report"): the office is the addressee, not
        the group.  Only a chair named right after "que"/"that" is addressed."""
        if not self.is_group:
            return None
        after = text[len(verb) :]
        at = len(verb) + len(after) - len(after.lstrip())
        for that in self.lex.acts["that"]:
            if not text.startswith(that, at):
                continue
            named = text[at + len(that) :]
            words = self.lex.strip_article(named)
            start = span.start + at + len(that) + len(named) - len(words)
            for chair in self.lex.names["chair"]:
                if words.lower().startswith(chair):
                    return self.chair(Span(start, start + len(chair)))
        return None

    def concerns(self, act: URIRef, span: Span, addressee: URIRef | None, actor: URIRef) -> None:
        text = self.text(span)
        for m in self.lex.mention_re.finditer(text):
            at = Span(span.start + m.start(), span.start + m.end())
            key = self.lex.body_key(m[0])
            target = (
                self.body(key, at) if key else self.instrument(self.lex.instrument_key(m[0]) or "")
            )
            if key is None:
                self.state(target, at)
            if target not in (actor, addressee):
                self.add(act, self.c.concerns, target)
        low = text.lower()
        for words in self.lex.names["chair"]:
            if (pos := low.find(words)) >= 0 and self.is_group:
                chair = self.chair(Span(span.start + pos, span.start + pos + len(words)))
                if chair != addressee:
                    self.add(act, self.c.concerns, chair)
                low = low.replace(words, " " * len(words))
        for words in self.lex.names["group"]:
            if (pos := low.find(words)) >= 0 and self.is_group:
                self.state(self.group, Span(span.start + pos, span.start + pos + len(words)))
                self.add(act, self.c.concerns, self.group)

    def legal_basis(self, act: URIRef, span: Span) -> None:
        text = self.text(span)
        if not any(w in text for w in self.lex.acts["legal_basis_lead"]):
            return
        for rx in self.lex.provision_res:
            for m in rx.finditer(text):
                key = self.lex.instrument_by_ref(m["instrument"])
                if key is None:
                    continue
                inst = self.instrument(key)
                art_no, par_no = int(m["article"]), int(m["paragraph"])
                at = Span(span.start + m.start(), span.start + m.end())
                if m.start("article") > m.start("paragraph"):  # "paragraphe 3 de l'article 32 …"
                    word = text.rfind(" ", 0, m.start("article") - 1) + 1
                    art_at = Span(span.start + word, at.end)
                else:  # "article 32, paragraph 3, of …"
                    art_at = Span(at.start, span.start + m.end("article"))
                article = self.typed(
                    URIRef(iris.article(str(inst), art_no)),
                    self.c.Article,
                    self.text(art_at),
                    art_at,
                )
                self.add(article, self.c.articleNumber, self.integer(art_no))
                self.add(article, DCTERMS.isPartOf, inst)
                self.add(article, self.c.instrument, inst)
                para = self.typed(
                    URIRef(iris.article(str(inst), art_no, par_no)),
                    self.c.Paragraph,
                    self.text(at),
                    at,
                )
                self.add(para, self.c.articleNumber, self.integer(art_no))
                self.add(para, self.c.paragraphNumber, self.integer(par_no))
                self.add(para, DCTERMS.isPartOf, article)
                self.add(para, self.c.instrument, inst)
                self.add(act, self.c.legalBasis, para)

    def establishes(self, act: URIRef, dec: URIRef, span: Span) -> None:
        wg, text = self.group, self.text(span)
        self.add(act, self.c.establishes, wg)
        self.add(wg, self.c.establishedBy, dec)
        self.state(wg, span)
        traits = self.lex.traits
        for key, prop in (("interim", self.c.interim), ("open_ended", self.c.openEnded)):
            if traits[key] in text:
                self.add(wg, prop, Literal(True))
        if (pos := text.find(traits["chaired_by_member_of_bureau"])) >= 0:
            end = span.start + pos + len(traits["chaired_by_member_of_bureau"])
            bureau = self.body("bureau", Span(end - len(self.lex.body_names["bureau"][0]), end))
            self.add(wg, self.c.chairedByMemberOf, bureau)
        if (pos := text.find(traits["advises"])) >= 0:
            self.add(wg, self.c.advises, self.cop)
            self.add(wg, self.c.subsidiaryOf, self.cop)
            self.state(wg, Span(span.start + pos, span.start + pos + len(traits["advises"])))

    def mandate(self, num: str, act: URIRef, lead: Line, following: list[Line]) -> bool:
        lines = []
        for ln in following:
            if not LIST_RE.fullmatch(ln.text):
                break
            lines.append(ln)
        if not lines:
            return False
        dec = self.decisions[num]
        mandate = self.typed(
            URIRef(f"{dec}/mandate"), self.c.Mandate, f"{self.body_label} ({num})", lead.span
        )
        self.add(act, self.c.assignsMandate, mandate)
        self.add(mandate, self.c.mandatedBy, dec)
        self.add(mandate, self.c.mandatedBody, self.group)
        self.add(self.group, self.c.hasMandate, mandate)
        for order, ln in enumerate(lines, start=1):
            m = LIST_RE.fullmatch(ln.text)
            assert m
            mark = m["roman"] or m["letter"] or m["l2"]
            body = m["text"].rstrip(";.")
            text = Span(
                ln.span.start + m.start("text"), ln.span.start + m.start("text") + len(body)
            )
            f = self.typed(
                URIRef(f"{mandate}/function/{order}"), self.c.Function, f"{mark}) {body}", text
            )
            self.add(f, SKOS.notation, Literal(mark))
            self.add(f, self.c.order, self.integer(order))
            self.add(f, self.c.text, self.lit(body))
            self.add(f, DCTERMS.isPartOf, mandate)
            self.add(mandate, self.c.hasFunction, f)
        return True

    # -- documentation lists -------------------------------------------------------------
    def listed_document(self, item: URIRef, ln: Line) -> None:
        m = self.lex.patterns["listed_document"].fullmatch(ln.text)
        symbol = m["symbol"] if m else None
        if m and symbol and is_symbol(symbol):
            title, title_span = m["title"], ln.sub(m, "title")
            own = self.lay.symbol is not None and self.lay.symbol.text.strip() == symbol
            if own:
                doc = self.agenda
                self.state(doc, ln.span)
            else:
                doc = self.document(symbol, ln.sub(m, "symbol"))
        else:
            if m and symbol:
                self.report(ln.span.start, "not a document symbol", symbol)
            self.documents_listed += 1
            title, title_span = ln.text, ln.span
            doc = self.typed(
                URIRef(f"{self.src.iri}/document/{self.documents_listed}"),
                self.c.Document,
                title,
            )
        lang = self.lex.text_language(title, self.lang)
        if doc != self.agenda:
            self.add(doc, DCTERMS.title, Literal(title, lang=lang))
        self.state(doc, ln.span)
        self.add(item, DCTERMS.references, doc)
        self.authorship(doc, title, title_span)

    def authorship(self, doc: URIRef, title: str, span: Span) -> None:
        for rxs, prop in (
            (self.lex.creator_res, DCTERMS.creator),
            (self.lex.transmits_res, self.c.transmitsReportOf),
        ):
            for rx in rxs:
                if (m := rx.search(title)) and (key := self.lex.body_key(m["agent"])):
                    at = Span(span.start + m.start("agent"), span.start + m.end("agent"))
                    self.add(doc, prop, self.body(key, at))

    def document(self, symbol: str, span: Span) -> URIRef:
        parsed = parse_symbol(symbol)
        doc = self.typed(self.iri(iris.document(symbol)), self.c.Document, Literal(symbol), span)
        self.symbol_of(doc, symbol, span)
        base = parsed.base()
        if base is not None:
            kind, number = parsed.modifiers[-1]
            base_text = str(base)
            target = self.document(base_text, Span(span.start, span.start + len(base_text)))
            prop, nprop = {
                "Rev": (self.c.revisionOf, None),
                "Add": (self.c.addendumTo, self.c.addendumNumber),
                "Corr": (self.c.corrigendumTo, self.c.corrigendumNumber),
            }.get(kind, (self.c.modifies, None))
            self.add(doc, prop, target)
            if nprop is not None and number is not None:
                self.add(self.iri(iris.symbol(symbol)), nprop, self.integer(number))
        return doc

    # -- relations between bodies ----------------------------------------------------------
    def relations(self) -> None:
        for rel in self.lex.relations:
            for m in rel["re"].finditer(self.src.text):
                span = Span(m.start(), m.end())
                if "a" in rel["re"].groupindex:
                    a_key, b_key = self.lex.body_key(m["a"]), self.lex.body_key(m["b"])
                    if not a_key or not b_key:
                        continue
                    s = self.body(a_key, Span(m.start("a"), m.end("a")))
                    o = self.body(b_key, Span(m.start("b"), m.end("b")))
                else:
                    if rel["subject"] == "group" and not self.is_group:
                        continue
                    s = self.group if rel["subject"] == "group" else self.body(rel["subject"])
                    o = self.body(rel["object"])
                self.add(s, self.c[rel["property"]], o)
                self.state(s, span)

    # -- annex -----------------------------------------------------------------------------
    def annex(self) -> None:
        lay = self.lay
        if lay.work_title is None:
            return
        title = lay.work_title
        ow = self.typed(
            self.iri(self.agenda_path + "/organization-of-work"),
            self.c.OrganizationOfWork,
            title.text,
            title.span,
        )
        self.add(ow, DCTERMS.title, self.lit(title.text))
        self.add(self.agenda, self.c.hasOrganizationOfWork, ow)
        for ln in (lay.annex, lay.work_header):
            if ln is not None:
                self.state(ow, ln.span)
        marker = self.lex.headings["continued"]
        slot: URIRef | None = None
        slots = entries = 0
        for row in lay.rows:
            start, end = row.slot
            if row.new_slot:
                slots += 1
                entries = 0
                whole_day = row.time_span == row.day_span  # a day with a note, no times
                label = self.text(row.day_span)
                slot = self.typed(
                    self.iri(f"{self.meeting_path}/slot/{start:%Y-%m-%dT%H%M}"),
                    self.c.TimeSlot,
                    label if whole_day else f"{label}, {self.text(row.time_span)}",
                    row.day_span,
                    row.time_span,
                )
                self.add(slot, SCHEMA.startDate, Literal(start, datatype=XSD.dateTime))
                self.add(slot, SCHEMA.endDate, Literal(end, datatype=XSD.dateTime))
                self.add(slot, self.c.order, self.integer(slots))
                self.add(slot, SCHEMA.superEvent, self.meeting_iri)
                self.add(ow, self.c.hasTimeSlot, slot)
            assert slot is not None
            entries += 1
            desc = row.desc
            continued = self.text(desc).endswith(marker)
            if continued:
                desc = Span(desc.start, desc.end - len(marker))
            notation = self.text(row.item_span) if row.item_span else ""
            entry = self.typed(
                URIRef(f"{slot}/entry/{entries}"),
                self.c.ScheduleEntry,
                f"{notation} {self.text(desc)}".strip(),
                Span((row.item_span or row.desc).start, row.line.span.end),
            )
            self.add(entry, self.c.order, self.integer(entries))
            self.add(entry, self.c.description, self.lit(self.text(desc)))
            self.add(entry, self.c.continuation, Literal(continued))
            self.add(slot, self.c.hasEntry, entry)
            if row.item is not None:
                item = self.items[row.item]
                self.add(entry, self.c.item, item)
                self.add(slot, self.c.continues if continued else self.c.takesUp, item)


def extract(source: SourceText, lex: Lexicon) -> Result:
    """The graph of one provisional agenda and annotations, read with ``lex``."""
    return AgendaExtractor(source, lex).run()
