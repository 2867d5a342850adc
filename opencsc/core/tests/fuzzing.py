"""What the form fuzzer (test_fuzz_forms) is made of: the forms read from a page's HTML, and the values posted.

A page's forms are read the way a browser would submit them (lxml): each field's name and kind, and the
value the page itself would send (`baseline`), so that an example can keep most fields plausible and
make one or two of them hostile, and so reach the code behind the form's validation as well as the
validation itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import lxml.html
from hypothesis import strategies as st

HUGE = ["99999999999999999999999", "-99999999999999999999999", str(2**63), str(2**64), str(2**63 - 1),
        str(2**31), "-1", "0", "1e400", "NaN", "Infinity", "9" * 5000]
MISSING_IDS = ["999999999", str(2**63 - 1), str(2**63), "0", "-1", "abc", "1.5", " 1 "]
ODD_TEXT = [
    "\x00", "a\x00b", "x" * 10_000, "\u202eevil\u202c", "\u200f\u200e\u061c", "👩‍👩‍👧‍👦🏴󠁧󠁢󠁥󠁮󠁧󠁿",
    "e\u0301\u0301\u0301\u0301", "Z\u0351\u0352\u0353\u0354\u0355", "\ufeff", "\ud800", "a\udfffb",
    "<script>alert(1)</script>", "' OR 1=1 --", "%s%n{0}{{x}}", "\r\n\t ", " ", "\u00a0", "\u3000",
    "١٢", "٢٠٢٦", "Ⅻ", "𝟙𝟚",
]
TIMES = ["25:61", "24:00", "23:59", "99999999999999999999999", "10:99999999999999999999999",
         "99999999999999999999999:00", "-1:00", "1:-1", "10:15:30", ":", "10:", "٢:٣٠", "10.15", "１０:１５"]
# (day, month, year)
DATES = [("31", "2", "2026"), ("0", "0", "0"), ("1", "1", "99999"), ("29", "2", "2025"),
         ("99999999999999999999999", "1", "2026"), ("1", "99999999999999999999999", "2026"),
         ("1", "1", "99999999999999999999999"), ("-1", "-1", "-1"), ("1", "1", "0001"), ("31", "12", "9999"),
         ("1", "1", "1899"), ("1", "1", "٢٠٢٦"), ("x", "y", "zzzz"), ("", "", "2026"), ("1", "1", "2999")]
NASTY = HUGE + MISSING_IDS + ODD_TEXT + TIMES + [""]


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, select, checkbox, radio, hidden, file, number
    baseline: list[str]  # the values a browser would send untouched (empty list: nothing sent)
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    action: str
    multipart: bool
    fields: dict[str, Field]
    dates: list[str]  # prefixes of three-box dates (name_0, name_1, name_2)

    def __repr__(self):
        return f"<form to {self.action} with {', '.join(self.fields)}>"


PLAUSIBLE_TEXT = "Fuzz value"


def _plausible(name: str, kind: str, value: str, maxlength: str | None = None) -> str:
    """What a careful person would type in an empty box, so that the rest of the form can be valid."""
    if value.strip():
        return value
    typed = _typed(name, kind)
    return typed[: int(maxlength)] if maxlength and maxlength.isdigit() else typed


def _typed(name: str, kind: str) -> str:
    lowered = name.lower()
    if kind == "number":
        return "1"
    if "time" in lowered:
        return "10:15"
    if "email" in lowered:
        return "someone@example.org"
    if "phone" in lowered:
        return "020 7946 0000"
    if "postcode" in lowered:
        return "TW3 1ES"
    if "nhs" in lowered:
        return ""
    return PLAUSIBLE_TEXT


def _date_defaults(prefix: str) -> tuple[str, str, str]:
    return ("2", "3", "2026")


def forms_in(html: str, url: str) -> list[Form]:
    """The POST forms on the page that submit to `url` (no action, or an action with the same path)."""
    document = lxml.html.fromstring(html)
    path = urlsplit(url).path
    found = []
    for element in document.forms:
        if (element.get("method") or "get").lower() != "post":
            continue
        action = element.get("action") or ""
        if action and urlsplit(action).path != path:
            continue
        fields: dict[str, Field] = {}
        for control in element.inputs:
            name = control.get("name")
            if not name or name == "csrfmiddlewaretoken":
                continue
            tag = control.tag
            if tag == "select":
                options = [o.get("value", o.text_content() or "") for o in control.iter("option")]
                chosen = [o.get("value", o.text_content() or "") for o in control.iter("option")
                          if o.get("selected") is not None and o.get("value", o.text_content() or "")]
                real = [o for o in options if o]
                baseline = chosen or real[:1]
                fields[name] = Field(name, "select", baseline, options)
            elif tag == "textarea":
                fields[name] = Field(name, "textarea", [_plausible(name, "textarea", control.text or "",
                                                                      control.get("maxlength"))])
            else:
                kind = (control.get("type") or "text").lower()
                value = control.get("value") or ""
                if kind in ("submit", "button", "reset", "image"):
                    continue
                if kind in ("checkbox", "radio"):
                    existing = fields.get(name)
                    checked = control.get("checked") is not None
                    if existing is None:
                        existing = fields[name] = Field(name, kind, [], [])
                    existing.options.append(value or "on")
                    if checked:
                        existing.baseline.append(value or "on")
                    continue
                if kind == "file":
                    fields[name] = Field(name, "file", [])
                    continue
                if control.get("inputmode") == "numeric":
                    kind = "number"
                fields[name] = Field(name, kind, [_plausible(name, kind, value, control.get("maxlength"))
                                                  if kind != "hidden" else value])
        for f in fields.values():  # a radio or checkbox group with nothing chosen: a person would choose the first
            if (f.kind == "radio" or (f.kind == "checkbox" and len(f.options) > 1)) and not f.baseline and f.options:
                f.baseline = [f.options[0]]
        prefixes = sorted({n[:-2] for n in fields if n.endswith("_0")
                           and f"{n[:-2]}_1" in fields and f"{n[:-2]}_2" in fields})
        for prefix in prefixes:
            for i, part in enumerate(_date_defaults(prefix)):
                f = fields[f"{prefix}_{i}"]
                if not f.baseline or f.baseline == [PLAUSIBLE_TEXT] or f.baseline == ["1"]:
                    f.baseline = [part]
        multipart = (element.get("enctype") or "").lower() == "multipart/form-data"
        found.append(Form(action=path, multipart=multipart, fields=fields, dates=prefixes))
    return found


def _value(f: Field) -> st.SearchStrategy:
    hostile = [st.sampled_from(NASTY), st.text(max_size=12)]
    if f.kind == "select" and f.options:
        hostile.append(st.sampled_from(MISSING_IDS))
    if f.kind in ("checkbox", "radio", "select") and f.options:
        hostile.append(st.lists(st.sampled_from(f.options + NASTY[:6]), min_size=2, max_size=3))
    else:
        hostile.append(st.lists(st.sampled_from(NASTY), min_size=2, max_size=3))
    single = st.one_of(*hostile).map(lambda v: v if isinstance(v, list) else [v])
    return st.one_of(st.just(f.baseline), st.just(f.baseline), st.just(f.baseline), st.just([]), single)


def _hostile(f: Field) -> st.SearchStrategy:
    return _value(f).filter(lambda v: v != f.baseline and v != [])


@st.composite
def submissions(draw, form: Form):
    """A submission of the form. Half the time one field (or one three-box date) is hostile and the rest
    as the page has them, to reach the code behind a valid form; otherwise each field is left as it is,
    left out or made hostile, and each date sometimes replaced whole by an impossible one."""
    date_parts = {f"{p}_{i}" for p in form.dates for i in range(3)}
    plain = [n for n, f in form.fields.items() if f.kind != "file" and n not in date_parts]
    data: dict[str, list[str]] = {n: form.fields[n].baseline for n in plain}
    data.update({n: form.fields[n].baseline for n in date_parts})
    targets = plain + [f"date:{p}" for p in form.dates]
    if targets and draw(st.booleans()):
        for prefix in form.dates:  # a date left blank may be an optional one that would refuse the form
            if draw(st.booleans()):
                data.update({f"{prefix}_{i}": [] for i in range(3)})
        target = draw(st.sampled_from(targets))
        if target.startswith("date:"):
            day, month, year = draw(st.sampled_from(DATES))
            prefix = target[5:]
            data.update({f"{prefix}_0": [day], f"{prefix}_1": [month], f"{prefix}_2": [year]})
        else:
            data[target] = draw(_hostile(form.fields[target]))
        return {k: v for k, v in data.items() if v}
    for name in plain:
        data[name] = draw(_value(form.fields[name]))
    for prefix in form.dates:
        choice = draw(st.one_of(st.just(None), st.sampled_from(DATES), st.tuples(*[_value(
            form.fields[f"{prefix}_{i}"]) for i in range(3)])))
        for i in range(3):
            f = form.fields[f"{prefix}_{i}"]
            if choice is None:
                data[f.name] = f.baseline
            elif isinstance(choice[i], list):
                data[f.name] = choice[i]
            else:
                data[f.name] = [choice[i]]
    return {k: v for k, v in data.items() if v}


def encode(data: dict[str, list[str]]) -> bytes:
    """A urlencoded body as a browser (or an attacker) would send it: lone surrogates go as the bytes
    of their (invalid) UTF-8 encoding, which is as far as HTTP takes them."""
    pairs = [(k, v) for k, values in data.items() for v in values]
    return urlencode(pairs, encoding="utf-8", errors="surrogatepass").encode("ascii")


def multipart_safe(data: dict[str, list[str]]) -> dict[str, list[str]]:
    """For a multipart form the test client encodes the values itself: lone surrogates become U+FFFD."""
    def clean(value: str) -> str:
        return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in value)

    return {k: [clean(v) for v in values] for k, values in data.items()}


def view_callbacks() -> dict:
    """Each named URL's view function, without building its arguments."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: dict = {}

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace
                walk(p.url_patterns, f"{namespace}:{ns}" if namespace and ns else (ns or namespace))
            elif isinstance(p, URLPattern) and p.name:
                found[f"{namespace}:{p.name}" if namespace else p.name] = p.callback

    walk(get_resolver().url_patterns, None)
    return found


def accepts_post(view) -> bool:
    """False when the view says (require_http_methods and friends) that it takes no POST."""
    import inspect

    while view is not None:
        if view.__closure__:
            methods = inspect.getclosurevars(view).nonlocals.get("request_method_list")
            if methods is not None:
                return "POST" in methods
        view = getattr(view, "__wrapped__", None)
    return True
