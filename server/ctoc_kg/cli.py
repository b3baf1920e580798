"""The ``ctoc-kg`` command: extract, validate, build, query, serve."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rdflib import Graph

from ctoc_kg import __version__
from ctoc_kg.config import DEFAULT_BASE_URI, normalise_base, paths

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


def cmd_extract(args: argparse.Namespace) -> int:
    from ctoc_kg.extract import Extracted, LayoutError, write_all

    def progress(e: Extracted) -> None:
        cov, name = e.result.coverage, e.source.name
        print(f"{name}: {e.triples} triples, coverage {cov.share:.1%} ({cov.cited}/{cov.total})")
        for n, text in cov.unread:
            print(f"  {name}:{n}: nothing read from {text[:100]!r}")
        for p in e.result.problems:
            print(f"  {p}")

    try:
        written = write_all(paths(), progress)
    except (LayoutError, OSError, UnicodeDecodeError) as exc:
        print(f"error: {exc}\nNo data file was written.", file=sys.stderr)
        return EXIT_UNREADABLE
    for e in written:
        print(f"wrote {e.out}")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from ctoc_kg.build.entailment import materialise
    from ctoc_kg.build.load import ParseFailure, load, load_ontology, parse_file
    from ctoc_kg.build.safety import UnsafeInput
    from ctoc_kg.build.validate import load_shapes, origins_of, validate

    p, base = paths(), args.base_uri
    try:
        ontology = load_ontology(p, base)
        shapes = load_shapes(p, base)
        per_file: dict[Path, Graph] = {}
        if args.files:
            for f in args.files:
                per_file[f] = parse_file(f, base)
        else:
            loaded = load(p, base)
            for name, src in loaded.graphs.items():
                if src.parent != p.ontology:
                    per_file[src] = loaded.dataset.graph(name)  # type: ignore[arg-type]
    except (ParseFailure, UnsafeInput, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    union = Graph()
    for g in per_file.values():
        for t in g:
            union.add(t)
    materialise(union, ontology)
    report = validate(union, shapes, ontology, origins_of(per_file))
    out = {"text": report.text, "json": report.json, "turtle": report.turtle}[args.format]()
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return EXIT_OK if report.conforms else EXIT_INVALID


def cmd_build(args: argparse.Namespace) -> int:
    from ctoc_kg.build.load import ParseFailure
    from ctoc_kg.build.release import ValidationFailed, build
    from ctoc_kg.build.safety import UnsafeInput

    try:
        release = build(paths(), args.base_uri)
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


def cmd_query(args: argparse.Namespace) -> int:
    from ctoc_kg.build.release import current
    from ctoc_kg.queries import format_table, run_file

    release = current(paths())
    if release is None:
        print("error: nothing built yet; run `ctoc-kg build`", file=sys.stderr)
        return EXIT_UNREADABLE
    from ctoc_kg.store import open_store

    store = open_store(release.store)
    for f in args.files:
        print(f"# {f}")
        print(format_table(run_file(store, Path(f), release.base)))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from ctoc_kg.web.serve import ServeError, ServeOptions, run

    opts = ServeOptions(
        host=args.host,
        port=args.port,
        base_uri=args.base_uri,
        public_url=args.public_url,
        store=args.store,
        workers=args.workers,
        add_graphs=tuple(args.add_graph or ()),
        query_timeout=args.query_timeout,
        max_results=args.max_results,
        rate_limit=args.rate_limit,
        threads=args.threads,
        max_result_bytes=args.max_result_bytes,
        query_memory=args.query_memory << 20,
        max_queries=args.max_queries,
        max_queries_per_client=args.max_queries_per_client,
        forwarded_allow_ips=args.forwarded_allow_ips,
        heavy_after=args.heavy_after,
    )
    try:
        run(paths(), opts)
    except ServeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    return EXIT_OK  # not reached: run() replaces the process


def main(argv: list[str] | None = None) -> int:
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

    p = sub.add_parser("extract", help="regenerate data/*.ttl from data/sources/")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("validate", help="validate RDF files (default: the whole dataset)")
    p.add_argument("files", nargs="*", type=Path, help="RDF files in any format rdflib reads")
    p.add_argument("--format", choices=["text", "json", "turtle"], default="text")
    base_arg(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("build", help="build and validate the dataset into the store")
    base_arg(p)
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("query", help="run SPARQL query files against the built store")
    p.add_argument("files", nargs="+")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("serve", help="serve the SPARQL endpoint and the linked data (gunicorn)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=5000)
    p.add_argument(
        "--base-uri",
        type=normalise_base,
        default=None,
        help="canonical base of the dataset's IRIs (default: the built release's, "
        f"else {DEFAULT_BASE_URI})",
    )
    p.add_argument(
        "--public-url",
        type=normalise_base,
        default=None,
        help="this server's own URL, mapped onto the base for links and dereferencing "
        "(default: http://HOST:PORT/)",
    )
    p.add_argument("--store", default=None, help="store directory or SPARQL endpoint URL")
    p.add_argument("--workers", type=int, default=4)
    p.add_argument(
        "--add-graph",
        action="append",
        metavar="IRI=FILE",
        help="serve an extra RDF file as a named graph",
    )
    p.add_argument("--query-timeout", type=float, default=30.0, help="seconds (default 30)")
    p.add_argument("--max-results", type=int, default=10_000)
    p.add_argument(
        "--rate-limit",
        type=float,
        default=0.0,
        help="requests a second per client, answered 429 past it (0: off)",
    )
    p.add_argument("--threads", type=int, default=8, help="request threads per worker")
    p.add_argument(
        "--max-result-bytes",
        type=int,
        default=32 << 20,
        help="bytes of one /sparql answer; longer ones are cut and flagged (default 32 MiB)",
    )
    p.add_argument(
        "--query-memory",
        type=int,
        default=512,
        help="MiB one /sparql query may use; past it the query is stopped (503)",
    )
    p.add_argument(
        "--max-queries",
        type=int,
        default=4,
        help="heavy /sparql queries running at once in all; 429 past it (default 4)",
    )
    p.add_argument(
        "--max-queries-per-client",
        type=int,
        default=2,
        help="heavy /sparql queries one client address may run at once; 429 past it (default 2)",
    )
    p.add_argument(
        "--heavy-after",
        type=float,
        default=0.25,
        help="seconds after which a running /sparql query is heavy and needs a slot (default 0.25)",
    )
    p.add_argument(
        "--forwarded-allow-ips",
        default="",
        help="comma-separated proxy addresses whose X-Forwarded-* headers are trusted "
        "(default: none)",
    )
    p.set_defaults(func=cmd_serve)

    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
