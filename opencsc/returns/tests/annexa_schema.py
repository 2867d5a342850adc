"""The category codes in annex_a_schema.yml, read by a small block-YAML reader (no YAML library is in uv.lock).

The reader follows the YAML rules for everything the schema uses, not the file's current layout:
block mappings and sequences at any indentation, `&anchors`, `*aliases` and `<<` merge keys, and
scalars in every block form: plain, single- and double-quoted (with escapes), each of them running
over several lines (folded: one line break is a space, an empty line a line break), and literal (`|`)
and folded (`>`) block scalars. Plain scalars stay text (YAML 1.2: `Yes` is the word, not a
boolean). Flow collections (`[...]`, `{...}`) are refused rather than misread. When PyYAML is
importable, test_annexa_values.py checks this reader against it over the whole schema.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from functools import cache
from pathlib import Path

from openpyxl import load_workbook

SCHEMA = Path("/work/shared/specs/annex_a_schema.yml")

_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r",
            "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0", "L": "\u2028",
            "P": "\u2029"}
_HEX = {"x": 2, "u": 4, "U": 8}
_WHITE = " \t"  # YAML's white space: a no-break space is text
_PROPERTY = re.compile(r"^([&!])(\S+)\s*")


class YamlError(ValueError):
    pass


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _blank(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _fold(lines: list[str]) -> str:
    """Flow folding: each line trimmed at the break, one break a space, each empty line a line break."""
    if len(lines) == 1:
        return lines[0]
    parts = [lines[0].rstrip(_WHITE), *(line.strip(_WHITE) for line in lines[1:-1]), lines[-1].lstrip(_WHITE)]
    out, pending_breaks = parts[0], 0
    for part in parts[1:]:
        if not part:
            pending_breaks += 1
            continue
        out += ("\n" * pending_breaks) if pending_breaks else " "
        out += part
        pending_breaks = 0
    return out + "\n" * pending_breaks if pending_breaks else out


def _double_quoted(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        code = text[i + 1]
        if code in _HEX:
            width = _HEX[code]
            out.append(chr(int(text[i + 2:i + 2 + width], 16)))
            i += 2 + width
        elif code in _ESCAPES:
            out.append(_ESCAPES[code])
            i += 2
        else:
            raise YamlError(f"Unknown escape \\{code}")
    return "".join(out)


def _key_end(text: str) -> int | None:
    """Where the `:` ending a mapping key is in `text` (None if the text is not `key: ...`)."""
    if text[:1] in "'\"":
        quote, i = text[0], 1
        while i < len(text):
            if text[i] == quote and quote == "'" and text[i + 1:i + 2] == "'":
                i += 2
                continue
            if text[i] == "\\" and quote == '"':
                i += 2
                continue
            if text[i] == quote:
                rest = text[i + 1:]
                stripped = rest.lstrip(" ")
                if stripped.startswith(":") and (len(stripped) == 1 or stripped[1] in " \t"):
                    return i + 1 + (len(rest) - len(stripped))
                return None
            i += 1
        return None
    match = re.search(r":(\s|$)", text)
    if match is None or re.search(r"\s#", text[:match.start()]):
        return None
    return match.start()


class _Reader:
    def __init__(self, text: str):
        if "\t" in text.replace("\\t", ""):
            raise YamlError("Tabs for indentation are not YAML")
        self.lines = text.splitlines()
        self.anchors: dict[str, object] = {}

    def _next(self, i: int) -> int:
        while i < len(self.lines) and _blank(self.lines[i]):
            i += 1
        return i

    def node(self, i: int, parent_indent: int, allow_seq_at_parent: bool = False):
        """The node starting at the first non-blank line from i, indented beyond parent_indent."""
        i = self._next(i)
        if i >= len(self.lines):
            return None, i
        line = self.lines[i]
        col = _indent(line)
        text = line[col:]
        is_seq = text == "-" or text.startswith("- ")
        if col <= parent_indent and not (allow_seq_at_parent and col == parent_indent and is_seq):
            return None, i
        if is_seq:
            return self.sequence(i, col)
        if text.startswith("*"):
            return self.anchors[text[1:].strip()], i + 1
        if _key_end(text) is not None:
            return self.mapping(i, col)
        return self.scalar(i, col, text, parent_indent)

    def sequence(self, i: int, col: int):
        items = []
        while (i := self._next(i)) < len(self.lines):
            line = self.lines[i]
            text = line[col:]
            if _indent(line) != col or not (text == "-" or text.startswith("- ")):
                break
            rest = text[1:]
            inner = col + 1 + (len(rest) - len(rest.lstrip(" ")))
            if not rest.strip():
                value, i = self.node(i + 1, col)
            else:  # the item's content starts on the dash's line: read it as if it began the line
                self.lines[i] = " " * inner + rest.lstrip(" ")
                value, i = self.node(i, col)
            items.append(value)
        return items, i

    def mapping(self, i: int, col: int):
        out: dict = {}
        while (i := self._next(i)) < len(self.lines):
            line = self.lines[i]
            if _indent(line) != col:
                if _indent(line) > col:
                    raise YamlError(f"Line {i + 1}: unexpected indentation")
                break
            text = line[col:]
            end = _key_end(text)
            if end is None:
                break
            key = self.inline_scalar(text[:end].strip(_WHITE))
            rest = text[end + 1:].strip(_WHITE)
            anchor = None
            while match := _PROPERTY.match(rest):
                if match.group(1) == "&":
                    anchor = match.group(2)
                rest = rest[match.end():]
            if rest.startswith("*"):
                value = self.anchors[rest[1:].strip()]
                i += 1
            elif rest and not rest.startswith("#"):
                value, i = self.scalar(i, col, rest, col, first_col=len(line) - len(rest))
            else:
                value, i = self.node(i + 1, col, allow_seq_at_parent=True)
            if anchor:
                self.anchors[anchor] = value
            if key == "<<":
                for source in value if isinstance(value, list) else [value]:
                    for k, v in source.items():
                        out.setdefault(k, v)
            else:
                out[key] = value
        return out, i

    def inline_scalar(self, text: str):
        return self.flow_scalar([text])

    def flow_scalar(self, lines: list[str]) -> str:
        first = lines[0].lstrip(_WHITE)
        if first[:1] in "[{":
            raise YamlError("Flow collections are not read")
        if first[:1] == "'":
            folded = _fold(lines).strip(_WHITE)
            if not folded.endswith("'") or len(folded) < 2:
                raise YamlError(f"Unclosed quote: {folded[:60]}")
            return folded[1:-1].replace("''", "'")
        if first[:1] == '"':
            folded = _fold(lines).strip(_WHITE)
            return _double_quoted(folded[1:-1])
        plain = [re.sub(r"\s+#.*$", "", line) for line in lines]
        return _fold(plain).strip(_WHITE)

    def scalar(self, i: int, col: int, text: str, parent_indent: int, first_col: int | None = None):
        """A scalar whose first text is `text` on line i; later lines belong to it while indented beyond
        parent_indent (or, for a quoted scalar, until its closing quote)."""
        head = text.strip(_WHITE)
        if head[:1] in "|>":
            return self.block_scalar(i, head, parent_indent)
        lines = [head]
        j = i + 1
        quote = head[:1] if head[:1] in "'\"" else None
        while j < len(self.lines):
            if quote and self._closed(lines, quote):
                break
            line = self.lines[j]
            if not line.strip():
                lines.append("")
            elif _indent(line) > parent_indent and (quote or not _blank(line)):
                lines.append(line)  # even one starting "- ": within a plain scalar it is text
            else:
                break
            j += 1
        while len(lines) > 1 and lines[-1] == "":
            lines.pop()
            j -= 1
        return self.flow_scalar(lines), j

    @staticmethod
    def _closed(lines: list[str], quote: str) -> bool:
        text = "\n".join(lines)
        body = text[1:].replace("''", "") if quote == "'" else re.sub(r"\\.", "", text[1:])
        return quote in body

    def block_scalar(self, i: int, head: str, parent_indent: int):
        style, chomp = head[0], ""
        for ch in head[1:].split("#")[0].strip():
            if ch in "+-":
                chomp = ch
        j, body = i + 1, []
        while j < len(self.lines) and (not self.lines[j].strip() or _indent(self.lines[j]) > parent_indent):
            body.append(self.lines[j])
            j += 1
        content = [line for line in body if line.strip()]
        width = min((_indent(line) for line in content), default=0)
        body = [line[width:] for line in body]
        while body and not body[-1].strip():
            body.pop()
        if style == "|":
            text = "\n".join(body)
        else:
            text, previous = "", None
            for line in body:
                if previous is None:
                    text = line
                elif not line:
                    text += "\n"
                elif previous == "" or line.startswith(" ") or previous.startswith(" "):
                    text += ("" if previous == "" else "\n") + line
                else:
                    text += " " + line
                previous = line
        return (text if chomp == "-" else text + "\n"), j


def load(text: str):
    reader = _Reader(text)
    value, i = reader.node(0, -1)
    if reader._next(i) < len(reader.lines):
        raise YamlError(f"Line {i + 1}: not read: {reader.lines[i]!r}")
    return value


@cache
def schema() -> dict:
    return load(SCHEMA.read_text(encoding="utf-8"))


@cache
def category_codes() -> dict[tuple[str, str], frozenset[str]]:
    """{(list, column): codes} for every categorical column."""
    out = {}
    for list_name, columns in schema()["column_map"].items():
        for column, spec in columns.items():
            if isinstance(spec, dict) and spec.get("category"):
                out[(list_name, column)] = frozenset(entry["code"] for entry in spec["category"])
    return out


def column_spec(list_name: str, column: str) -> dict:
    return schema()["column_map"][list_name][column]


def codes_for(column: str, list_name: str | None = None) -> frozenset[str]:
    found = [codes for (lst, col), codes in category_codes().items()
             if col == column and (list_name is None or lst == list_name)]
    assert found, f"No categorical column {column!r} in the schema"
    return frozenset().union(*found)


# --- A built workbook against the schema (the tests and ci/dfe_annexa_check.py) ------------------

# The placement's LA is recorded only for placements in the authority's area (out of it, only a postcode):
# those rows leave "LA of Placement" blank, although the schema wants a value.
NOT_RECORDED = {("list_8", "LA of Placement"): lambda row: row["Placement Location"] == "b) Out"}


def workbook_rows(content: bytes) -> dict[str, list[dict]]:
    """{list key: rows as {header: value}} of an Annex A workbook."""
    book = load_workbook(io.BytesIO(content))
    out = {}
    for sheet in book.worksheets:
        values = list(sheet.iter_rows(values_only=True))
        out[sheet.title.lower().replace(" ", "_")] = [dict(zip(values[0], row, strict=True)) for row in values[1:]]
    return out


def values_not_allowed(lists: dict[str, list[dict]]) -> list[tuple]:
    """(list, column, child, value) for each value the schema does not allow: not a code of its column,
    not a date in a date column, or blank where the schema wants a value."""
    wrong = []
    for key, rows in lists.items():
        for column in rows[0] if rows else ():
            spec = column_spec(key, column)
            allowed = category_codes().get((key, column))
            for row in rows:
                value = row[column]
                if value in (None, ""):
                    not_recorded = NOT_RECORDED.get((key, column), lambda row: False)(row)
                    if spec.get("canbeblank", "true") == "false" and not not_recorded:
                        wrong.append((key, column, row.get("Child Unique ID"), "blank"))
                elif allowed is not None and value not in allowed:
                    wrong.append((key, column, row.get("Child Unique ID"), value))
                elif "date" in spec and not isinstance(value, dt.datetime):
                    wrong.append((key, column, row.get("Child Unique ID"), value))
    return wrong


def dated_after(lists: dict[str, list[dict]], end: dt.date) -> list[tuple]:
    """(list, column, child, date) for each date after `end` (the date of birth aside: an unborn child's)."""
    late = []
    for key, rows in lists.items():
        for row in rows:
            for column, value in row.items():
                if column == "Date of Birth" or "date" not in column_spec(key, column) or value is None:
                    continue
                day = value.date() if isinstance(value, dt.datetime) else value
                if day > end:
                    late.append((key, column, row.get("Child Unique ID"), day))
    return late
