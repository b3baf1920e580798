"""A deterministic corpus of agenda *texts*, for measuring the real pipeline at any size.

Copy ``k`` of the first agenda is the same working group's meeting on another
date (year, month, first day, with the weekdays the calendar gives) with its own
conference-room paper (``CTOC/COP/WG.4/<year>/CRP.<n>``); the documents of the
Conference's fourth session stay shared, so copies link into one another's
resources as real agendas do.  Every copy goes through extraction, validation
and the build like a contributed source.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "sources" / "ctoc-cop-wg4-2009-agenda.fr.txt"
MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
MONTHS_FR = MONTHS.split()
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
#: quads one copy adds to the dataset (the seed's graph, quotes and entailments included;
#: measured: 18,662 for one copy, 54,048 for three)
QUADS_PER_COPY = 17700


def meeting_date(k: int) -> dt.date:
    """The k-th copy's first meeting day: distinct for every k below 150 * 12 * 27."""
    year = 1950 + k % 150
    month = 1 + (k // 150) % 12
    day = 1 + (k // 1800) % 27
    return dt.date(year, month, day)


def agenda_text(k: int, seed: str) -> tuple[str, str]:
    """(file name, text) of copy ``k``."""
    d1 = meeting_date(k)
    d2 = d1 + dt.timedelta(days=1)
    month, year = MONTHS_FR[d1.month - 1], d1.year
    w1, w2 = WEEKDAYS[d1.weekday()], WEEKDAYS[d2.weekday()]
    text = (
        seed.replace("14 et 15 avril 2009", f"{d1.day} et {d2.day} {month} {year}")
        .replace("mardi 14 avril 2009", f"{w1} {d1.day} {month} {year}")
        .replace("Mardi 14 avril\t", f"{w1.capitalize()} {d1.day} {month}\t")
        .replace("Mercredi 15 avril\t", f"{w2.capitalize()} {d2.day} {month}\t")
        .replace("CTOC/COP/WG.4/2009/CRP.1", f"CTOC/COP/WG.4/{year}/CRP.{1 + k // 150}")
        .replace("2009", str(year))
    )
    return f"ctoc-cop-wg4-{d1.isoformat()}-agenda.fr.txt", text


def write_project(dest: Path, copies: int) -> Path:
    """A project folder (ontology, shapes, sources) holding ``copies`` generated agendas."""
    for name in ("ontology", "shapes"):
        shutil.copytree(ROOT / name, dest / name, dirs_exist_ok=True)
    sources = dest / "data" / "sources"
    sources.mkdir(parents=True, exist_ok=True)
    seed = SEED.read_bytes().decode("utf-8")
    for k in range(copies):
        name, text = agenda_text(k, seed)
        (sources / name).write_bytes(text.encode("utf-8"))
    return dest
