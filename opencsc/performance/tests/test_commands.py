import pytest
from django.core.management import CommandError, call_command

from opencsc.people.tests.factories import ChildFactory
from opencsc.performance.indicators import BY_KEY
from opencsc.performance.models import Figure, Snapshot

from .conftest import rows

pytestmark = pytest.mark.django_db
CONTACTS = BY_KEY["contacts_decided_1wd"]


def test_snapshot_backfills_weekly_snapshots(fake_measures, capsys):
    child = ChildFactory()
    fake_measures[CONTACTS.key] = lambda as_at: rows((child.pk, as_at.day > 20))
    fake_measures["a1_days"] = None
    call_command("scorecard", "snapshot", "--as-at", "2026-11-23", "--weeks", "3")
    assert [s.isoformat() for s in Snapshot.objects.order_by("as_at").values_list("as_at", flat=True)] == [
        "2026-11-09", "2026-11-16", "2026-11-23"]
    values = list(Figure.objects.filter(indicator=CONTACTS.key, scope_kind="authority")
                  .order_by("snapshot__as_at").values_list("value", flat=True))
    assert values == [0.0, 0.0, 100.0]
    out = capsys.readouterr().out
    assert "Took 3 scorecard snapshots" in out and "a1_days" in out


def test_snapshot_defaults_to_one_week(fake_measures):
    call_command("scorecard", "snapshot", "--quiet", verbosity=0)
    assert Snapshot.objects.count() == 1


@pytest.mark.parametrize("args", [["--weeks", "0"], ["--as-at", "23/11/2026"]])
def test_snapshot_refuses_bad_arguments(fake_measures, args):
    with pytest.raises((CommandError, SystemExit)):
        call_command("scorecard", "snapshot", *args)
    assert not Snapshot.objects.exists()


@pytest.mark.parametrize("fmt, magic", [("xlsx", b"PK"), ("pdf", b"%PDF")])
def test_export_writes_the_file(fake_measures, tmp_path, fmt, magic):
    call_command("scorecard", "snapshot", "--as-at", "2026-11-23", verbosity=0)
    out = tmp_path / f"scorecard.{fmt}"
    call_command("scorecard", "export", "--format", fmt, "--scope", "service:front_door", "--out", str(out))
    assert out.read_bytes().startswith(magic)


def test_export_xlsx_cells(fake_measures, tmp_path):
    from openpyxl import load_workbook

    child = ChildFactory()
    fake_measures[CONTACTS.key] = lambda as_at: rows((child.pk, True))
    call_command("scorecard", "snapshot", "--as-at", "2026-11-23", verbosity=0)
    out = tmp_path / "s.xlsx"
    call_command("scorecard", "export", "--format", "xlsx", "--scope", "authority", "--out", str(out),
                 "--week", "2026-11-23")
    sheet = load_workbook(out)["Scorecard"]
    contacts = next(r for r in sheet.iter_rows(min_row=3, values_only=True) if r[1] == CONTACTS.title)
    assert contacts[2] == 100.0 and contacts[6] == "On target"


@pytest.mark.parametrize("args, message", [
    (["--scope", "team:abc"], "There is no scope"),
    (["--week", "2020-01-01"], "no scorecard snapshot"),
])
def test_export_refuses_an_unknown_scope_or_week(fake_measures, tmp_path, args, message):
    call_command("scorecard", "snapshot", "--as-at", "2026-11-23", verbosity=0)
    out = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match=message):
        call_command("scorecard", "export", "--format", "pdf", "--out", str(out), *args)
    assert not out.exists()
