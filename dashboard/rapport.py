"""The session report (sessieverslag) of a learning session: a printable HTML page and its PDF. Pure: no
Streamlit; the dashboard gathers the parts (dashboard/verslag_grafieken.py) and hands them over as a
`Verslag`.

What a report holds (issue 15, "Session report"): a title page (the region, "Leersessie <date>", which
figures: the snapshot's name and peildatum or "actuele database" with its build date, the filters in words,
the small-number rule), then per chosen chart on a page of its own: its title, the chart as a PNG (made by
the dashboard's export pipeline from the same protected frames the page draws: nothing here computes or
shows a figure of its own), the notes on the five questions (`pipelines.store.VRAGEN`: the latest text,
author and time), the annotations in its period, and the reader's part of its definition
(docs/definitions.md: "Wat betekent het? / Hoe lees je het? / Valkuilen", not the technical part); an
appendix lists every annotation.

`verslag_html(verslag) -> str` is the HTML (one self-contained file: styles inline, images as data: URIs,
no script, no external resource). `html_naar_pdf(html) -> bytes` prints it to an A4 PDF with chromium's
print-to-PDF (Playwright's sync API driving the chromium `settings.chromium_path()` finds, as the browser
tests do), in a thread of its own: Playwright's sync API refuses to run in a thread with a running asyncio
loop (Streamlit's server thread), and a fresh thread never has one.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime

from markdown_it import MarkdownIt

from dashboard.format import MAANDEN, datum, datum_tijd
from pipelines import settings
from pipelines.store import SCOPES, SOORTEN, VRAGEN, Annotatie, Notitie, Snapshot


@dataclass(frozen=True)
class Definitie:
    """The reader's part of one definition: its heading and its text as Markdown."""

    kop: str
    tekst: str


@dataclass(frozen=True)
class GrafiekVerslag:
    """One chosen chart in the report. `png` is None when there is nothing to draw (every value is under
    k): the report says so instead of an image."""

    sleutel: str  # the chart key the notes are saved under (pipelines.store: `grafiek`)
    titel: str
    png: bytes | None
    notities: tuple[Notitie, ...] = ()  # latest version per question (store.list_notes)
    annotaties: tuple[Annotatie, ...] = ()  # those drawn on the chart (in its months, under its filters)
    tekens: tuple[str, ...] = ()  # their markers on the chart, one per annotation (or none)
    definitie: Definitie | None = None
    toelichting: str = ""  # a line under the title (filters the chart does not apply, hidden values)
    bekend: bool = True  # False: notes saved under a chart key the report cannot draw


@dataclass(frozen=True)
class Verslag:
    sessiedatum: date
    grafieken: tuple[GrafiekVerslag, ...]
    regio: str = ""
    momentopname: str | None = None  # the snapshot's name; None: the live database
    peildatum: date | None = None
    gebouwd_op: date | None = None  # the live database's build date (shown when no snapshot)
    filters: tuple[tuple[str, str], ...] = ()  # (label, value in words), as the downloads write them
    kleine_aantallen: str = ""
    annotaties: tuple[Annotatie, ...] = field(default=())  # every annotation, for the appendix
    gemaakt_op: datetime | None = None


def datum_lang(value: date) -> str:
    """date(2026, 12, 7) -> '7 december 2026'."""
    return f"{value.day} {MAANDEN[value.month - 1]} {value.year}"


def tijd(value: datetime) -> str:
    """A stored UTC time on the users' clock: '7 dec 2026 07:30' (format.datum_tijd)."""
    return datum_tijd(value)


def titel(verslag: Verslag) -> str:
    """'Leersessie 7 december 2026', after the region's name when it is set."""
    kern = f"Leersessie {datum_lang(verslag.sessiedatum)}"
    return f"{verslag.regio}: {kern}" if verslag.regio else kern


def bron(verslag: Verslag) -> str:
    """Which figures the report shows, in words."""
    if verslag.momentopname is not None:
        return f"Momentopname “{verslag.momentopname}”, peildatum {datum(verslag.peildatum)}"
    gebouwd = f", gebouwd op {datum(verslag.gebouwd_op)}" if verslag.gebouwd_op else ""
    return f"Actuele database{gebouwd}, peildatum {datum(verslag.peildatum)}"


def bron_kort(momentopname: Snapshot | None) -> str:
    """Which figures the dashboard shows, in a few words (the page's line above the report choice)."""
    if momentopname is None:
        return "de actuele database"
    return f"momentopname “{momentopname.naam}” (peildatum {datum(momentopname.peildatum)})"


# -- definitions ----------------------------------------------------------------------------------------

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
_ANCHOR = re.compile(r"\s*\{#[a-z0-9-]+\}")
_DETAILS = re.compile(r"<details>.*?</details>", re.S)
_LOCAL_LINK = re.compile(r"\[([^\]]+)\]\((?:#|/)[^)]*\)")  # links into the app: plain text on paper


def definitie(markdown: str, anker: str) -> Definitie | None:
    """The reader's part of the definition that declares `anker` (`{#anker}`, on a heading or inside its
    text) in the definitions catalogue `markdown`: the heading and its text up to the next heading of the
    same or a higher level, without the collapsed technical part (`<details>`), the anchors and links into
    the app. None when no heading section declares it."""
    lines = markdown.splitlines()
    marker = f"{{#{anker}}}"
    at = next((i for i, line in enumerate(lines) if marker in line), None)
    if at is None:
        return None
    start = next((i for i in range(at, -1, -1) if _HEADING.match(lines[i])), None)
    if start is None:
        return None
    match = _HEADING.match(lines[start])
    assert match is not None
    level = len(match.group(1))
    end = next(
        (
            i
            for i in range(start + 1, len(lines))
            if (m := _HEADING.match(lines[i])) and len(m.group(1)) <= level
        ),
        len(lines),
    )
    body = "\n".join(lines[start + 1 : end])
    body = _DETAILS.sub("", body)
    body = _ANCHOR.sub("", body)
    body = _LOCAL_LINK.sub(r"\1", body)
    return Definitie(kop=_ANCHOR.sub("", match.group(2)).strip(), tekst=body.strip())


_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")


def _markdown_html(text: str) -> str:
    """Markdown of the project's own docs as HTML (raw HTML in it is escaped, not passed through)."""
    rendered: str = _MARKDOWN.render(text)
    return rendered


# -- HTML -------------------------------------------------------------------------------------------------

CSS = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm; }
html { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; font-size: 10pt; color: #1a1a1a; }
body { margin: 0; }
h1 { font-size: 20pt; margin: 0 0 4mm 0; }
h2 { font-size: 14pt; margin: 0 0 3mm 0; break-after: avoid; }
h3 { font-size: 11pt; margin: 5mm 0 2mm 0; break-after: avoid; }
.regio { font-size: 12pt; color: #555; margin: 0 0 2mm 0; }
dl.kenmerken { display: grid; grid-template-columns: max-content 1fr; gap: 1mm 4mm; margin: 4mm 0; }
dl.kenmerken dt { font-weight: bold; }
dl.kenmerken dd { margin: 0; }
section.grafiek, section.bijlage { break-before: page; }
figure { margin: 0 0 3mm 0; break-inside: avoid; }
figure img { max-width: 100%; max-height: 125mm; display: block; }
.toelichting, .bij, .leeg { color: #555; font-size: 9pt; }
.leeg { font-style: italic; }
ol.vragen { padding-left: 5mm; margin: 0; }
ol.vragen li { margin: 0 0 2.5mm 0; break-inside: avoid; }
ol.vragen .vraag { font-weight: bold; }
.tekst { white-space: pre-wrap; margin: 0.5mm 0; }
ul.annotaties { padding-left: 5mm; margin: 0; }
ul.annotaties li { margin: 0 0 1.5mm 0; break-inside: avoid; }
.definitie { border-left: 2pt solid #bbb; padding-left: 3mm; }
.definitie p, .definitie ul { margin: 1mm 0 2mm 0; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 0.5pt solid #999; padding: 1pt 4pt; text-align: left; vertical-align: top; }
td.tekst { white-space: pre-wrap; }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _annotatie_geldt(a: Annotatie) -> str:
    if a.scope_soort is None:
        return "alle grafieken"
    return f"{SCOPES.get(a.scope_soort, a.scope_soort)} {a.scope_code}"


def _annotatie_item(a: Annotatie, teken: str = "") -> str:
    soort = SOORTEN.get(a.soort, a.soort)
    extra = "; grenzen SPC opnieuw berekend" if a.is_herberekening else ""
    uitleg = f'<div class="tekst">{_e(a.toelichting)}</div>' if a.toelichting else ""
    return (
        f"<li>{_e(teken + ' ') if teken else ''}<strong>{_e(datum(a.datum))}</strong>: {_e(a.titel)} "
        f'<span class="bij">({_e(soort)}; geldt voor {_e(_annotatie_geldt(a))}{extra})</span>{uitleg}</li>'
    )


def _vragen(notities: Sequence[Notitie]) -> str:
    per_vraag = {n.vraag: n for n in notities}
    items = []
    for nummer, vraag in VRAGEN.items():
        note = per_vraag.get(nummer)
        if note is None:
            antwoord = '<div class="leeg">Geen notitie.</div>'
        else:
            antwoord = (
                f'<div class="tekst">{_e(note.tekst)}</div>'
                f'<div class="bij">{_e(note.auteur)}, {_e(tijd(note.tijd))}</div>'
            )
        items.append(f'<li value="{nummer}"><div class="vraag">{_e(vraag)}</div>{antwoord}</li>')
    return f'<ol class="vragen">{"".join(items)}</ol>'


def _grafiek(nummer: int, g: GrafiekVerslag, k: int) -> str:
    parts = [f'<section class="grafiek" id="grafiek-{nummer}">', f"<h2>{nummer}. {_e(g.titel)}</h2>"]
    if g.toelichting:
        parts.append(f'<p class="toelichting">{_e(g.toelichting)}</p>')
    if g.png is None and not g.bekend:
        parts.append(
            '<p class="leeg">Deze grafiek kan het verslag (nog) niet tekenen; de notities erbij staan hieronder.</p>'
        )
    elif g.png is None:
        parts.append(
            f'<p class="leeg">Niets te tekenen: de waarden berusten op minder dan {k} personen en worden niet '
            "getoond.</p>"
        )
    else:
        src = "data:image/png;base64," + base64.b64encode(g.png).decode("ascii")
        parts.append(f'<figure><img src="{src}" alt="{_e(g.titel)}"></figure>')
    parts.append("<h3>De vijf vragen</h3>")
    parts.append(_vragen(g.notities))
    parts.append("<h3>Annotaties bij deze grafiek</h3>")
    if g.annotaties:
        tekens = g.tekens if len(g.tekens) == len(g.annotaties) else ("",) * len(g.annotaties)
        items = "".join(_annotatie_item(a, t) for a, t in zip(g.annotaties, tekens, strict=True))
        parts.append(f'<ul class="annotaties">{items}</ul>')
    else:
        parts.append('<p class="leeg">Geen annotaties in de maanden van deze grafiek.</p>')
    if g.definitie is not None:
        parts.append(f"<h3>Definitie: {_e(g.definitie.kop)}</h3>")
        parts.append(f'<div class="definitie">{_markdown_html(g.definitie.tekst)}</div>')
    parts.append("</section>")
    return "".join(parts)


def _bijlage(annotaties: Sequence[Annotatie]) -> str:
    head = '<section class="bijlage"><h2>Bijlage: alle annotaties</h2>'
    if not annotaties:
        return head + '<p class="leeg">Er zijn geen annotaties.</p></section>'
    rows = "".join(
        "<tr>"
        f"<td>{_e(datum(a.datum))}</td><td>{_e(a.titel)}</td><td>{_e(SOORTEN.get(a.soort, a.soort))}</td>"
        f"<td>{_e(_annotatie_geldt(a))}</td><td>{'ja' if a.is_herberekening else 'nee'}</td>"
        f'<td class="tekst">{_e(a.toelichting)}</td><td>{_e(a.aangemaakt_door)}</td>'
        "</tr>"
        for a in annotaties
    )
    return (
        head + "<table><thead><tr><th>Datum</th><th>Titel</th><th>Soort</th><th>Geldt voor</th>"
        "<th>Nieuwe SPC-grenzen</th><th>Toelichting</th><th>Door</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></section>"
    )


def verslag_html(verslag: Verslag, k: int | None = None) -> str:
    """The report as one self-contained, printable HTML document (A4, a page per chart)."""
    k = settings.small_number_threshold() if k is None else k
    kop = titel(verslag)
    kenmerken = [("Cijfers", bron(verslag)), *verslag.filters]
    if verslag.kleine_aantallen:
        kenmerken.append(("Kleine aantallen", verslag.kleine_aantallen))
    if verslag.gemaakt_op is not None:
        kenmerken.append(("Verslag gemaakt op", tijd(verslag.gemaakt_op)))
    dl = "".join(f"<dt>{_e(veld)}</dt><dd>{_e(waarde)}</dd>" for veld, waarde in kenmerken)
    inhoud = "".join(
        f'<li><a href="#grafiek-{i}">{_e(g.titel)}</a></li>' for i, g in enumerate(verslag.grafieken, 1)
    )
    titelblad = (
        '<header class="titelblad">'
        + (f'<p class="regio">{_e(verslag.regio)}</p>' if verslag.regio else "")
        + f"<h1>Leersessie {_e(datum_lang(verslag.sessiedatum))}</h1>"
        + f'<dl class="kenmerken">{dl}</dl>'
        + (
            f"<h2>Besproken grafieken</h2><ol>{inhoud}</ol>"
            if inhoud
            else '<p class="leeg">Er zijn geen grafieken gekozen.</p>'
        )
        + "</header>"
    )
    body = titelblad + "".join(_grafiek(i, g, k) for i, g in enumerate(verslag.grafieken, 1))
    body += _bijlage(verslag.annotaties)
    return (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
        f"<title>{_e(kop)}</title><style>{CSS}</style></head><body>{body}</body></html>"
    )


# -- PDF --------------------------------------------------------------------------------------------------

# chromium's switches for a headless run in a container (also the browser tests', tools/devserver.py)
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
PDF_TIMEOUT_S = 60


class PdfNietBeschikbaar(RuntimeError):
    """No PDF can be made here (no chromium, or Playwright missing); the message is Dutch."""


def pdf_beschikbaar() -> bool:
    """Whether `html_naar_pdf` can run: a chromium and the Playwright package."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return settings.chromium_path() is not None


GEEN_PDF = (
    "Een PDF maken kan hier niet: chromium ontbreekt op de server (installeer het met "
    "`bash scripts/setup.sh --browser`, of wijs het aan met KETENMONITOR_CHROMIUM). Download het verslag als "
    "HTML en druk het af vanuit de browser (Ctrl+P, Opslaan als PDF)."
)


def _print(html_text: Future[str], chromium: str, timeout_s: float) -> bytes:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=list(CHROMIUM_ARGS))
        try:
            # no script and no network: the document is self-contained (images are data: URIs)
            context = browser.new_context(java_script_enabled=False)
            context.route("**/*", lambda route: route.abort())
            page = context.new_page()
            page.set_content(html_text.result(timeout=timeout_s), wait_until="load", timeout=timeout_s * 1000)
            return page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        finally:
            browser.close()


def html_naar_pdf(
    html_text: str | Callable[[], str], *, chromium: str | None = None, timeout_s: float = PDF_TIMEOUT_S
) -> bytes:
    """`html_text` printed to an A4 PDF by chromium (`settings.chromium_path()` unless given). Given a
    function that makes the HTML, the browser starts while it runs (chromium's start is about a second).
    The browser runs in a thread of its own (Playwright's sync API cannot run where an asyncio loop is
    running). Raises PdfNietBeschikbaar without chromium or Playwright."""
    path = chromium or settings.chromium_path()
    if path is None:
        raise PdfNietBeschikbaar(GEEN_PDF)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        raise PdfNietBeschikbaar(GEEN_PDF) from exc
    html_future: Future[str] = Future()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="verslag-pdf") as pool:
        pdf_future = pool.submit(_print, html_future, path, timeout_s)
        try:
            html_future.set_result(html_text() if callable(html_text) else html_text)
        except BaseException as exc:
            html_future.set_exception(exc)
            raise
        return pdf_future.result(timeout=timeout_s * 2)
