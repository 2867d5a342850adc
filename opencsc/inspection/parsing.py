"""Turning the "What needs to improve" list pasted from a report into one area for improvement each.

Pure functions, no Django. A line starting with a bullet or a number starts a new area; when the
text has such markers, an unmarked line continues the area above (a line wrapped by the PDF, even
across a blank line). Without any markers, each non-blank line is one area. Report headings ("What
needs to improve...") and an introduction ending with a colon before the first marker are left out,
and the preview lists what was left out so nothing disappears unseen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_LENGTH = 2000

_MARKER = re.compile(
    r"""^\s*(?:
        [-*\u2022\u2023\u2043\u2219\u25aa\u25cf\u25e6\u00b7\u2013\u2014\uf0b7]\s*  # bullets and dashes
      | \(?\d{1,3}[.)]\s+                 # 1.  1)  (1)
      | \(?[a-z][)]\s+                    # a)  (a)
      | \((?:[ivx]{1,5})\)\s+             # (iv)
    )""",
    re.VERBOSE | re.IGNORECASE,
)
_HEADING = re.compile(
    r"^\s*(what needs to improve|areas? for (priority action|improvement|priority and immediate action))\b.*$",
    re.IGNORECASE,
)


@dataclass
class Parsed:
    items: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def parse_areas(text: str) -> Parsed:
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    bare = [bool(_MARKER.match(line)) and not _clean(_MARKER.sub("", line, count=1)) for line in lines]
    lines = ["" if is_bare else line for line, is_bare in zip(lines, bare, strict=True)]  # a marker alone
    marked = [bool(_MARKER.match(line)) for line in lines]
    out = Parsed()
    any_marker = any(marked)
    current: list[str] | None = None  # the lines of the area being read (with markers)
    for line, is_marked in zip(lines, marked, strict=True):
        clean = _clean(line)
        if not clean:
            continue
        if not is_marked and _HEADING.match(clean):
            out.left_out.append(clean)
            current = None
            continue
        if not any_marker:
            out.items.append(clean)
        elif is_marked:
            current = [_clean(_MARKER.sub("", line, count=1))]
            out.items.append(current[0])
        elif current is None and clean.endswith(":"):
            out.left_out.append(clean)  # "... the following areas of weakness:" introduces a list
        elif current is None:
            current = [clean]
            out.items.append(clean)
        else:
            current.append(clean)
            out.items[-1] = " ".join(current)
    return out


def too_long(items: list[str]) -> list[int]:
    """The (1-based) numbers of items longer than an area may be."""
    return [n for n, item in enumerate(items, start=1) if len(item) > MAX_LENGTH]
