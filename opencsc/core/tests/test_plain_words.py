"""Plain words on every page: no bare DfE or SSDA903 code, no number as a machine writes it.

Each demo login walks the pages of the shared synthetic authority from its home page, following the
links on each page (every kind of page a few times, each with different records), and every page is
read as a person would read it:

- a table cell or a summary-list value that is exactly a code of a DfE list ("C2", "U4", "CARPL") is
  a code shown without its label (show it with `code_label` or `code_and_label`, or the model's
  `get_FOO_display`);
- a number with more than 2 decimal places ("2.80000000000000 km") or a Python repr ("Decimal('2.8')")
  is a number nobody formatted (use the `number` or `km` filters).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve

from opencsc.accounts.models import User
from opencsc.codes import CODE_LISTS

pytestmark = [pytest.mark.django_db, pytest.mark.shared_authority]

LOGINS = ("sw.demo", "tm.demo", "sm.demo", "iro.demo", "mash.demo", "pa.demo", "edt.demo", "analyst.demo",
          "police.demo")
VISITS_PER_KIND = 3  # each kind of page (URL name), over all the logins, with different records
PAGES_PER_LOGIN = 150
START_PAGES = ("/care/",)  # besides each home page: the children in care, whose records have the most codes
NOT_PAGES = {"accounts:logout", "logout", "accounts:login", "login"}
NOT_HTML = re.compile(r"(export|download|\.csv|\.xlsx|\.pdf|\.json|/file/|/files/)", re.IGNORECASE)

# A code is "bare" when a cell shows exactly it and its list gives it a label. Codes that are numbers or
# single letters are left out: a cell of "4" or "M" is as likely a count or an initial as a code.
BARE_CODES: dict[str, str] = {}
for _name, _list in CODE_LISTS.items():
    for _code, _label in _list:
        if _label and _label != _code and len(_code) > 1 and not _code.isdigit():
            BARE_CODES.setdefault(_code, f"{_name}: {_label}")

MACHINE_NUMBER = re.compile(r"(?<![\w.])\d+\.\d{3,}(?![\w.])|Decimal\(")


class _Reader(HTMLParser):
    """The visible text of a page, the text of each table cell and summary-list value, and its links."""

    CELL_CLASSES = ("govuk-table__cell", "govuk-summary-list__value")

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.cells: list[str] = []
        self.text: list[str] = []
        self._skip = 0
        self._cell_depth: list[list[str]] = []
        self._stack: list[bool] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in ("td", "dd", "th"):
            classes = (attrs.get("class") or "").split()
            is_cell = any(c in classes for c in self.CELL_CLASSES)
            self._stack.append(is_cell)
            if is_cell:
                self._cell_depth.append([])

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        if tag in ("td", "dd", "th") and self._stack:
            if self._stack.pop() and self._cell_depth:
                self.cells.append(" ".join("".join(self._cell_depth.pop()).split()))

    def handle_data(self, data):
        if self._skip:
            return
        self.text.append(data)
        for parts in self._cell_depth:
            parts.append(data)


def _kind(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _walk(client, per_kind: Counter) -> list[tuple[str, _Reader]]:
    """The pages reachable from the home page: (url, what it says), each kind of page a few times."""
    seen_urls: set[str] = set()
    queue = ["/", *START_PAGES]
    pages = []
    landing = True  # every login's own home page is read, however many times home pages were read
    while queue and len(pages) < PAGES_PER_LOGIN:
        url = queue.pop(0)
        if url in seen_urls:
            continue
        seen_urls.add(url)
        kind = _kind(urlsplit(url).path)
        if kind is None or kind in NOT_PAGES or NOT_HTML.search(url):
            continue
        if per_kind[kind] >= VISITS_PER_KIND and not landing:
            continue
        response = client.get(url)
        if response.status_code in (301, 302) and response.get("Location", "").startswith("/"):
            queue.insert(0, response["Location"])  # a redirect is not a visit: go where it leads
            continue
        per_kind[kind] += 1
        landing = False
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        reader = _Reader()
        reader.feed(response.content.decode())
        pages.append((url, reader))
        for href in reader.links:
            if href.startswith("/") and not href.startswith("//") and "#" not in href.split("?")[0]:
                queue.append(href.split("#")[0])
    return pages


@pytest.fixture(scope="module")
def pages(authority, django_db_blocker):
    from django.test import Client

    out: dict[str, list[tuple[str, _Reader]]] = {}
    per_kind: Counter = Counter()
    with django_db_blocker.unblock():
        for username in LOGINS:
            user = User.objects.filter(username=username).first()
            if user is None:
                continue
            client = Client()
            client.force_login(user)
            out[username] = _walk(client, per_kind)
    return out


def test_the_walk_reaches_the_pages_of_every_area(pages):
    kinds = {_kind(urlsplit(url).path).split(":")[0] for visited in pages.values() for url, _ in visited}
    assert all(visited for visited in pages.values()), {u: len(v) for u, v in pages.items()}
    assert {"care", "frontdoor", "performance", "casework"} <= kinds, sorted(kinds)
    care_records = [reader for visited in pages.values() for url, reader in visited
                    if _kind(urlsplit(url).path) == "care:overview"]
    assert any("Episodes of care" in "".join(reader.text) for reader in care_records)


def test_no_table_cell_or_summary_value_is_a_bare_code(pages):
    found = defaultdict(set)
    for username, visited in pages.items():
        for url, reader in visited:
            for cell in reader.cells:
                if cell in BARE_CODES:
                    found[f"{cell} ({BARE_CODES[cell]})"].add(f"{url} as {username}")
    assert not found, "Codes shown without their labels:\n" + "\n".join(
        f"  {code}: {', '.join(sorted(where)[:4])}" for code, where in sorted(found.items()))


def test_no_number_is_shown_as_a_machine_writes_it(pages):
    found = defaultdict(set)
    for username, visited in pages.items():
        for url, reader in visited:
            text = " ".join("".join(reader.text).split())
            for match in MACHINE_NUMBER.finditer(text):
                context = text[max(0, match.start() - 40):match.end() + 20]
                found[context].add(f"{url} as {username}")
    assert not found, "Numbers nobody formatted:\n" + "\n".join(
        f"  …{context}…: {', '.join(sorted(where)[:3])}" for context, where in sorted(found.items()))
