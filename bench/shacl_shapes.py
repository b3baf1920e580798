"""Time of each SHACL shape on its own, against corpus size: which checks grow faster than the data.

Reads a built release's ``dataset.nq`` (the data graphs, entailments included, as the build
validates them; the statements graphs and the ontology are left out, as the build does), and
for the first ``n`` agendas of each size validates the data against one shape at a time
(with the shapes that use it, as ``tests/test_shapes.py`` isolates it) with the build's engine.

    python bench/shacl_shapes.py /path/to/build/current 6 18 56
    python bench/shacl_shapes.py /path/to/build/current 6 56 --shape SiblingOrderShape

Prints one row per shape: seconds at each size and the growth from the first size to the last
against the growth of the data.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import RDF

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "server"))

from ctoc_kg.build.load import load_ontology  # noqa: E402
from ctoc_kg.build.validate import load_shapes, shape_alone, validate  # noqa: E402
from ctoc_kg.config import Paths  # noqa: E402
from ctoc_kg.vocab import SH  # noqa: E402

BASE = "https://w3id.org/ctoc-kg/"


def data_graphs(release: Path) -> dict[str, list[ox.Triple]]:
    """The release's data graphs (not the statements graphs or the ontology), by name."""
    graphs: dict[str, list[ox.Triple]] = {}
    with (release / "dataset.nq").open("rb") as f:
        for q in ox.parse(f, ox.RdfFormat.N_QUADS):
            name = str(q.graph_name.value)  # type: ignore[union-attr]
            if name.endswith(".statements") or name.endswith("/ontology"):
                continue
            graphs.setdefault(name, []).append(ox.Triple(q.subject, q.predicate, q.object))
    return graphs


def store_of(graphs: dict[str, list[ox.Triple]], n: int) -> ox.Store:
    store = ox.Store()
    for name in sorted(graphs)[:n]:
        store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in graphs[name])
    return store


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("release", type=Path, help="a built release folder (with dataset.nq)")
    ap.add_argument("sizes", type=int, nargs="+", help="numbers of agendas to validate")
    ap.add_argument("--shape", action="append", help="only this shape (local name); repeatable")
    ap.add_argument("--shapes", type=Path, help="project folder of the shapes (default: repo)")
    ap.add_argument("--engine", default="turbo")
    args = ap.parse_args()
    root = args.shapes or HERE.parent
    shapes = load_shapes(Paths(root), BASE)
    ontology = load_ontology(Paths(root), BASE)
    names = sorted(s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef))
    if args.shape:
        names = [s for s in names if str(s).rsplit("/", 1)[1] in args.shape]
    graphs = data_graphs(args.release)
    times: dict[URIRef, list[float]] = {s: [] for s in names}
    sizes = []
    for n in args.sizes:
        store = store_of(graphs, n)
        sizes.append(len(store))
        for s in names:
            t = time.perf_counter()
            report = validate(store, shape_alone(shapes, s), ontology, engine=args.engine)
            times[s].append(time.perf_counter() - t)
            flag = "" if report.conforms else f"  ({len(report.violations)} violations)"
            print(
                f"{n:4d} agendas {len(store):8d} triples  {s.rsplit('/', 1)[1]:28s}"
                f" {times[s][-1]:8.2f} s{flag}",
                flush=True,
            )
    print()
    growth = sizes[-1] / sizes[0]
    header = " ".join(f"{n:>9d}" for n in sizes)
    print(f"{'shape':28s} {header}  growth (data x{growth:.1f})")
    for s in sorted(names, key=lambda s: -times[s][-1]):
        row = " ".join(f"{t:9.2f}" for t in times[s])
        g = times[s][-1] / max(times[s][0], 1e-3)
        print(f"{s.rsplit('/', 1)[1]:28s} {row}  x{g:.1f}")


if __name__ == "__main__":
    main()
