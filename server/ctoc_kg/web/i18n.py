"""The reader's language for pages: ``?lang=en|fr``, else ``Accept-Language``, else English.

Pages show labels, headings and property names in that language, with the other
language beside them where it differs; every label carries the ``lang`` of the
text shown.  Responses that depend on the header say ``Vary: Accept-Language``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, Response, g, request

#: The languages pages speak, the default first.
LANGUAGES = ("en", "fr")
NAMES = {"en": "English", "fr": "Français"}
MAX_ITEMS = 32


def from_accept_language(header: str | None) -> str | None:
    """The best of :data:`LANGUAGES` for an ``Accept-Language`` header (None if none fits)."""
    best: tuple[float, int] | None = None
    chosen = None
    for pos, item in enumerate((header or "").split(",")[:MAX_ITEMS]):
        tag, _, params = item.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        q = 1.0
        name, _, value = params.strip().partition("=")
        if name.strip() == "q":
            try:
                q = float(value)
            except ValueError:
                q = 0.0
        if primary in LANGUAGES and q > 0 and (best is None or (q, -pos) > best):
            best, chosen = (q, -pos), primary
    return chosen


def reader_language() -> str:
    """The language of the page being made (remembered for the request)."""
    if "ctoc_lang" not in g:
        asked = request.args.get("lang", "").strip().lower()
        if asked in LANGUAGES:
            g.ctoc_lang = asked
        else:
            g.ctoc_vary_language = True
            g.ctoc_lang = from_accept_language(request.headers.get("Accept-Language")) or "en"
    return str(g.ctoc_lang)


def pick(texts: dict[str, str], lang: str) -> tuple[str, str] | None:
    """(text, language) in ``lang``, else the other page language, else untagged, else any."""
    for want in (lang, *LANGUAGES, ""):
        if want in texts:
            return texts[want], want
    return next(iter(sorted(texts.items(), key=lambda kv: kv[0])), None)


def lang_url(code: str) -> str:
    """This page in language ``code``: the same path and parameters, ``lang`` replaced."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return request.path + "?" + urlencode([*args, ("lang", code)])


def init_app(app: Flask) -> None:
    @app.context_processor
    def language() -> dict[str, object]:
        lang = reader_language()
        return {
            "lang": lang,
            "languages": [(code, NAMES[code]) for code in LANGUAGES],
            "lang_url": lang_url,
            "tr": lambda en, fr: fr if lang == "fr" else en,
        }

    @app.after_request
    def vary_on_language(response: Response) -> Response:
        if g.get("ctoc_vary_language") and response.mimetype == "text/html":
            response.vary.add("Accept-Language")
        return response
