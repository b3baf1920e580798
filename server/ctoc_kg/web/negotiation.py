"""HTTP content negotiation: a ``format`` parameter, else ``Accept`` with q-values.

Views call :func:`negotiate` (or :func:`requested` where "nothing fits" is not
an error); it reads the parameter and the header, marks the response as
varying on ``Accept`` (added by the hook :func:`init_app` registers) and
raises :class:`~ctoc_kg.web.errors.NotAcceptable` when no offer fits.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from flask import Flask, Response, g, request

from ctoc_kg.formats import Format, by_name
from ctoc_kg.web.errors import NotAcceptable

MAX_ACCEPT_ITEMS = 64


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    def matches(self, media_type: str) -> int:
        """Specificity of a match (3 exact, 2 type/*, 1 */*), 0 when none."""
        t, _, s = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 1
        if self.type == t and self.subtype == "*":
            return 2
        if self.type == t and self.subtype == s:
            return 3
        return 0


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse leniently: malformed items are skipped, never an error."""
    ranges: list[MediaRange] = []
    if not header:
        return ranges
    for item in header.split(",")[:MAX_ACCEPT_ITEMS]:
        parts = [p.strip() for p in item.split(";")]
        mt = parts[0].lower()
        if mt == "*":
            mt = "*/*"
        t, sep, s = mt.partition("/")
        if not sep or not t or not s or " " in mt:
            continue
        q = 1.0
        for param in parts[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0
                if not 0.0 <= q <= 1.0 or q != q:
                    q = 0.0
        ranges.append(MediaRange(t, s, q))
    return ranges


@functools.lru_cache(maxsize=512)
def choose(header: str | None, offers: tuple[Format, ...]) -> Format | None:
    """The best offer for ``header``; the first offer when there is no header; None if none fits.

    Clients send the same few headers over and over, so answers are remembered.
    """
    ranges = parse_accept(header)
    if not ranges:
        return offers[0] if offers else None
    best: tuple[float, int, int] | None = None
    chosen: Format | None = None
    for rank, offer in enumerate(offers):
        for media_type in offer.accepts:
            matches = [(r.matches(media_type), r.q) for r in ranges]
            matches = [m for m in matches if m[0]]
            if not matches:
                continue
            _, q = max(matches)  # the most specific range decides the quality
            # prefer the offer's own media type over its aliases at equal quality
            alias_penalty = 0 if media_type == offer.media_type else 1
            key = (q, -alias_penalty, -rank)
            if q > 0 and (best is None or key > best):
                best, chosen = key, offer
    return chosen


def requested(
    offers: tuple[Format, ...], param: str | None = None, implied: Format | None = None
) -> Format | None:
    """The offer named by the ``format`` parameter, else ``implied`` (the URL's extension),
    else the best for ``Accept``; None when nothing fits.

    ``param`` is the parameter's value where the view has it already (the Protocol's
    ``format``/``output`` from a form body); by default the URL's ``format``.
    """
    g.ctoc_vary_accept = True
    value = param if param is not None else request.args.get("format")
    fmt = by_name(value, offers) or implied or choose(request.headers.get("Accept"), offers)
    g.ctoc_format = fmt
    return fmt


def negotiate(offers: tuple[Format, ...], param: str | None = None) -> Format:
    """Like :func:`requested`, but 406 (listing the offers) when nothing fits."""
    fmt = requested(offers, param)
    if fmt is None:
        raise NotAcceptable(offers)
    return fmt


def init_app(app: Flask) -> None:
    @app.after_request
    def vary_on_accept(response: Response) -> Response:
        if g.get("ctoc_vary_accept"):
            response.vary.add("Accept")
        return response
