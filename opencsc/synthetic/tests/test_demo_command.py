"""manage.py demo: migrate, fill an empty database, print the logins, then serve."""

import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from opencsc.accounts.models import User
from opencsc.casework.models import CaseNote
from opencsc.people.models import Child
from opencsc.people.tests.factories import ChildFactory
from opencsc.performance.models import Commentary, Snapshot
from opencsc.synthetic.constants import DEMO_LOGINS, DEMO_PASSWORD
from opencsc.synthetic.management.commands import demo

SIZE = "0.03"


def run_demo(*args):
    out = io.StringIO()
    call_command("demo", "--no-serve", "--size", SIZE, *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_given_an_empty_database_when_the_demo_starts_then_it_is_filled_and_the_logins_are_printed(
    monkeypatch,
):
    monkeypatch.delenv("PORT", raising=False)
    output = run_demo()
    assert Child.objects.count() > 100
    # A year of scorecard history, every four weeks, and the manager's commentary on the latest figure.
    assert Snapshot.objects.count() == 13
    assert Commentary.objects.filter(author__username="sm.demo").exists()
    assert "http://127.0.0.1:8000/" in output
    for login in DEMO_LOGINS:
        assert login.username in output and login.team in output
    assert f"Password: {DEMO_PASSWORD}" in output


@pytest.mark.django_db
def test_given_a_filled_database_when_the_demo_starts_again_then_it_keeps_the_data(monkeypatch):
    run_demo()
    before = (Child.objects.count(), User.objects.count(), CaseNote.objects.count())
    output = run_demo()
    assert "Using the synthetic authority already in the database." in output
    assert (Child.objects.count(), User.objects.count(), CaseNote.objects.count()) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "env, args, url",
    [
        ({"PORT": "8123"}, [], "http://127.0.0.1:8123/"),
        ({"PORT": "8123"}, ["--port", "9000"], "http://127.0.0.1:9000/"),
        ({}, ["--port", "8001"], "http://127.0.0.1:8001/"),
    ],
)
def test_the_port_comes_from_the_option_or_the_environment(monkeypatch, env, args, url):
    ChildFactory()  # an authority already there: the demo goes straight to the logins and the address
    monkeypatch.delenv("PORT", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert url in run_demo(*args)


@pytest.mark.django_db
@pytest.mark.parametrize("port", ["eighty", "0", "70000"])
def test_a_bad_port_is_refused_before_anything_is_made(port):
    with pytest.raises(CommandError, match="port"):
        run_demo("--port", port)
    assert not Child.objects.exists()


@pytest.mark.django_db
def test_without_no_serve_it_serves_on_the_loopback_address_without_the_reloader(monkeypatch):
    calls = []
    real_call_command = demo.call_command

    def recording_call_command(name, *args, **kwargs):
        if name == "runserver":
            calls.append((args, kwargs))
            return None
        return real_call_command(name, *args, **kwargs)

    monkeypatch.setattr(demo, "call_command", recording_call_command)
    monkeypatch.delenv("PORT", raising=False)
    ChildFactory()  # an authority already there (generating one is tested above)
    call_command("demo", "--size", SIZE, "--port", "8002", stdout=io.StringIO())
    assert calls == [(("127.0.0.1:8002",), {"use_reloader": False})]


def test_the_demo_migrates_and_fills_a_brand_new_database_file(tmp_path):
    """End to end, as `make demo` runs it, with the demo settings and a fresh SQLite file."""
    database = tmp_path / "var" / "demo.sqlite3"
    (tmp_path / "demo_test_settings.py").write_text(
        "from config.settings.demo import *  # noqa\n"
        f"DATABASES = {{'default': {{'ENGINE': 'django.db.backends.sqlite3', 'NAME': {str(database)!r}}}}}\n"
        "PASSWORD_HASHERS = ['django.contrib.auth.hashers.MD5PasswordHasher']\n"
    )
    root = Path(settings.BASE_DIR)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "demo_test_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(root)]),
    }
    env.pop("PORT", None)
    result = subprocess.run(
        [sys.executable, str(root / "manage.py"), "demo", "--no-serve", "--size", SIZE],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "sw.demo" in result.stdout
    with sqlite3.connect(database) as db:
        children = db.execute("select count(*) from people_child").fetchone()[0]
        applied = db.execute("select count(*) from django_migrations").fetchone()[0]
        demo_users = db.execute("select count(*) from accounts_user where username like '%.demo'").fetchone()[
            0
        ]
    assert children > 100 and applied > 10 and demo_users == len(DEMO_LOGINS)
