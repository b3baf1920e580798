"""The ``ctoc-kg`` command: extract, validate, build, query, serve."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ctoc_kg import __version__, settings
from ctoc_kg.config import DEFAULT_BASE_URI, normalise_base, paths

if TYPE_CHECKING:
    from ctoc_kg.build.release import Release

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


def cmd_extract(args: argparse.Namespace) -> int:
    from ctoc_kg.extract import Extracted, LayoutError, write_all

    def progress(e: Extracted) -> None:
        """One line per source as it is read (stderr, at once), then what it left unread."""
        cov, name = e.result.coverage, e.source.name
        say = sys.stderr
        print(
            f"{name}: {e.triples} triples, coverage {cov.share:.1%} ({cov.cited}/{cov.total})",
            file=say,
            flush=True,
        )
        for n, text in cov.unread:
            print(f"  {name}:{n}: nothing read from {text[:100]!r}", file=say)
        for p in e.result.problems:
            print(f"  {p}", file=say, flush=True)

    try:
        written = write_all(paths(), progress)
    except (LayoutError, OSError, UnicodeDecodeError) as exc:
        print(f"error: {exc}\nNo data file was written.", file=sys.stderr)
        return EXIT_UNREADABLE
    for e in written:
        print(f"wrote {e.out}")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from ctoc_kg.build.incontext import dataset_root, judge
    from ctoc_kg.build.load import ParseFailure, data_files
    from ctoc_kg.build.safety import UnsafeInput
    from ctoc_kg.config import Paths

    base = args.base_uri
    try:
        root = dataset_root(args.dataset)
        # no file named: every file of the dataset, judged together
        files = list(args.files) or data_files(Paths(root))
        judged = judge(files, root, base, engine=args.shacl)
    except (ParseFailure, UnsafeInput, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    if args.files:
        print(
            f"validating {len(files)} file(s) with {len(judged.context)} dataset file(s) "
            f"of {root} as context",
            file=sys.stderr,
        )
    report = judged.report
    out = {"text": report.text, "json": report.json, "turtle": report.turtle}[args.format]()
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return EXIT_OK if report.conforms else EXIT_INVALID


def cmd_build(args: argparse.Namespace) -> int:
    from ctoc_kg.build.load import ParseFailure
    from ctoc_kg.build.release import ValidationFailed, build
    from ctoc_kg.build.safety import UnsafeInput

    def progress(stage: str, seconds: float) -> None:
        print(f"  {stage}: {seconds:.1f} s", file=sys.stderr, flush=True)

    print(f"building for base {args.base_uri} …", file=sys.stderr, flush=True)
    try:
        release = build(paths(), args.base_uri, progress=progress)
    except (ParseFailure, UnsafeInput) as exc:
        print(f"error: {exc}\nThe served store was left as it was.", file=sys.stderr)
        return EXIT_UNREADABLE
    except ValidationFailed as exc:
        sys.stderr.write(exc.report.text())
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    m = release.manifest
    print(f"built release {release.version} ({m['quads']} quads) for base {release.base}")
    print(f"  store: {release.store}")
    return EXIT_OK


def cmd_load(args: argparse.Namespace) -> int:
    import os

    from ctoc_kg import iris
    from ctoc_kg.build.release import current
    from ctoc_kg.store.graph_store import GraphStore, LoadError, load_release

    release = current(paths()) if args.release is None else _release_at(args.release)
    if release is None:
        print("error: nothing built yet; run `ctoc-kg build`", file=sys.stderr)
        return EXIT_UNREADABLE
    store = GraphStore(
        args.graph_store or args.store,
        args.store,
        user=args.user,
        password=os.environ.get("CTOC_KG_STORE_PASSWORD"),
    )
    try:
        sizes = load_release(
            release.path,
            store,
            release.base + iris.graph(""),
            progress=(lambda g, n: print(f"  {g}: {n} triples")) if args.verbose else None,
        )
    except (LoadError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    print(
        f"loaded release {release.version}: {sum(sizes.values())} triples in "
        f"{len(sizes)} named graphs into {args.store}"
    )
    return EXIT_OK


def _release_at(path: Path) -> Release | None:
    import json

    from ctoc_kg.build.release import Release

    manifest = path / "manifest.json"
    if not manifest.is_file():
        return None
    return Release(path.resolve(), json.loads(manifest.read_text()))


def cmd_query(args: argparse.Namespace) -> int:
    from ctoc_kg.build.release import current
    from ctoc_kg.queries import read, run_text
    from ctoc_kg.store import QueryError

    release = current(paths())
    if release is None:
        print("error: nothing built yet; run `ctoc-kg build`", file=sys.stderr)
        return EXIT_UNREADABLE
    from ctoc_kg.store import open_store

    store = open_store(release.store)
    for f in args.files:
        try:
            text = read(Path(f)).with_base(release.base)
            out = run_text(store, text, args.format)
        except (OSError, ValueError, QueryError) as exc:
            print(f"error: {f}: {exc}", file=sys.stderr)
            return EXIT_INVALID
        if args.format == "table" and len(args.files) > 1:
            print(f"# {f}")
        sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from ctoc_kg.web.serve import ServeError, ServeOptions, run

    try:
        run(paths(), ServeOptions.from_args(args))
    except ServeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    return EXIT_OK  # not reached: run() replaces the process


def build_parser() -> argparse.ArgumentParser:
    """Every subcommand and option (the README's command table is checked against it)."""
    parser = argparse.ArgumentParser(prog="ctoc-kg", description=__doc__)
    parser.add_argument("--version", action="version", version=f"ctoc-kg {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def base_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--base-uri",
            type=normalise_base,
            default=DEFAULT_BASE_URI,
            help=f"base of every minted IRI (default {DEFAULT_BASE_URI})",
        )

    def shacl_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--shacl",
            choices=["pyshacl", "turbo"],
            default="turbo",
            help="SHACL engine: pyshacl-turbo, as the build (default), or pyshacl, the "
            "reference it is tested against",
        )

    p = sub.add_parser("extract", help="regenerate data/*.ttl from data/sources/")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser(
        "validate", help="validate RDF files in the context of the dataset (default: all of it)"
    )
    p.add_argument("files", nargs="*", type=Path, help="RDF files in any format rdflib reads")
    p.add_argument("--format", choices=["text", "json", "turtle"], default="text")
    p.add_argument(
        "--dataset",
        type=Path,
        help="the dataset the files join (a folder with ontology/, shapes/, data/); default: "
        "CTOC_KG_ROOT, else the current folder if it is one, else the dataset in the package",
    )
    shacl_arg(p)
    base_arg(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("build", help="build and validate the dataset into the store")
    base_arg(p)
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("load", help="load the built release into a SPARQL 1.1 store")
    p.add_argument("--store", required=True, help="the store's SPARQL query endpoint URL")
    p.add_argument(
        "--graph-store",
        help="its Graph Store Protocol endpoint (default: --store; Virtuoso: "
        "http://HOST:PORT/sparql-graph-crud-auth)",
    )
    p.add_argument(
        "--user", help="user for the Graph Store endpoint (password: CTOC_KG_STORE_PASSWORD)"
    )
    p.add_argument("--release", type=Path, help="release folder (default: build/current)")
    p.add_argument("-v", "--verbose", action="store_true", help="print each graph loaded")
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("query", help="run SPARQL query files against the built store")
    p.add_argument("files", nargs="+", help="SPARQL query files (.rq), run with BASE set")
    p.add_argument(
        "--format",
        choices=["table", "csv", "tsv", "json"],
        default="table",
        help="aligned columns for people (default), or a SPARQL results format",
    )
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("serve", help="serve the SPARQL endpoint and the linked data (gunicorn)")
    settings.add_arguments(p)
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
