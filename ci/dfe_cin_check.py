"""Check the synthetic authority's CIN census with the DfE's own validator (csc-validator-be-cin).

    .venv/bin/python ci/dfe_cin_check.py [--seed 2014] [--size 0.05 --size 0.25] [--today 2026-11-23]
    .venv/bin/python ci/dfe_cin_check.py --database var/dfe/a.sqlite3 --seed 2014 --size 0.3 --today 2026-11-23

1. Generates a synthetic authority into a temporary SQLite database, for each size asked for
   (by default a small one, 0.05, and a larger one, 0.25: about 1,500 children; each size runs
   in its own process, about 100 seconds of CPU for the two). With --database, reads a copy of an
   authority already generated (ci/dfe_authority.py; `make dfe-check` generates each once for this
   check and the 903 check); --seed, --size and --today then say how it was made.
2. Builds the CIN census XML for the collection year containing the synthetic "today" (and the
   year before, a whole year in the past) and runs the DfE validator on each file, installed
   apart in .dfe-validators/ (`make dfe-validators`, version pinned in ci/dfe-validators.txt).
   Any DfE error fails the check (queries are printed, not failed: some late work is realistic), and
   so does any DfE rule that crashes rather than runs. There is no allowance for a DfE tool bug.
3. On the largest size only (it has the most records to choose from), makes chosen records
   wrong on purpose, one child each, rebuilds, and checks that the DfE
   validator reports exactly the expected new rule codes for those children (and nothing new
   for anyone else), and that our own opencsc.returns.cin.validate_xml reports them too.

Exit status 0 when all is as expected, 1 otherwise (with the rule codes and counts printed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
DFE_PYTHON = ROOT / ".dfe-validators" / "bin" / "python"
DEFAULT_SIZES = (0.05, 0.25)

# Runs inside the DfE validator's own environment: prints {"issues": [...], "crashes": [...]} as JSON.
RUNNER = r'''
import contextlib, importlib, io, json, sys, warnings
import xml.etree.ElementTree as ET
warnings.simplefilter("ignore")
from cin_validator import cin_validator
from cin_validator.rules.ruleset_utils import get_year_ruleset
root = ET.parse(sys.argv[1]).getroot()
try:
    registry = get_year_ruleset(root.findtext("Header/CollectionDetails/Year"))
except (ModuleNotFoundError, TypeError, ValueError):
    registry = importlib.import_module("cin_validator.rules.cin2025_26").registry
data = cin_validator.process_data(cin_validator.convert_data(root))
out = io.StringIO()
with contextlib.redirect_stdout(out):
    v = cin_validator.CinValidator(data, registry)
issues = [{"rule": str(r.rule_code), "child": "" if str(r.child_id) == "nan" else str(r.child_id)}
          for r in v.full_issue_df.itertuples()]
issues += [{"rule": str(r.rule_code), "child": ""} for r in v.multichild_issues.itertuples()]
crashes = [line for line in out.getvalue().splitlines() if line.startswith("Error with rule")]
print(json.dumps({"issues": issues, "crashes": crashes}))
'''


def setup_django(database: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    sys.path.insert(0, str(ROOT))
    from django.conf import settings

    settings.DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(database), "OPTIONS": {"timeout": 20}}
    }
    import django

    django.setup()


def dfe_issues(xml: bytes, workdir: Path, name: str) -> dict[str, set[str]]:
    """Rule code -> the LA child IDs the DfE validator names ("" for return-level issues)."""
    path = workdir / name
    path.write_bytes(xml)
    done = subprocess.run([str(DFE_PYTHON), "-c", RUNNER, str(path)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(done.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"The DfE validator failed on {name} (exit {done.returncode})")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    found: dict[str, set[str]] = defaultdict(set)
    if result["crashes"]:  # a rule that crashes checks nothing: that fails the check (no allowance)
        print("DfE rules that crashed:", *result["crashes"], sep="\n  ")
        found["CRASH"].add("")
    for issue in result["issues"]:
        found[issue["rule"]].add(issue["child"])
    return found


def show(found: dict[str, set[str]], title: str) -> None:
    print(f"{title}:")
    if not found:
        print("  none")
    for code in sorted(found):
        kind = "query" if code.endswith("Q") else "ERROR"
        print(f"  {code:6} {kind:5} {len(found[code])} {'child' if len(found[code]) == 1 else 'children'}")


def errors_of(found: dict[str, set[str]]) -> dict[str, set[str]]:
    return {code: refs for code, refs in found.items() if not code.endswith("Q")}


def by_child(found: dict[str, set[str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for code, refs in found.items():
        for ref in refs:
            out[ref].add(code)
    return out


def break_records(year) -> dict[str, set[str]]:
    """Make one record wrong per chosen child; returns LA child ID -> the rule codes expected."""
    from django.db.models import Count, Q

    from opencsc.assessment.models import Assessment, CINEpisode, CINPlan
    from opencsc.casework.models import Plan
    from opencsc.protection.models import CPPlan

    in_year = Q(referral_date__lte=year.end) & (Q(closure_date__isnull=True) | Q(closure_date__gte=year.start))
    used: set[int] = set()
    expected: dict[str, set[str]] = {}
    late = year.start + dt.timedelta(days=10)

    def pick(queryset, what: str):
        for obj in queryset.order_by("pk")[:500]:
            child = obj.child if hasattr(obj, "child") else obj.episode.child
            if child.pk not in used and child.merged_into_id is None:
                used.add(child.pk)
                return obj, child
        raise SystemExit(f"The synthetic authority has no {what} to break")

    # 8840: a child protection plan that ends the day it starts (the child's only plan).
    single = CPPlan.objects.values("child_id").annotate(n=Count("pk")).filter(n=1).values("child_id")
    cpp, child = pick(CPPlan.objects.filter(child_id__in=single, plan__start_date__gte=late,
                                            plan__start_date__lte=year.end, plan__end_date__isnull=False)
                      .select_related("child", "plan"), "ended child protection plan")
    Plan.objects.filter(pk=cpp.plan_id).update(end_date=cpp.plan.start_date)
    expected[child.la_child_id] = {"8840"}

    # 8608: an assessment authorised the day before it started (alone in its episode).
    alone = Assessment.objects.values("episode_id").annotate(n=Count("pk")).filter(n=1).values("episode_id")
    a, child = pick(Assessment.objects.filter(episode_id__in=alone, start_date__gte=late, start_date__lte=year.end,
                                              completed_date__isnull=False, completed_date__lte=year.end,
                                              episode__closure_date__isnull=True)
                    .select_related("episode__child"), "authorised assessment")
    Assessment.objects.filter(pk=a.pk).update(completed_date=a.start_date - dt.timedelta(days=1))
    expected[child.la_child_id] = {"8608"}

    # 8866: an episode with no referral source.
    e, child = pick(CINEpisode.objects.filter(in_year, referral_date__gte=year.start).select_related("child"),
                    "episode of need")
    CINEpisode.objects.filter(pk=e.pk).update(referral_source="")
    expected[child.la_child_id] = {"8866"}

    # 8805: an episode closed in the year with no reason for closure.
    e, child = pick(CINEpisode.objects.filter(closure_date__gte=year.start, closure_date__lte=year.end)
                    .select_related("child"), "closed episode of need")
    CINEpisode.objects.filter(pk=e.pk).update(reason_for_closure="")
    expected[child.la_child_id] = {"8805"}

    # 4011: a child in need plan that ends before it starts.
    p, child = pick(CINPlan.objects.filter(plan__start_date__gte=late, plan__start_date__lte=year.end,
                                           plan__end_date__isnull=False, plan__end_date__lte=year.end)
                    .select_related("episode__child", "plan"), "ended child in need plan")
    Plan.objects.filter(pk=p.plan_id).update(end_date=p.plan.start_date - dt.timedelta(days=1))
    expected[child.la_child_id] = {"4011"}

    # 8610: a referral that led to further action, with no primary need.
    e, child = pick(CINEpisode.objects.filter(in_year, referral_nfa=False).select_related("child"),
                    "episode of need with further action")
    CINEpisode.objects.filter(pk=e.pk).update(primary_need="")
    expected[child.la_child_id] = {"8610"}

    # 8925: a child protection plan that ends before it starts (the child's only plan).
    cpp, child = pick(CPPlan.objects.filter(child_id__in=single, plan__start_date__gte=late,
                                            plan__start_date__lte=year.end)
                      .select_related("child", "plan"), "child protection plan")
    Plan.objects.filter(pk=cpp.plan_id).update(end_date=cpp.plan.start_date - dt.timedelta(days=1))
    expected[child.la_child_id] = {"8925"}
    return expected


# Where our rules report what the DfE tool (0.1.13) misses (docs/returns-cin.md, "Deliberate
# differences"): each is reproduced on one child of the clean file. Should the DfE tool start reporting
# one, the tool is fixed and the difference (in the docs and here) is to go.
def _drop_disabilities(child) -> bool:
    chars = child.find("ChildCharacteristics")
    found = chars.find("Disabilities") if chars is not None else None
    if found is None:
        return False
    chars.remove(found)
    return True


def _factors(*codes):
    def change(child) -> bool:
        factors = child.find("CINdetails/Assessments/FactorsIdentifiedAtAssessment")
        if factors is None:
            return False
        for old in list(factors):
            factors.remove(old)
        for code in codes:
            etree.SubElement(factors, "AssessmentFactors").text = code
        return True
    return change


TOOL_MISSES = [
    ("8540", "a child with no Disabilities element", _drop_disabilities),
    ("8869", 'assessment factors "21" with another', _factors("21", "2A")),
    ("8945Q", 'assessment factor "18A"', _factors("18A")),
    ("8950Q", 'assessment factor "19A"', _factors("19A")),
]


def check_tool_misses(xml: bytes, workdir: Path) -> bool:
    """Reproduce each known DfE tool miss on one child; True when all still reproduce."""
    from opencsc.returns.cin import validate_xml

    root = etree.fromstring(xml)
    children = root.findall("Children/Child")
    chosen: dict[str, str] = {}
    for code, what, change in TOOL_MISSES:
        for child in children:
            ref = child.findtext("ChildIdentifiers/LAchildID")
            if ref not in chosen.values() and change(child):
                chosen[code] = ref
                print(f"  {ref}: {what} (our {code}; the DfE tool misses it)")
                break
        else:
            raise SystemExit(f"No child to reproduce {code} on")
    changed = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    theirs = dfe_issues(changed, workdir, "tool_misses.xml")
    ours = by_child(defaultdict(set))
    for issue in validate_xml(changed):
        ours[issue.child_reference].add(issue.rule)
    ok = True
    for code, ref in chosen.items():
        if code not in ours.get(ref, set()):
            ok = False
            print(f"  FAIL: child {ref}: our validate_xml does not report {code}")
        if ref in theirs.get(code, set()):
            ok = False
            print(f"  FAIL: child {ref}: the DfE tool now reports {code}: it is fixed, so remove this difference "
                  "from docs/returns-cin.md and from TOOL_MISSES")
    return ok


# In a census year still in progress ("today" before 31 March), what the census date must show may not be due
# yet. 8736: an assessment still open must have started within the census year. An assessment that started
# before 1 April and is still open today may yet be completed before the census date; let it through only when
# the year is in progress and the assessment is open today (docs/dfe-tool-allowances.md).
NOT_YET_DUE = ("8736",)


def not_yet_due(code: str, child: str, year, today: dt.date) -> bool:
    from opencsc.assessment.models import Assessment

    if today >= year.end or code not in NOT_YET_DUE:
        return False
    return Assessment.objects.filter(
        episode__child__la_child_id=child, start_date__lt=year.start, start_date__lte=today,
        completed_date__isnull=True,
    ).exists()


def real_errors_of(found: dict[str, set[str]], year, today: dt.date) -> tuple[dict[str, set[str]], list[str]]:
    """The DfE's errors less what is not yet due in a year in progress, and a line on each let through."""
    real, passed = {}, []
    for code, children in errors_of(found).items():
        kept = {c for c in children if not not_yet_due(code, c, year, today)}
        if kept:
            real[code] = kept
        if len(kept) < len(children):
            passed.append(f"{code} x{len(children) - len(kept)}")
    return real, passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--size", type=float, action="append", help="repeat for several sizes (default 0.05 and 0.25)")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date(2026, 11, 23))
    parser.add_argument("--no-break", action="store_true", help="check the clean returns only")
    parser.add_argument("--database", type=Path, help="an authority already generated (a copy is read)")
    args = parser.parse_args()
    if not DFE_PYTHON.exists():
        print(f"The DfE validators are not installed ({DFE_PYTHON}): run `make dfe-validators`.")
        return 1
    sizes = sorted(set(args.size or DEFAULT_SIZES))
    if args.database and len(sizes) > 1:
        parser.error("--database is one authority: give one --size (the one it was made at)")
    if len(sizes) > 1:  # one process per size: each needs its own database and Django set up for it
        failed = []
        for size in sizes:
            command = [sys.executable, __file__, "--seed", str(args.seed), "--size", str(size),
                       "--today", args.today.isoformat()]
            if args.no_break or size != sizes[-1]:
                command.append("--no-break")
            print(f"== size {size:g}", flush=True)
            if subprocess.run(command, check=False).returncode != 0:
                failed.append(size)
        print(f"{'FAILED at size ' + ', '.join(f'{s:g}' for s in failed) if failed else 'All sizes passed'}")
        return 1 if failed else 0
    args.size = sizes[0]
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="opencsc-dfe-cin-") as tmp:
        workdir = Path(tmp)
        if args.database:
            shutil.copyfile(args.database, workdir / "authority.sqlite3")
        setup_django(workdir / "authority.sqlite3")
        from django.core.management import call_command

        from opencsc.returns.base import CollectionYear
        from opencsc.returns.cin import validate_xml
        from opencsc.returns.cin.builder import build_xml
        from opencsc.synthetic.services import authority_generate

        if not args.database:
            call_command("migrate", interactive=False, verbosity=0)
            authority_generate(seed=args.seed, size=args.size, today=args.today)
        year = CollectionYear.containing(args.today)
        print(f"Synthetic authority: seed {args.seed}, size {args.size:g}, as at {args.today:%d %b %Y} "
              f"({'read from ' + str(args.database) if args.database else 'generated'}, "
              f"{time.monotonic() - started:.0f}s)")

        failed = False
        clean: dict[str, set[str]] = {}
        for y in (CollectionYear(year.ending - 1), year):
            xml = build_xml(y)
            found = dfe_issues(xml, workdir, f"clean_{y.ending}.xml")
            show(found, f"DfE validator on the clean {y.label} return")
            dfe_errors, passed = real_errors_of(found, y, args.today)
            if passed:
                print(f"  not yet due in a year in progress, checked against the records: {', '.join(passed)}")
            ours = {i.rule for i in validate_xml(xml) if i.severity == "error"
                    and not not_yet_due(i.rule, i.child_reference, y, args.today)}
            if dfe_errors or ours:
                failed = True
                print(f"  FAIL: expected no errors; the DfE found {sorted(dfe_errors)}, we found {sorted(ours)}")
            if y == year:
                clean, clean_xml = found, xml

        if args.no_break:
            print(f"{'FAILED' if failed else 'Passed'} in {time.monotonic() - started:.0f}s")
            return 1 if failed else 0
        expected = break_records(year)
        xml = build_xml(year)
        broken = dfe_issues(xml, workdir, f"broken_{year.ending}.xml")
        show(broken, f"DfE validator on the {year.label} return with records made wrong on purpose")
        before, after = by_child(clean), by_child(broken)
        ours = by_child(defaultdict(set))
        for issue in validate_xml(xml):
            ours[issue.child_reference].add(issue.rule)
        for ref in sorted(set(after) | set(expected)):
            new = after.get(ref, set()) - before.get(ref, set())
            want = expected.get(ref, set())
            if new != want:
                failed = True
                print(f"  FAIL: child {ref or '(whole return)'}: DfE reports new {sorted(new)}, expected {sorted(want)}")
            elif want:
                print(f"  ok: child {ref}: DfE reports {sorted(new)}")
            missing = want - ours.get(ref, set())
            if missing:
                failed = True
                print(f"  FAIL: child {ref}: our validate_xml does not report {sorted(missing)}")
        counts = Counter(code for codes in expected.values() for code in codes)
        print(f"Rules made to fail on purpose: {', '.join(sorted(counts))}")
        print("Known misses of the DfE tool, reproduced on the clean return:")
        if not check_tool_misses(clean_xml, workdir):
            failed = True
    print(f"{'FAILED' if failed else 'Passed'} in {time.monotonic() - started:.0f}s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
