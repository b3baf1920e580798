"""What the views share: the store, labels, shapes, example queries, release metadata.

One :class:`Services` per application, reached with :func:`services`; heavy
things are loaded on first use and kept for the life of the worker (the
release they come from never changes under a running server).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from flask import current_app
from rdflib import Graph, URIRef
from werkzeug.http import http_date

from ctoc_kg import iris
from ctoc_kg.build.load import parse_file
from ctoc_kg.iris import ONTOLOGY_GRAPH, SAFE
from ctoc_kg.queries import CompetencyQuery, all_queries
from ctoc_kg.store import Store, open_store
from ctoc_kg.store.isolated import QueryProcesses
from ctoc_kg.vocab import PREFIXES
from ctoc_kg.web.admission import Admission
from ctoc_kg.web.entailed import AXIOMS, Hierarchy
from ctoc_kg.web.settings import Settings

LABEL_QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?term ?label ?g WHERE { GRAPH ?g { ?term rdfs:label|skos:prefLabel ?label } }
"""


@dataclass
class ReleaseInfo:
    """What the web layer needs of the release it serves: version and date, for validators."""

    version: str
    modified: dt.datetime
    manifest: dict[str, object]

    @functools.cached_property
    def last_modified(self) -> str:
        return http_date(self.modified)


class Services:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        #: the dataset's canonical base: IRIs are minted under it, whatever the host served
        self.base = settings.base_uri
        #: this server's own URL, onto which the base is mapped for links and dereferencing
        self.public = settings.public_url or settings.base_uri
        self._public_path = urlsplit(self.public).path or "/"
        self.prefixes = dict(PREFIXES)
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.settings.store, timeout=self.settings.query_timeout)
        return self._store

    @functools.cached_property
    def state_dir(self) -> Path:
        """Where the workers share slots and rate buckets (one folder per server)."""
        if self.settings.state_dir:
            return Path(self.settings.state_dir)
        import tempfile

        return Path(tempfile.mkdtemp(prefix="ctoc-kg-state-"))

    @functools.cached_property
    def admission(self) -> Admission:
        s = self.settings
        return Admission(self.state_dir, s.heavy_total, s.heavy_per_client)

    @functools.cached_property
    def query_runner(self) -> Store | QueryProcesses:
        """What runs /sparql queries: killable child processes when the server asks for them."""
        s = self.settings
        if s.query_processes > 0 and not s.store.startswith(("http://", "https://")):
            return QueryProcesses(
                Path(s.store),
                size=s.query_processes,
                timeout=s.query_timeout,
                max_memory=s.query_memory << 20,
                max_result_bytes=s.max_result_bytes,
                release=s.release_path,
                heavy_after=s.heavy_after,
            )
        return self.store

    @property
    def opened_store(self) -> Store | None:
        """The store if this worker opened it already (without opening it)."""
        return self._store

    @functools.cached_property
    def release(self) -> ReleaseInfo:
        path = self.settings.release_path
        if path is not None and (path / "manifest.json").is_file():
            manifest = json.loads((path / "manifest.json").read_text())
            mtime = (path / "manifest.json").stat().st_mtime
            modified = dt.datetime.fromtimestamp(int(mtime), tz=dt.UTC)
            return ReleaseInfo(str(manifest["version"]), modified, manifest)
        return ReleaseInfo("remote", dt.datetime.now(tz=dt.UTC).replace(microsecond=0), {})

    @property
    def ontology_graph(self) -> URIRef:
        """The named graph holding the ontology."""
        return URIRef(self.base + iris.graph(ONTOLOGY_GRAPH))

    @functools.cached_property
    def labels(self) -> dict[str, dict[str, str]]:
        """Labels of ontology terms by language, for naming properties and classes."""
        out: dict[str, dict[str, str]] = {}
        rows = self.store.select(LABEL_QUERY, {"g": self.ontology_graph})
        for row in rows:
            label = row["label"]
            lang = getattr(label, "language", None) or ""
            out.setdefault(str(row["term"]), {}).setdefault(lang, str(label))
        return out

    @functools.cached_property
    def hierarchy(self) -> Hierarchy:
        """The ontology's sub-property and sub-class closures, to fold entailed values."""
        return Hierarchy.of(self.store.construct(AXIOMS, {"g": self.ontology_graph}))

    @functools.cached_property
    def yasgui(self) -> bool:
        """Whether YASGUI's assets are installed (``make yasgui``)."""
        return (Path(__file__).parent / "static" / "yasgui" / "yasgui.min.js").is_file()

    @functools.cached_property
    def shapes(self) -> Graph:
        g = Graph()
        for f in sorted(Path(self.settings.shapes_dir).glob("*.ttl")):
            parse_file(f, self.base, g)
        return g

    @functools.cached_property
    def queries(self) -> list[CompetencyQuery]:
        return all_queries(Path(self.settings.queries_dir))

    def curie(self, iri: str) -> str:
        """``ctoc:AgendaItem`` for a known namespace, else the IRI."""
        best = ""
        for prefix, ns in self.prefixes.items():
            if iri.startswith(ns) and len(ns) > len(self.prefixes.get(best, "")):
                best = prefix
        if best:
            local = iri[len(self.prefixes[best]) :]
            if local and all(c.isalnum() or c in "_-." for c in local):
                return f"{best}:{local}"
        return iri

    def is_local(self, iri: str) -> bool:
        return iri.startswith(self.base)

    def local_path(self, iri: str) -> str:
        """The path on this server that dereferences ``iri`` (under the base)."""
        return self._public_path + quote(iri[len(self.base) :], safe=":/?#[]@!$&'()*+,;=%-._~")

    def url(self, path: str = "") -> str:
        """An absolute URL on this server, from configuration (never from the request)."""
        return self.public + path.lstrip("/")

    def public_url_of(self, iri: str) -> str:
        """Where this server answers for ``iri``: its own URL for IRIs under the base."""
        return self.public + iri[len(self.base) :] if self.is_local(iri) else iri

    def iri_for(self, path: str) -> URIRef:
        """The IRI a decoded request path names, quoted exactly as IRIs are minted."""
        return URIRef(self.base + quote(path.lstrip("/"), safe=SAFE))

    def iri_candidates(self, path: str) -> list[URIRef]:
        """The URI form first, then the IRI form (non-ASCII characters left as they are)."""
        uri = self.iri_for(path)
        raw = "".join(c if ord(c) > 127 else quote(c, safe=SAFE) for c in path.lstrip("/"))
        iri = URIRef(self.base + raw)
        return [uri] if iri == uri else [uri, iri]


def services() -> Services:
    return current_app.extensions["ctoc"]  # type: ignore[no-any-return]
