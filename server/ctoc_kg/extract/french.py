"""French words the UN's French documents print for numbers, dates and languages."""

from __future__ import annotations

import datetime as dt

MONTHS = {
    "janvier": 1,
    "février": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
}
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
ORDINALS = {
    "première": 1,
    "premier": 1,
    "deuxième": 2,
    "troisième": 3,
    "quatrième": 4,
    "cinquième": 5,
    "sixième": 6,
    "septième": 7,
    "huitième": 8,
    "neuvième": 9,
    "dixième": 10,
}
CARDINALS = {"une": 1, "un": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6}
#: Language names as the masthead prints them, to ISO 639-1 codes.
LANGUAGES = {
    "français": "fr",
    "anglais": "en",
    "espagnol": "es",
    "russe": "ru",
    "arabe": "ar",
    "chinois": "zh",
}
#: The six official languages of the United Nations, in the UN's (English) alphabetical order.
UN_OFFICIAL_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")


def date(day: str, month: str, year: str | int) -> dt.date:
    """``date("5", "mars", "2009")``; raises KeyError for an unknown month name."""
    return dt.date(int(year), MONTHS[month.lower()], int(day))


def check_weekday(day: dt.date, weekday: str) -> None:
    """Refuse a printed weekday that does not match the date (a misread date)."""
    if WEEKDAYS[day.weekday()] != weekday.lower():
        raise ValueError(f"{day} is a {WEEKDAYS[day.weekday()]}, the text says {weekday}")
