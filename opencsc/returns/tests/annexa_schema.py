"""A small reader for the category codes in annex_a_schema.yml (no YAML library is installed).

It knows the file's shape: lists at 4 spaces, columns at 8 (with &anchors and *aliases), and
`-   code: ...` entries (quoted codes may run onto the next line, folded with a space).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

SCHEMA = Path("/work/shared/specs/annex_a_schema.yml")
_COLUMN = re.compile(r'^        ("?)(\S.*?)\1:\s*(?:([&*])(\S+))?\s*$')
_CODE = re.compile(r"^\s+-\s+code:\s*(.*)$")
_MERGE = re.compile(r"^\s+<<:\s*\*(\S+)\s*$")
_LIST = re.compile(r"^    (list_\d+):\s*$")


@cache
def category_codes() -> dict[tuple[str, str], frozenset[str]]:
    """{(list, column): codes} for every categorical column."""
    lines = SCHEMA.read_text(encoding="utf-8").splitlines()
    anchors: dict[str, list[str]] = {}
    out: dict[tuple[str, str], list[str]] = {}
    current_list = column = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if m := _LIST.match(line):
            current_list = m.group(1)
        elif m := _COLUMN.match(line):
            column = m.group(2)
            codes = out.setdefault((current_list, column), [])
            if m.group(3) == "&":
                anchors[m.group(4)] = codes
            elif m.group(3) == "*":
                codes.extend(anchors.get(m.group(4), []))
        elif m := _MERGE.match(line):
            out[(current_list, column)].extend(anchors.get(m.group(1), []))
        elif m := _CODE.match(line):
            code = m.group(1)
            if code[:1] in "'\"" and not (len(code) > 1 and code.endswith(code[0])):
                while not code.endswith(code[0]) or len(code) == 1:
                    i += 1
                    code += " " + lines[i].strip()
            if code[:1] in "'\"":
                code = code[1:-1].replace("''", "'")
            out[(current_list, column)].append(code)
        i += 1
    return {key: frozenset(codes) for key, codes in out.items() if codes}


def codes_for(column: str, list_name: str | None = None) -> frozenset[str]:
    found = [codes for (lst, col), codes in category_codes().items()
             if col == column and (list_name is None or lst == list_name)]
    assert found, f"No categorical column {column!r} in the schema"
    return frozenset().union(*found)
