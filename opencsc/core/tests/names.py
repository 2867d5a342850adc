"""Names for test factories: unique within a test, and safe to look for in a page.

Faker's names repeat, and some have apostrophes (O'Neill) that a page escapes, so a test that looks
for a generated name in the HTML failed now and then. These lists have no apostrophes, no name that
begins another (so "Ann Smith" is never found inside "Ann Smithson"), and one counter shared by every
factory gives each new person a first and last name pair that no other person made in the last 1,600
has, whichever factory made them.
"""

from __future__ import annotations

import itertools
from html import escape

FIRST_NAMES = (
    "Aarav", "Beatrix", "Cormac", "Delphine", "Eamon", "Felicity", "Gideon", "Harriet", "Ignatius", "Juniper",
    "Kasimir", "Leonora", "Malachy", "Niamh", "Octavia", "Peregrine", "Quentin", "Rosalind", "Saoirse", "Tobias",
    "Ulrika", "Valentin", "Wilhelmina", "Xanthe", "Yannick", "Zenobia", "Anselm", "Bronwen", "Caspian",
    "Dorothea", "Evander", "Florian", "Guinevere", "Horatio", "Isolde", "Jerome", "Kezia", "Lysander",
    "Marguerite", "Nathaniel",
)
LAST_NAMES = (
    "Abernethy", "Blackwood", "Cartwright", "Dunmore", "Ellingham", "Fairbanks", "Greenhalgh", "Holloway",
    "Inglewood", "Jessop", "Kingsley", "Lockhart", "Merriweather", "Northcott", "Oakenfold", "Pennington",
    "Quarrie", "Ravenscroft", "Southgate", "Thistlewood", "Underhill", "Vickery", "Whitlock", "Yardley",
    "Zouch", "Ashdown", "Brightwell", "Colquhoun", "Dimbleby", "Entwistle", "Fothergill", "Gillespie",
    "Hetherington", "Illingworth", "Jellicoe", "Kilbride", "Lovelock", "Mountjoy", "Nettleship", "Openshaw",
)
_counter = itertools.count()


def next_number() -> int:
    return next(_counter)


def first_name(number: int) -> str:
    return FIRST_NAMES[number % len(FIRST_NAMES)]


def last_name(number: int) -> str:
    return LAST_NAMES[(number // len(FIRST_NAMES) + number) % len(LAST_NAMES)]


def _text(response) -> str:
    return response.content.decode() if hasattr(response, "content") else str(response)


def assert_shows(response, *texts: str) -> None:
    """The page shows each text, as the page escapes it."""
    html = _text(response)
    for text in texts:
        assert escape(str(text)) in html, f"The page does not show {text!r}"


def assert_does_not_show(response, *texts: str) -> None:
    html = _text(response)
    for text in texts:
        assert escape(str(text)) not in html, f"The page shows {text!r}"
