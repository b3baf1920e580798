"""The store interface the rest of the project programs against."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping

from rdflib import Graph
from rdflib.term import Node


class QueryError(ValueError):
    """The query is malformed or cannot be run; the message says why and where."""


class QueryTimeout(QueryError):
    """The query ran past its time limit and was stopped."""


Row = dict[str, Node]


class Store(ABC):
    """A read-only SPARQL dataset.

    ``bindings`` bind variables to terms without pasting text into the query;
    the default graph is the union of the named graphs.
    """

    @abstractmethod
    def select(self, query: str, bindings: Mapping[str, Node] | None = None) -> list[Row]: ...

    @abstractmethod
    def ask(self, query: str, bindings: Mapping[str, Node] | None = None) -> bool: ...

    @abstractmethod
    def construct(self, query: str, bindings: Mapping[str, Node] | None = None) -> Graph: ...

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release files or connections."""
