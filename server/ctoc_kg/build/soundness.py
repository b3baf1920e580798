"""Is the ontology sound?  A reasoner over ontology + data + the W3C vocabularies, and a DL check.

An alignment such as ``ctoc:statedIn rdfs:subPropertyOf prov:wasDerivedFrom`` looks
harmless until a reasoner reads it with PROV-O's own axioms: then a place is "derived
from" a quote and a decision is both a ``prov:Activity`` and a ``prov:Entity``, which
PROV-O declares disjoint.  This module finds such consequences:

* :func:`rl_problems` computes the OWL 2 RL closure (owlrl) and reports every
  inconsistency owlrl records, every member of ``owl:Nothing`` and every resource that
  ends up with a pair of types from :data:`ABSURD_PAIRS`;
* :func:`hermit_problems` asks a DL reasoner (HermiT, through owlready2, where Java is
  installed) whether the same graph is consistent;
* :func:`dl_problems` checks the OWL 2 DL rules of the RDF mapping that an alignment can
  break: every property of exactly one kind, sub-properties of their own kind, ranges
  of the right sort, declared classes, no RDFS reserved vocabulary used as a class.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, XSD

from ctoc_kg.vocab import CTOC, OA

#: Types no resource may have together: ``(kind, what it must never be)``.  Beyond PROV-O's
#: and ORG's own disjointness axioms (which the closure checks anyway), these name what the
#: review found absurd: a place, body, office or quote typed as a document, an activity or
#: an annotation it is not, a decision or its acts typed as activities, a post as its holder.
ABSURD_PAIRS: tuple[tuple[URIRef, URIRef], ...] = (
    *((CTOC.Place, t) for t in (PROV.Activity, PROV.Entity, PROV.Agent, CTOC.Document)),
    *((CTOC.Place, t) for t in (OA.Annotation, CTOC.Quote)),
    *((CTOC.Body, t) for t in (PROV.Activity, PROV.Entity, CTOC.Document, OA.Annotation)),
    *((CTOC.Office, t) for t in (PROV.Activity, PROV.Entity, PROV.Agent, CTOC.Document)),
    (CTOC.Office, OA.Annotation),
    *((CTOC.Quote, t) for t in (PROV.Activity, PROV.Agent, CTOC.Document, CTOC.Body)),
    *((CTOC.Decision, t) for t in (PROV.Activity, PROV.Agent)),
    *((CTOC.DecisionAct, t) for t in (PROV.Activity, PROV.Agent, PROV.Entity)),
    (CTOC.Mandate, PROV.Activity),
    (CTOC.Document, PROV.Activity),
    (CTOC.SourceText, PROV.Activity),
    (PROV.Activity, PROV.Entity),
)

_RDFS_RESERVED = {RDFS.Resource, RDFS.Class, RDF.Property, RDFS.Literal, RDFS.Datatype}
_KINDS = {
    OWL.ObjectProperty: "object",
    OWL.DatatypeProperty: "datatype",
    OWL.AnnotationProperty: "annotation",
}
_BUILTIN_ANNOTATIONS = {
    RDFS.label,
    RDFS.comment,
    RDFS.seeAlso,
    RDFS.isDefinedBy,
    OWL.versionInfo,
    OWL.deprecated,
    OWL.priorVersion,
    OWL.backwardCompatibleWith,
    OWL.incompatibleWith,
}
_STRUCTURAL = {
    RDF.type,
    RDF.first,
    RDF.rest,
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    RDFS.domain,
    RDFS.range,
    OWL.inverseOf,
    OWL.unionOf,
    OWL.members,
    OWL.disjointWith,
    OWL.equivalentClass,
    OWL.equivalentProperty,
    OWL.onProperty,
    OWL.someValuesFrom,
    OWL.allValuesFrom,
    OWL.hasValue,
    OWL.imports,
    OWL.propertyDisjointWith,
    OWL.intersectionOf,
    OWL.complementOf,
    OWL.oneOf,
    OWL.cardinality,
    OWL.minCardinality,
    OWL.maxCardinality,
    OWL.qualifiedCardinality,
    OWL.onClass,
    OWL.onDataRange,
    OWL.propertyChainAxiom,
    OWL.withRestrictions,
    OWL.onDatatype,
    OWL.sameAs,
}


def union(graphs: Iterable[Graph]) -> Graph:
    g = Graph()
    for part in graphs:
        for t in part:
            g.add(t)
    return g


def _name(g: Graph, term: object) -> str:
    if isinstance(term, URIRef):
        return g.namespace_manager.normalizeUri(term)
    return str(term)


def rl_problems(graph: Graph) -> list[str]:
    """Inconsistencies, ``owl:Nothing`` members and absurd type pairs in the OWL 2 RL closure."""
    import owlrl

    closed = union([graph])
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, rdfs_closure=False).expand(closed)
    problems = [
        f"inconsistent: {msg}"
        for node in closed.subjects(RDF.type, owlrl.Namespaces.ERRNS.ErrorMessage)
        for msg in closed.objects(node, owlrl.Namespaces.ERRNS.error)
    ]
    problems += [
        f"{_name(closed, s)} is a member of owl:Nothing"
        for s in closed.subjects(RDF.type, OWL.Nothing)
    ]
    for kind, never in ABSURD_PAIRS:
        for s in sorted(set(closed.subjects(RDF.type, kind)), key=str):
            if (s, RDF.type, never) in closed and not isinstance(s, BNode):
                problems.append(
                    f"{_name(closed, s)} is entailed to be both {_name(closed, kind)} "
                    f"and {_name(closed, never)}"
                )
    return sorted(problems)


def java_available() -> bool:
    return shutil.which("java") is not None


def hermit_problems(graph: Graph, timeout: float = 600) -> list[str]:
    """Consistency by HermiT (owlready2's bundled copy, run on the system's Java)."""
    import owlready2

    plain = Graph()
    for s, p, o in graph:
        if p == OWL.imports:
            continue  # everything is in ``graph`` already; nothing is fetched
        if isinstance(o, Literal) and o.datatype and o.datatype not in OWL2_DATATYPES:
            o = Literal(str(o))  # HermiT refuses datatypes outside the OWL 2 datatype map
        plain.add((s, p, o))
    with tempfile.TemporaryDirectory() as tmp:
        nt = Path(tmp) / "all.nt"
        plain.serialize(nt, format="nt", encoding="utf-8")
        world = owlready2.World()
        onto = world.get_ontology(nt.as_uri()).load()
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            return [f"HermiT: inconsistent ontology ({exc})"]
        except subprocess.CalledProcessError as exc:  # pragma: no cover - a broken Java
            return [f"HermiT failed: {exc}"]
        nothing = [str(c.iri) for c in world.inconsistent_classes()]
        return [f"HermiT: {iri} is unsatisfiable" for iri in sorted(nothing)]


def _kinds(g: Graph) -> dict[URIRef, set[str]]:
    kinds: dict[URIRef, set[str]] = {}
    for owl_kind, name in _KINDS.items():
        for p in g.subjects(RDF.type, owl_kind):
            if isinstance(p, URIRef):
                kinds.setdefault(p, set()).add(name)
    for p in _BUILTIN_ANNOTATIONS:
        kinds.setdefault(p, set()).add("annotation")
    return kinds


def _declared_kinds(ontology: Graph, imports: Iterable[Graph]) -> dict[URIRef, set[str]]:
    """Each property's kinds: the ontology's own declaration first, else its vocabulary's.

    The ontology does not ``owl:imports`` the vocabularies; where one puns a property
    (PROV-O declares ``prov:wasRevisionOf`` both an annotation and an object property, to
    annotate its own terms), the ontology's declaration says which of them it uses.
    """
    kinds: dict[URIRef, set[str]] = {}
    for g in imports:
        for p, ks in _kinds(g).items():
            kinds.setdefault(p, set()).update(ks)
    kinds.update(_kinds(ontology))
    return kinds


#: The OWL 2 datatype map (OWL 2 Structural Specification, section 4), plus rdfs:Literal.
OWL2_DATATYPES = {
    RDFS.Literal,
    RDF.PlainLiteral,
    RDF.XMLLiteral,
    RDF.langString,
    OWL.real,
    OWL.rational,
    *(
        XSD[name]
        for name in [
            "decimal",
            "integer",
            "nonNegativeInteger",
            "nonPositiveInteger",
            "positiveInteger",
            "negativeInteger",
            "long",
            "int",
            "short",
            "byte",
            "unsignedLong",
            "unsignedInt",
            "unsignedShort",
            "unsignedByte",
            "double",
            "float",
            "string",
            "normalizedString",
            "token",
            "language",
            "Name",
            "NCName",
            "NMTOKEN",
            "boolean",
            "hexBinary",
            "base64Binary",
            "anyURI",
            "dateTime",
            "dateTimeStamp",
        ]
    ),
}


def _is_datatype(term: object, g: Graph) -> bool:
    return (
        str(term).startswith(str(XSD))
        or term in (RDF.langString, RDF.PlainLiteral, RDFS.Literal)
        or (term, RDF.type, RDFS.Datatype) in g
    )


def dl_problems(ontology: Graph, imports: Iterable[Graph] = ()) -> list[str]:
    """OWL 2 DL rules an alignment can break, checked on ``ontology`` with the vocabularies it uses.

    ``imports`` are the external vocabularies' own files: their declarations count, and
    the rules are checked on the axioms of ``ontology`` only.
    """
    imports = list(imports)
    known = union([ontology, *imports])
    kinds = _declared_kinds(ontology, imports)
    classes = {c for c in known.subjects(RDF.type, OWL.Class)} | {OWL.Thing, OWL.Nothing}
    problems: list[str] = []
    n = lambda t: _name(known, t)  # noqa: E731

    mentioned = set(ontology.subjects()) | set(ontology.predicates()) | set(ontology.objects())
    for p, ks in sorted(kinds.items(), key=lambda kv: str(kv[0])):
        if len(ks) > 1 and p in mentioned:
            problems.append(f"{n(p)} is declared as more than one kind: {sorted(ks)}")

    used_props = {p for p in ontology.predicates() if p not in _STRUCTURAL}
    for prop in ontology.subjects(RDFS.subPropertyOf):
        used_props.add(prop)  # type: ignore[arg-type]
    used_props |= {o for o in ontology.objects(None, RDFS.subPropertyOf)}  # type: ignore[misc]
    for p in sorted(used_props, key=str):
        if not kinds.get(p):  # type: ignore[arg-type]
            problems.append(f"{n(p)} is used but not declared as an OWL property")

    for sub, sup in ontology.subject_objects(RDFS.subPropertyOf):
        ks, ksup = kinds.get(sub, set()), kinds.get(sup, set())  # type: ignore[arg-type]
        if ks and ksup and ks != ksup:
            problems.append(
                f"{n(sub)} ({'/'.join(sorted(ks))} property) is a sub-property of "
                f"{n(sup)} ({'/'.join(sorted(ksup))} property)"
            )

    for p, rng in ontology.subject_objects(RDFS.range):
        ks = kinds.get(p, set())  # type: ignore[arg-type]
        if "datatype" in ks and not _is_datatype(rng, known):
            problems.append(f"datatype property {n(p)} has range {n(rng)}, not a datatype")
        elif "datatype" in ks and rng not in OWL2_DATATYPES:
            problems.append(f"{n(p)} has range {n(rng)}, outside the OWL 2 datatype map")
        if "object" in ks and _is_datatype(rng, known):
            problems.append(f"object property {n(p)} has range {n(rng)}, a datatype")

    for p in ontology.subjects(OWL.inverseOf):
        for q in (p, ontology.value(p, OWL.inverseOf)):
            if "object" not in kinds.get(q, set()):  # type: ignore[arg-type]
                problems.append(f"owl:inverseOf relates {n(q)}, not an object property")

    class_positions = (RDFS.subClassOf, RDFS.domain, RDFS.range, OWL.disjointWith)
    used_classes: set[object] = set()
    for pos in class_positions:
        for s, o in ontology.subject_objects(pos):
            if pos is RDFS.subClassOf:
                used_classes.add(s)
            if pos is RDFS.range and kinds.get(s) == {"datatype"}:  # type: ignore[arg-type]
                continue
            used_classes.add(o)
    for lst in list(ontology.objects(None, OWL.unionOf)) + list(
        ontology.objects(None, OWL.members)
    ):
        used_classes.update(ontology.items(lst))  # type: ignore[arg-type]
    for c in sorted((c for c in used_classes if isinstance(c, URIRef)), key=str):
        if c in _RDFS_RESERVED:
            problems.append(f"{n(c)} is RDFS reserved vocabulary, not an OWL 2 DL class")
        elif c not in classes:
            problems.append(f"{n(c)} is used as a class but not declared owl:Class")

    for s, p, o in ontology:
        ks = kinds.get(p, set())  # type: ignore[arg-type]
        if ks == {"object"} and isinstance(o, Literal):
            problems.append(f"object property {n(p)} has a literal value on {n(s)}")
        if ks == {"datatype"} and not isinstance(o, Literal):
            problems.append(f"datatype property {n(p)} has a non-literal value on {n(s)}")
    return sorted(set(problems))


__all__ = [
    "ABSURD_PAIRS",
    "dl_problems",
    "hermit_problems",
    "java_available",
    "rl_problems",
    "union",
]
