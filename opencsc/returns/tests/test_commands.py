"""The returns command: build and validate, progress off, clear errors, exit status, --store."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from opencsc.returns.base import Issue
from opencsc.returns.models import ReturnRun

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("returns", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_build_annex_a_for_a_period(tmp_path):
    out, err = run("build", "annexa", "--from", "2025-12-01", "--to", "2026-11-30", "--out", str(tmp_path),
                   "--no-progress")
    path = tmp_path / "annex_a_20251201_20261130.xlsx"
    assert path.exists() and f"Wrote {path}" in out
    assert load_workbook(path).sheetnames[0] == "List 1"
    assert not ReturnRun.objects.exists()  # not stored unless asked


def test_build_a_year_return(tmp_path, fake):
    out, _ = run("build", "cin", "--year", "2026", "--out", str(tmp_path), "--no-progress")
    assert (tmp_path / "fake_2026.xml").read_bytes() == b"<Message/>"
    assert fake.CALLS == [("build", 2026)]


@pytest.mark.parametrize("args, message", [
    (["build", "cin", "--year", "20x6"], "Enter a collection year as 4 digits"),
    (["build", "cin", "--year", "1990"], "Collection year must be between"),
    (["build", "cin", "--from", "2025-04-01"], "with --year, not --from/--to"),
    (["build", "annexa", "--year", "2026"], "with --from and --to, not --year"),
    (["build", "annexa", "--from", "2026-13-01"], "is not a date"),
    (["build", "annexa", "--from", "2026-06-01", "--to", "2026-01-01"], "must be on or after its start"),
    (["build", "nonsense"], "invalid choice: 'nonsense'"),
    (["validate", "annexa", "--year", "2026"], "invalid choice: 'annexa'"),
    (["build", "cin", "--year", "2026", "--store"], "--store needs --user"),
    (["build", "cin", "--year", "2026", "--store", "--user", "nobody"], "There is no user called 'nobody'"),
])
def test_clear_messages_for_bad_input(args, message, tmp_path, fake):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace("-", r"\-")):
        run(*args, "--out", str(tmp_path), "--no-progress") if args[0] == "build" else run(*args, "--no-progress")
    assert not ReturnRun.objects.exists()
    assert fake.CALLS == []


def test_validate_lists_issues_and_fails_on_errors(fake):
    fake.ISSUES = [Issue(rule="8840", message="Date of birth after referral", child_id=None,
                         child_reference="C100001", field="PersonBirthDate", table="ChildIdentifiers")]
    with pytest.raises(CommandError) as raised:
        run("validate", "cin", "--year", "2026", "--no-progress")
    assert raised.value.returncode == 1
    assert "1 validation error" in str(raised.value)


def test_validate_text_output(fake, capsys):
    fake.ISSUES = [Issue(rule="2884Q", message="Check the date of death", child_id=None, severity="query",
                         child_reference="C100002")]
    out, _ = run("validate", "cin", "--year", "2026", "--no-progress")  # queries alone pass
    assert "2884Q" in out and "C100002" in out and "0 errors, 1 query" in out


def test_validate_csv_output(fake):
    fake.ISSUES = [Issue(rule="2884Q", message="Check, the date", child_id=None, severity="query",
                         child_reference="C100002", table="ChildIdentifiers", field="PersonDeathDate")]
    out, _ = run("validate", "cin", "--year", "2026", "--format", "csv", "--no-progress")
    lines = out.strip().splitlines()
    assert lines[0] == "rule,severity,child_reference,table,field,message"
    assert lines[1] == '2884Q,query,C100002,ChildIdentifiers,PersonDeathDate,"Check, the date"'


def test_validate_without_a_year_uses_the_latest_ended(fake):
    from opencsc.returns.services import latest_year

    run("validate", "cin", "--no-progress")
    assert fake.CALLS == [("validate", latest_year())]


def test_progress_bars_go_to_stderr_unless_asked_not_to(tmp_path, fake, capsys):
    run("build", "cin", "--year", "2026", "--out", str(tmp_path))
    assert "Built" in capsys.readouterr().err
    run("build", "cin", "--year", "2026", "--out", str(tmp_path), "--no-progress")
    assert capsys.readouterr().err == ""


def test_store_saves_a_run_for_a_returns_user(tmp_path, fake, make_user):
    make_user(role="performance_analyst", username="analyst")
    fake.ISSUES = [Issue(rule="8840", message="Date of birth after referral", child_id=None)]
    with pytest.raises(CommandError):
        run("validate", "cin", "--year", "2026", "--store", "--user", "analyst", "--no-progress")
    stored = ReturnRun.objects.get()
    assert (stored.status, stored.error_count, stored.requested_by.username) == ("succeeded", 1, "analyst")


def test_store_refused_for_a_user_without_the_returns_role(tmp_path, fake, make_user):
    make_user(role="social_worker", username="worker")
    with pytest.raises(CommandError, match="Only performance analysts and service managers"):
        run("build", "cin", "--year", "2026", "--out", str(tmp_path), "--store", "--user", "worker", "--no-progress")
    assert not ReturnRun.objects.exists()
