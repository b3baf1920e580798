"""A corpus for the serving benchmark built without its SHACL stage, for sizes it cannot finish.

At 10^6 quads the build's validation once did not finish in 17 minutes (see the README's
Performance section), while serving needs only the release the build writes.  Every
generated copy is the seed agenda with other dates and numbers, and the same copies
validate at 10^5 (``build_bench.py``), so here the build runs with its validation
replaced by an empty, conforming report; everything else (parse, entailment, quotes,
dump, store) is the real build.  Build times from this script are not build results.

    PYTHONPATH=server python bench/unvalidated_corpus.py --size 6   # -> bench/.work/c56
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import build_bench
import corpus
from rdflib import Graph

HERE = Path(__file__).resolve().parent
#: a file in the project saying its release was not validated (serve_bench reports it)
MARK = "UNVALIDATED"


def build_unvalidated(project: Path) -> None:
    import os

    from ctoc_kg.build import release
    from ctoc_kg.build.validate import Report
    from ctoc_kg.config import DEFAULT_BASE_URI, Paths

    def conforming(*_args: object, **_kwargs: object) -> Report:
        return Report(conforms=True, violations=[], graph=Graph())

    release.validate = conforming  # type: ignore[assignment]
    os.environ["CTOC_KG_BUILD"] = str(project / "build")
    release.build(Paths(project), DEFAULT_BASE_URI)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, required=True, help="about 10^SIZE quads")
    ap.add_argument("--work", type=Path, default=HERE / ".work")
    args = ap.parse_args()
    copies = build_bench.copies_for(args.size)
    project = corpus.write_project(args.work.resolve() / f"c{copies}", copies)
    build_bench.extract_all(project)
    build_unvalidated(project)
    (project / MARK).write_text("built without the SHACL stage by unvalidated_corpus.py\n")
    print(project, file=sys.stderr)


if __name__ == "__main__":
    main()
