"""Pages in a real headless Chromium (Debian's ``chromium``), driven by Playwright."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from ctoc_kg.vocab import CTOC
from rdflib import Graph

from .conftest import BASE
from .live import LiveServer

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, request):  # type: ignore[no-untyped-def]
    locale = getattr(request, "param", "fr-FR")  # the agendas' language unless a test says
    context = browser.new_context(locale=locale)
    pg = context.new_page()
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))  # type: ignore[attr-defined]
    pg.on("dialog", lambda d: (pg.errors.append("dialog: " + d.message), d.dismiss()))  # type: ignore[attr-defined]
    yield pg
    context.close()


def without_yasgui(page) -> None:  # type: ignore[no-untyped-def]
    """The plain form, as a browser that cannot load YASGUI (or a server without it) has it."""
    page.route("**/static/yasgui/**", lambda route: route.abort())


def test_query_page_runs_a_query(page, server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    without_yasgui(page)
    page.goto(server.endpoint)
    assert page.locator("h1").inner_text() == "SPARQL endpoint"
    query = 'SELECT ?d WHERE { ?d <http://purl.org/dc/terms/identifier> "CTOC/COP/2008/CRP.8" }'
    page.fill("#query", query)
    page.select_option("#format", "json")
    with page.expect_navigation():
        page.click("#run")
    assert "document/CTOC/COP/2008/CRP.8" in page.content()
    assert not page.errors


def test_query_page_lists_the_competency_queries(page, server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.endpoint)
    summaries = page.locator("details summary").all_inner_texts()
    assert any("items of the agenda" in s for s in summaries)


def test_resource_page(page, server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "body/CTOC/COP/WG.4")
    assert page.locator("h1").inner_text() == "Groupe de travail sur la traite des personnes"
    assert "Texte source" in page.content()
    quotes = page.locator("blockquote.quote").all_inner_texts()
    assert any("pour la conseiller et l'aider" in q for q in quotes)
    assert page.locator("th", has_text="advises and assists").count() == 1
    assert page.locator('th[lang="fr"]', has_text="conseille et aide").count() == 1
    assert page.locator('th .other[lang="en"]', has_text="advises and assists").count() == 1
    page.screenshot(path=str(server.log.parent / "wg.png"), full_page=True)
    with page.expect_navigation():
        page.locator("td a", has_text="Conférence des Parties").first.click()
    assert page.url.endswith("/body/CTOC/COP")
    assert not page.errors


@pytest.mark.parametrize(
    ("page", "h1", "lang", "heading"),
    [
        ("en-GB", "Working Group on Trafficking in Persons", "en", "Source text"),
        ("fr-FR", "Groupe de travail sur la traite des personnes", "fr", "Texte source"),
    ],
    indirect=["page"],
)
def test_resource_page_in_the_reader_language(  # type: ignore[no-untyped-def]
    page, server: LiveServer, h1: str, lang: str, heading: str
) -> None:
    page.goto(server.url + "body/CTOC/COP/WG.4")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("h1").inner_text() == h1
    assert page.locator("h1").get_attribute("lang") == lang
    assert page.locator("h2", has_text=heading).count() == 1
    page.screenshot(path=str(server.log.parent / f"wg-{lang}.png"), full_page=True)
    other = "fr" if lang == "en" else "en"
    with page.expect_navigation():
        page.locator(f'#languages a[hreflang="{other}"]').click()
    assert page.locator("html").get_attribute("lang") == other
    assert page.locator("h1").get_attribute("lang") == other
    assert not page.errors


def test_quote_links_open_the_exact_text(page, server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "body/CTOC/COP/WG.4")
    quote = page.locator("blockquote.quote").first
    exact = quote.evaluate("q => q.firstChild.textContent.trim()")
    href = quote.locator("a.char").get_attribute("href")
    assert href and "#char=" in href
    start, end = (int(x) for x in href.split("#char=")[1].split(","))
    text = page.request.get(server.url.rstrip("/") + href.split("#")[0]).body().decode("utf-8")
    assert text[start:end].strip() == exact


def test_a_query_from_the_browser_gives_a_table(page, server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    without_yasgui(page)
    page.goto(server.endpoint)
    page.fill("#query", "SELECT ?n WHERE { ?i <http://www.w3.org/2004/02/skos/core#notation> ?n }")
    page.select_option("#format", "html")
    with page.expect_navigation():
        page.click("#run")
    assert page.locator("table.results th").all_inner_texts() == ["n"]
    assert page.locator("table.results tbody tr").count() > 5
    favicon = page.request.get(server.url + "favicon.ico")
    assert favicon.ok and favicon.headers["content-type"] == "image/vnd.microsoft.icon"
    assert not page.errors


def test_dates_are_for_humans(page, server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "body/CTOC/COP/session/4")
    text = page.locator("time").all_inner_texts()
    assert any("8 October 2008" in t and "8 octobre 2008" in t for t in text)


def test_switch_to_turtle(page, server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "document/CTOC/COP/2008/CRP.8")
    href = page.locator(".switch a", has_text="Turtle").get_attribute("href")
    assert href and href.endswith("CRP.8.ttl")
    resp = page.request.get(server.url.rstrip("/") + href)
    assert resp.ok and "dcterms:identifier" in resp.text()


def test_markup_in_data_is_text(page, server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "place/genève")
    main = page.locator("main")
    assert main.locator("b").count() == 0 and main.locator("script").count() == 0
    assert "<b>bold</b>" in main.inner_text()
    assert main.locator('a[href^="javascript:"]').count() == 0
    assert not page.errors


@pytest.mark.parametrize("page", ["en-GB"], indirect=True)
def test_home_page(page, server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url)
    page.click("text=Decisions")
    page.wait_for_url("**/browse/decisions")  # the click starts a navigation; wait for it
    assert page.url.endswith("/browse/decisions")
    assert page.locator("main li a").count() == 1


YASGUI = (
    Path(__file__).parent.parent
    / "server"
    / "ctoc_kg"
    / "web"
    / "static"
    / "yasgui"
    / "yasgui.min.js"
)


@pytest.mark.skipif(not YASGUI.is_file(), reason="YASGUI assets not installed (make yasgui)")
def test_yasgui_runs_a_query(page, server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.endpoint)
    page.wait_for_selector(".yasqe .CodeMirror", timeout=20000)
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr .dataTable, .yasr table", timeout=20000)
    assert "Questions d" in page.locator(".yasr").inner_text()
    page.screenshot(path=str(server.log.parent / "yasgui.png"), full_page=True)
    assert not page.errors


@pytest.mark.parametrize(("page", "lang"), [("en-GB", "en"), ("fr-FR", "fr")], indirect=["page"])
def test_a_decision_reads_its_acts_in_printed_order(  # type: ignore[no-untyped-def]
    page, server: LiveServer, data: Graph, lang: str
) -> None:
    (decision,) = set(data.subjects(CTOC.hasAct, None))
    acts = sorted(data.objects(decision, CTOC.hasAct), key=lambda a: int(data.value(a, CTOC.order)))  # type: ignore[arg-type]
    paths = ["/" + str(a)[len(BASE) :] for a in acts]
    page.goto(server.url + str(decision)[len(BASE) :])
    assert page.locator("html").get_attribute("lang") == lang
    row = page.locator('tr[data-property="ctoc:hasAct"]')
    assert row.locator("th").get_attribute("lang") == lang
    links = row.locator("td > ul > li > a")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == paths
    for i in range(links.count()):  # the acts' labels and texts are the agenda's French
        assert links.nth(i).get_attribute("lang") == "fr"
    assert all(
        t == "fr"
        for t in row.locator("td > ul > li > .body").evaluate_all("els => els.map(e => e.lang)")
    )
    for path in paths:  # once in sight; the entailed repetitions folded away
        assert page.locator(f'a[href="{path}"]:visible').count() == 1, path
    folded = row.locator('details.entailed[data-property="dcterms:hasPart"]')
    folded.locator("summary").click()
    assert folded.locator("li > a:visible").count() == len(paths)  # folded, not dropped
    page.screenshot(path=str(server.log.parent / f"decision-{lang}.png"), full_page=True)
    assert not page.errors
