"""Every page, for every role, through axe-core and a 320 px and 1,280 px reflow check.

The pages come from the permission matrix (`opencsc/core/tests/test_permission_matrix.py` and each app's
`tests/matrix.py`), so a page added later is swept without anyone editing this file. On the matrix's small
world, built once:

- every GET page is opened once, signed in as one role that may open it, and each distinct page template
  with its forms is scanned by axe (the same template rendering another record is not scanned again);
- every role's home page, My work and a child's record are scanned for every role (the service menu and
  the record's navigation differ by role);
- every form page's form is submitted empty once, and the page with its errors is scanned too;
- every page loaded is checked for horizontal scrolling at 320 px and at 1,280 px wide (WCAG 1.4.10
  reflow): the page itself must never scroll sideways. A wide data table may scroll inside its own
  labelled, focusable region (`<div class="opencsc-table-scroll" role="region" aria-label="…" tabindex="0">`).

axe runs with its default rules (WCAG A and AA and best practices), and any violation of any impact fails.
A failure lists the page, the rule, its impact and the element; an overflowing page is saved as
var/screenshots/overflow-<page>-<width>px.png.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import axe_playwright_python
from django.conf import settings
from django.forms import BaseForm, BaseFormSet
from django.test import Client
from django.test.signals import template_rendered
from django.urls import reverse

from opencsc.accounts.roles import Role
from opencsc.core.tests.matrix_support import PUBLIC
from opencsc.core.tests.test_permission_matrix import MATRIX, _build_world

from .helpers import CSP_VIOLATION, SCREENSHOTS, TIMEOUT_MS

# axe-core, served by the live server as a static file (settings.STATICFILES_DIRS, for this test only) and
# loaded with a script tag: the browser then compiles it once, not on every page (as page.evaluate would).
AXE_FOLDER = Path(axe_playwright_python.__file__).parent
AXE_URL = "axe-sweep/axe.min.js"
VIOLATIONS = ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, " \
             "targets: v.nodes.map(n => n.target.join(' '))})))"
# Every rule but colour contrast, over the whole page.
AXE_RUN = "() => axe.run(document, {resultTypes: ['violations'], rules: {'color-contrast': {enabled: false}}})" \
          + VIOLATIONS
# Colour contrast, the slowest rule by far, over the text whose styling the sweep has not checked yet. The
# CSP allows no inline styles, so a text's colours follow from its element and the classes on it and its
# ancestors (layout classes aside): the same chain on another page has the same contrast.
AXE_CONTRAST = """(seen) => {
  const known = new Set(seen), fresh = [], elements = [];
  const styling = c => !/^govuk-grid-|^govuk-!-(margin|padding|width)/.test(c);
  for (const el of document.body.querySelectorAll('*')) {
    if (![...el.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim())) continue;
    const chain = [];
    for (let node = el; node && node !== document.body; node = node.parentElement) {
      const classes = [...node.classList].filter(styling).sort();
      if (node === el || classes.length) chain.push([node.localName, ...classes].join('.'));
    }
    const key = chain.join(' < ');
    if (!known.has(key)) { known.add(key); fresh.push(key); elements.push(el); }
  }
  if (!elements.length) return [fresh, []];
  return axe.run({include: elements}, {resultTypes: ['violations'], runOnly: ['color-contrast']})
    VIOLATIONS.then(violations => [fresh, violations]);
}""".replace("VIOLATIONS", VIOLATIONS)
# The page's width and the window's; and the elements that stick out of a parent that does not, those not
# inside a scrolling region first.
OVERFLOW = """() => {
  const width = window.innerWidth, out = el => el.getBoundingClientRect().right > width + 1;
  const scrolls = el => { for (let n = el.parentElement; n && n !== document.body; n = n.parentElement)
    { if (getComputedStyle(n).overflowX !== 'visible') return true; } return false; };
  const culprits = [...document.body.querySelectorAll('*')].filter(el => out(el) && !out(el.parentElement))
    .sort((a, b) => scrolls(a) - scrolls(b)).slice(0, 3)
    .map(el => el.localName + (el.id ? '#' + el.id : '') + [...el.classList].map(c => '.' + c).join(''));
  return [document.documentElement.scrollWidth, width, culprits];
}"""
WIDTHS = (1280, 320)
HEIGHT = 800
# The role that opens a page open to several: the one whose pages carry the most (a worker's record).
ROLE_ORDER = [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SENIOR_PRACTITIONER, Role.SERVICE_MANAGER,
              Role.MASH_PRACTITIONER, Role.IRO, Role.PERSONAL_ADVISER, Role.EDT_WORKER,
              Role.PERFORMANCE_ANALYST, Role.AUDITOR, Role.ADMINISTRATOR, Role.PARTNER]
# Pages every role gets its own scan of: the menu and the record's navigation differ by role.
EVERY_ROLE = ("core:home", "timescales:my_work", "casework:child_record")
# The CSRF token of the page's own form (one that posts to the page itself; elements named "method" or
# "action" hide the form's own properties), or null when it has none.
OWN_FORM_TOKEN = """() => {
  const form = [...document.querySelectorAll('main form')].find(f =>
    (f.getAttribute('method') || '').toLowerCase() === 'post'
    && new URL(f.getAttribute('action') || '', location.href).pathname === location.pathname);
  return form ? (form.querySelector('[name=csrfmiddlewaretoken]') || {}).value || '' : null;
}"""
# Post an empty form (its CSRF token only) to a form page, from whatever page is open: no page load first.
SUBMIT_EMPTY = """([action, token]) => {
  const form = document.createElement('form');
  form.method = 'post';
  form.action = action;
  const input = document.createElement('input');
  Object.assign(input, {type: 'hidden', name: 'csrfmiddlewaretoken', value: token});
  form.append(input);
  document.body.append(form);
  form.submit();
}"""


@dataclass
class Sweep:
    """What the sweep saw: the problems found and what it scanned."""

    problems: list[str] = field(default_factory=list)
    scanned: set = field(default_factory=set)  # (template, forms) keys axe has seen
    styles: list[str] = field(default_factory=list)  # the styling chains colour contrast has been checked on
    axe_runs: int = 0
    loads: int = 0
    error_states: int = 0
    roles: set = field(default_factory=set)
    accepted: list[str] = field(default_factory=list)  # form pages that took an empty form
    forms: list = field(default_factory=list)  # (label, url, role, CSRF token, template key) of form pages
    skipped: list[str] = field(default_factory=list)
    seconds: dict = field(default_factory=lambda: {"load": 0.0, "axe": 0.0, "contrast": 0.0, "reflow": 0.0})

    def timed(self, what, started):
        self.seconds[what] += time.monotonic() - started


class Templates:
    """The template each response rendered first (the view's own) and the forms it was given."""

    def __init__(self):
        self.seen: list[tuple[str, tuple[str, ...]]] = []

    def __call__(self, sender, template, context, **kwargs):
        forms = ()
        if not self.seen:
            values = context.flatten().values() if hasattr(context, "flatten") else context.values()
            forms = tuple(sorted({type(v).__qualname__ for v in values if isinstance(v, BaseForm | BaseFormSet)}))
        self.seen.append((template.name or "?", forms))

    def first(self):
        return self.seen[0] if self.seen else None


def _role_for(entry) -> str | None:
    if entry.allowed is PUBLIC:
        return None
    return next(r for r in ROLE_ORDER if r in entry.allowed and r not in entry.not_found)


def _session_cookie(user, live_server) -> dict:
    client = Client()
    client.force_login(user)
    return {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": live_server.url}


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")


def _watched(page, sweep):
    """The page, reporting any Content Security Policy violation or uncaught JavaScript error as a problem."""

    def on_console(message):
        if CSP_VIOLATION.search(message.text):
            sweep.problems.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: sweep.problems.append(f"{page.url}: JavaScript error: {error}"))
    return page


def _check_overflow(page, label, sweep):
    """Check the page at its present width, then at the other; the next page loads at that one."""
    started = time.monotonic()
    now = page.viewport_size["width"]
    for width in sorted(WIDTHS, key=lambda w: w != now):
        if width != now:
            page.set_viewport_size({"width": width, "height": HEIGHT})
        scroll, inner, culprits = page.evaluate(OVERFLOW)
        if scroll > inner:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            path = SCREENSHOTS / f"overflow-{_slug(label)}-{width}px.png"
            page.screenshot(path=str(path), full_page=True)
            sweep.problems.append(f"{label}: scrolls sideways at {width} px (page {scroll} px wide; "
                                  f"{', '.join(culprits)}), see {path}")
    sweep.timed("reflow", started)


def _axe(page, label, sweep):
    started = time.monotonic()
    page.add_script_tag(url=settings.STATIC_URL + AXE_URL)
    sweep.axe_runs += 1
    violations = page.evaluate(AXE_RUN)
    sweep.timed("axe", started)
    started = time.monotonic()
    fresh, contrast = page.evaluate(AXE_CONTRAST, sweep.styles)
    sweep.styles += fresh
    violations += contrast
    sweep.timed("contrast", started)
    for violation in violations:
        for target in violation["targets"]:
            sweep.problems.append(f"{label}: {violation['id']} ({violation['impact']}) at {target}: {violation['help']}")


def _visit(page, url, label, sweep, templates, *, always=False):
    """Open url; check it for overflow, and with axe unless its template and forms were scanned already.
    Returns (the CSRF token of the page's own form, or None when it has none; the template key)."""
    templates.seen.clear()
    started = time.monotonic()
    try:
        response = page.goto(url)
    except Exception as error:  # a download (an export, a document) is not a page
        if "Download is starting" in str(error):
            sweep.skipped.append(f"{label} (a download)")
            return None, None
        raise
    sweep.loads += 1
    sweep.timed("load", started)
    if response is None or "text/html" not in response.headers.get("content-type", ""):
        sweep.skipped.append(f"{label} (not HTML)")
        return None, None
    if response.status >= 400:
        sweep.problems.append(f"{label}: the page answered {response.status}")
        return None, None
    key = templates.first()
    if always or key is None or key not in sweep.scanned:
        sweep.scanned.add(key)
        _axe(page, label, sweep)
    _check_overflow(page, label, sweep)
    return page.evaluate(OWN_FORM_TOKEN), key


def _error_state(page, url, label, token, sweep):
    with page.expect_navigation():
        page.evaluate(SUBMIT_EMPTY, [url, token])
    if page.locator(".govuk-error-summary").count() == 0:
        sweep.accepted.append(label)
        return  # the empty form was accepted (a confirmation): nothing to show
    sweep.error_states += 1
    _axe(page, f"{label} (errors)", sweep)
    _check_overflow(page, f"{label} (errors)", sweep)


def test_every_page_for_every_role_passes_axe_and_reflows(browser, live_server, settings):
    settings.OPENCSC_DEMO = True  # the demo's phase banner is on every page too
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, ("axe-sweep", str(AXE_FOLDER))]
    started = time.monotonic()
    world = _build_world()
    users = world["users"]
    templates = Templates()
    template_rendered.connect(templates, dispatch_uid="accessibility-sweep")
    sweep = Sweep()
    contexts = {}

    def page_for(role):
        if role not in contexts:
            context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London",
                                          viewport={"width": WIDTHS[0], "height": HEIGHT})
            context.set_default_timeout(TIMEOUT_MS * 2)
            if role is not None:
                context.add_cookies([_session_cookie(users[role], live_server)])
            contexts[role] = _watched(context.new_page(), sweep)
        return contexts[role]

    try:
        built = time.monotonic()
        # Every role's home page, My work and the child's record.
        for role in Role.values:
            for name in EVERY_ROLE:
                entry = MATRIX[name]
                if role in entry.allowed and role not in entry.not_found:
                    url = reverse(name, args=[world[a] for a in entry.args])
                    sweep.roles.add(role)
                    _visit(page_for(role), url, f"{name} as {role}", sweep, templates, always=True)
        # Every other page, once, as one role that may open it.
        for name in sorted(MATRIX):
            entry = MATRIX[name]
            if entry.method != "get" or name in EVERY_ROLE:
                continue
            role = _role_for(entry)
            url = reverse(name, args=[world[a] for a in entry.args])
            token, key = _visit(page_for(role), url, name, sweep, templates)
            if token is not None:
                sweep.forms.append((name, url, role, token, key))
        # Each form page's form, submitted empty (after the pages: an accepted empty form may change the world).
        posted = set()
        for name, url, role, token, key in sweep.forms:
            if key is None or key not in posted:
                posted.add(key)
                _error_state(page_for(role), live_server.url + url, name, token, sweep)
    finally:
        template_rendered.disconnect(dispatch_uid="accessibility-sweep")
        for page in contexts.values():
            page.context.close()
    took = time.monotonic() - started
    print(f"\nAccessibility sweep: {sweep.loads} page loads, {sweep.axe_runs} axe scans "
          f"({sweep.error_states} error states of {len(sweep.forms)} form pages), {len(sweep.roles)} roles, "
          f"{len(sweep.styles)} text stylings checked for contrast; world {built - started:.1f} s, total {took:.1f} s ("
          + ", ".join(f"{k} {v:.1f} s" for k, v in sweep.seconds.items())
          + f"); skipped {sweep.skipped}; took an empty form: {sweep.accepted}")
    assert not sweep.problems, f"{len(sweep.problems)} accessibility problems:\n" + "\n".join(sweep.problems)


BROKEN_PAGE = (
    "<!DOCTYPE html><html lang='en-GB'><head><title>Probe</title></head><body>"
    "<main><h1>Probe</h1><img src='/static/core/favicon.svg'><p>" + "x" * 120 + "</p></main></body></html>"
)


def test_the_sweep_finds_a_violation_and_a_page_that_scrolls_sideways(page, live_server, settings):
    # Given a page with an image without a text alternative and a word too long for 320 px
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, ("axe-sweep", str(AXE_FOLDER))]
    page.route("**/accounts/sign-in/", lambda route: route.fulfill(
        status=200, headers=route.fetch().headers, body=BROKEN_PAGE))
    page.goto(f"{live_server.url}/accounts/sign-in/")
    sweep = Sweep()

    # When the sweep's checks look at it
    _axe(page, "probe", sweep)
    _check_overflow(page, "probe", sweep)

    # Then both are reported, with the page, rule, impact and element
    assert any(p.startswith("probe: image-alt (critical) at img") for p in sweep.problems), sweep.problems
    assert any(p.startswith("probe: scrolls sideways at 320 px") for p in sweep.problems), sweep.problems
