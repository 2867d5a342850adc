"""manage.py demo: migrate, fill an empty database, print the logins, then serve."""

import io
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command, get_commands

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
def test_without_no_serve_it_serves_with_gunicorn_threads_and_the_worker_on_the_loopback_address(monkeypatch):
    started = []
    monkeypatch.setattr(demo, "run_processes", lambda commands, stdout: started.append(commands))
    monkeypatch.delenv("PORT", raising=False)
    monkeypatch.delenv("OPENCSC_WEB_WORKERS", raising=False)
    monkeypatch.delenv("OPENCSC_WEB_THREADS", raising=False)
    ChildFactory()  # an authority already there (generating one is tested above)
    call_command("demo", "--size", SIZE, "--port", "8002", stdout=io.StringIO())
    [commands] = started
    web = " ".join(commands["web"])
    assert "-m gunicorn --config " in web and web.endswith("config.wsgi:application")
    assert str(Path(settings.BASE_DIR) / "deploy" / "gunicorn.conf.py") in web
    assert "--bind 127.0.0.1:8002 --workers 2 --threads 8" in web
    assert ("worker" in commands) == ("worker" in get_commands())
    if "worker" in commands:
        assert commands["worker"][1:3] == [str(Path(settings.BASE_DIR) / "manage.py"), "worker"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def test_the_demo_migrates_fills_a_brand_new_database_file_serves_it_and_stops_on_ctrl_c(tmp_path):
    """End to end, as `make demo` runs it, with the demo settings and a fresh SQLite file (in WAL mode):
    the logins, then gunicorn (and the worker) until Ctrl-C, which stops them all."""
    database = tmp_path / "var" / "demo.sqlite3"
    (tmp_path / "demo_test_settings.py").write_text(
        "from config.settings.demo import *  # noqa\n"
        f"DATABASES['default']['NAME'] = {str(database)!r}\n"
        "PASSWORD_HASHERS = ['django.contrib.auth.hashers.MD5PasswordHasher']\n"
    )
    root = Path(settings.BASE_DIR)
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "demo_test_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(root)]),
        "OPENCSC_WEB_WORKERS": "1",
        "OPENCSC_WEB_THREADS": "2",
    }
    env.pop("PORT", None)
    output = tmp_path / "output.txt"
    with output.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, str(root / "manage.py"), "demo", "--size", SIZE, "--port", str(port)],
            cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 300
        while "Serving with" not in output.read_text():
            assert process.poll() is None and time.monotonic() < deadline, output.read_text()
            time.sleep(0.5)
        base = f"http://127.0.0.1:{port}"
        while True:
            try:
                status, page = _get(f"{base}/accounts/sign-in/")
                break
            except OSError:
                assert time.monotonic() < deadline, output.read_text()
                time.sleep(0.3)
        assert status == 200 and b"Sign in" in page
        assert _get(f"{base}/healthz")[0] == 200
        stylesheet = re.search(rb'href="(/static/[^"]+\.css)"', page).group(1).decode()
        assert _get(f"{base}{stylesheet}")[0] == 200
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0, output.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    text = output.read_text()
    assert "sw.demo" in text and f"http://127.0.0.1:{port}/" in text and "Stopping the demo" in text
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()  # gunicorn is gone too
    with sqlite3.connect(database) as db:
        children = db.execute("select count(*) from people_child").fetchone()[0]
        applied = db.execute("select count(*) from django_migrations").fetchone()[0]
        demo_users = db.execute("select count(*) from accounts_user where username like '%.demo'").fetchone()[
            0
        ]
        journal_mode = db.execute("pragma journal_mode").fetchone()[0]
    assert children > 100 and applied > 10 and demo_users == len(DEMO_LOGINS)
    assert journal_mode == "wal"
