"""Reading a page's POST forms as a browser would send them: for the edit-form and form-token tests."""

from __future__ import annotations

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._option = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = {"method": a.get("method", "get").lower(), "action": a.get("action", ""),
                          "fields": [], "textareas": [], "texts": [], "choices": {}}
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        if tag == "input" and "name" in a:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if kind == "radio":
                    form["choices"].setdefault(a["name"], []).append(a.get("value", ""))
                if "checked" in a:
                    form["fields"].append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                form["fields"].append((a["name"], a.get("value", "")))
                form.setdefault("kinds", {})[a["name"]] = "number" if (
                    kind == "number" or a.get("inputmode") == "numeric") else kind
                if kind == "text" and not a["name"].rsplit("_", 1)[-1].isdigit():
                    form["texts"].append(a["name"])
        elif tag == "select" and "name" in a:
            self._select = {"name": a["name"], "value": None, "first": None}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if value and self._form is not None:
                self._form["choices"].setdefault(self._select["name"], []).append(value)
            if "selected" in a:
                self._select["value"] = value
        elif tag == "textarea" and "name" in a:
            self._textarea = [a["name"], ""]
        elif tag == "button" and a.get("name"):
            form.setdefault("buttons", []).append((a["name"], a.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            select = self._select
            value = select["value"] if select["value"] is not None else select["first"] or ""
            self._form["fields"].append((select["name"], value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, value = self._textarea
            self._form["fields"].append((name, value.removeprefix("\n")))
            self._form["textareas"].append(name)
            self._textarea = None


def post_forms(html: str) -> list[dict]:
    """Every POST form on the page: {"action", "fields": [(name, value)], "textareas", "texts", "buttons"}."""
    parser = _Forms()
    parser.feed(html)
    return [f for f in parser.forms if f["method"] == "post"]


def form_data(form: dict) -> dict:
    """What the browser sends for the form (a name given twice, e.g. checkboxes, becomes a list)."""
    data: dict = {}
    for name, value in form["fields"]:
        if name in data:
            data[name] = [*data[name], value] if isinstance(data[name], list) else [data[name], value]
        else:
            data[name] = value
    for name, value in form.get("buttons", [])[:1]:
        data.setdefault(name, value)
    return data


def filled(form: dict, today) -> dict:
    """The form's data with every empty field given a plausible value: the first choice of a radio or
    select, today in a date, a time, and a sentence in a text box (for forms that record a step)."""
    data = form_data(form)
    for name, values in form["choices"].items():
        if not data.get(name) and values:
            data[name] = values[0]
    parts = {"0": today.day, "1": today.month, "2": today.year}
    for name in list(data):
        if data[name] != "":
            continue
        stem, _, index = name.rpartition("_")
        if index in parts and stem and all(f"{stem}_{i}" in data for i in "012"):
            data[name] = str(parts[index])
        elif name.endswith("time"):
            data[name] = "09:30"
        elif name in form["textareas"]:
            data[name] = "Recorded by the test"
        elif form.get("kinds", {}).get(name) == "number":
            data[name] = "1"
        elif form.get("kinds", {}).get(name) == "email":
            data[name] = "someone@example.org"
        elif form.get("kinds", {}).get(name) == "text":
            data[name] = "Test"
    return data
