"""manage.py demo: migrate, fill an empty database with the synthetic authority, print the logins, serve.

Runs with config.settings.demo (`make demo`): SQLite at var/demo.sqlite3 in WAL mode, served on 127.0.0.1
only by the production stack: gunicorn (deploy/gunicorn.conf.py, threaded) and a background worker
(`manage.py worker`), each a child process of this command, both stopped on Ctrl-C.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone

from opencsc.accounts.roles import Role
from opencsc.synthetic.constants import DEFAULT_SEED, DEFAULT_SIZE, DEMO_LOGINS, DEMO_PASSWORD
from opencsc.synthetic.generators.performance import generate_scorecard_history
from opencsc.synthetic.services import database_is_empty

# gunicorn for the demo: few processes, several threads each (pages mostly wait on the database).
DEMO_WEB_WORKERS = 2
DEMO_WEB_THREADS = 8
STOP_SECONDS = 10


def _port(value) -> int:
    try:
        port = int(value)
    except (TypeError, ValueError):
        raise CommandError(f"Enter the port as a number, like 8000 (not {value!r})") from None
    if not 1 <= port <= 65535:
        raise CommandError("Enter a port from 1 to 65535")
    return port


class Command(BaseCommand):
    help = "Start the demo: a synthetic local authority on http://127.0.0.1:8000/."

    def add_arguments(self, parser):
        parser.add_argument("--port", default=None, help="Port to serve on (default: $PORT or 8000).")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--size", type=float, default=DEFAULT_SIZE)
        parser.add_argument("--no-serve", action="store_true", help="Prepare the database but do not serve.")

    def handle(self, *args, port, seed, size, no_serve, **options):
        port = _port(port if port is not None else os.environ.get("PORT", "8000"))
        database = settings.DATABASES["default"]
        if database["ENGINE"].endswith("sqlite3") and str(database["NAME"]) != ":memory:":
            Path(database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        quiet = options.get("verbosity", 1) == 0
        call_command("migrate", interactive=False, verbosity=0)
        if database_is_empty():
            self.stdout.write(
                f"Generating a synthetic local authority (seed {seed}); this takes about three minutes the first time…"
            )
            call_command(
                "generate_authority",
                seed=seed,
                size=size,
                quiet=quiet,
                verbosity=options["verbosity"],
                stdout=self.stdout,
            )
            self.stdout.write("Taking a year of scorecard snapshots, one every four weeks…")
            generate_scorecard_history(today=timezone.localdate())
        else:
            self.stdout.write("Using the synthetic authority already in the database.")
        self.stdout.write(self.logins_table(port))
        if no_serve:
            return
        connections.close_all()  # the children open their own
        run_processes(server_commands(port), stdout=self.stdout)

    @staticmethod
    def logins_table(port: int) -> str:
        from opencsc.accounts.models import User

        users = {
            u.username: u
            for u in User.objects.filter(username__in=[d.username for d in DEMO_LOGINS]).select_related(
                "team"
            )
        }
        rows = [("Username", "Role", "Team")]
        for login in DEMO_LOGINS:
            user = users.get(login.username)
            team = user.team.name if user and user.team else login.team
            rows.append((login.username, Role(login.role).label, team))
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        lines = [
            "",
            f"OpenCSC demo: http://127.0.0.1:{port}/",
            "",
            "Sign in as any of these (all share one password):",
            "",
        ]
        for i, row in enumerate(rows):
            lines.append("  " + "  ".join(cell.ljust(widths[n]) for n, cell in enumerate(row)).rstrip())
            if i == 0:
                lines.append("  " + "  ".join("-" * w for w in widths))
        lines += [
            "",
            f"Password: {DEMO_PASSWORD}",
            "",
            "Synthetic data only: every person in it is made up.",
            "",
        ]
        return "\n".join(lines)


def server_commands(port: int) -> dict[str, list[str]]:
    """The demo's processes: gunicorn with the checked-in configuration, and the background worker (when
    this version has one)."""
    root = Path(settings.BASE_DIR)
    workers = os.environ.get("OPENCSC_WEB_WORKERS") or str(DEMO_WEB_WORKERS)
    threads = os.environ.get("OPENCSC_WEB_THREADS") or str(DEMO_WEB_THREADS)
    commands = {
        "web": [
            sys.executable, "-m", "gunicorn",
            "--config", str(root / "deploy" / "gunicorn.conf.py"),
            "--bind", f"127.0.0.1:{port}",
            "--workers", workers,
            "--threads", threads,
            "--graceful-timeout", "5",
            "--log-level", "warning",
            "config.wsgi:application",
        ],
    }
    if "worker" in get_commands():
        commands["worker"] = [sys.executable, str(root / "manage.py"), "worker", "--verbosity", "0"]
    return commands


def _stop(processes: dict[str, subprocess.Popen]) -> None:
    """SIGTERM to each child still running (a graceful stop), then SIGKILL to any still there after
    STOP_SECONDS."""
    for process in processes.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    for process in processes.values():
        try:
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_processes(commands: dict[str, list[str]], *, stdout) -> None:
    """Start each command as a child process with this process's settings, and wait. Ctrl-C (or SIGTERM to
    this process) stops them all; so does any one of them ending. A child that failed is an error."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE, "PYTHONUNBUFFERED": "1"}

    def terminate(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, terminate)
    processes: dict[str, subprocess.Popen] = {}
    try:
        for name, command in commands.items():
            processes[name] = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env)
        names = " and ".join(["gunicorn", *(["a background worker"] if "worker" in processes else [])])
        stdout.write(f"Serving with {names}. Press Ctrl-C to stop.")
        while True:
            ended = {name: p.returncode for name, p in processes.items() if p.poll() is not None}
            if ended:
                name, code = next(iter(ended.items()))
                if code:
                    raise CommandError(f"The demo's {name} process stopped (exit status {code}); see above.")
                return
            time.sleep(0.5)
    except KeyboardInterrupt:
        stdout.write("Stopping the demo…")
    finally:
        _stop(processes)
        signal.signal(signal.SIGTERM, previous)
