"""Issue 16: load on the production stack, on loopback (printed figures, not a timed test).

    python -m bench load                                  the demo target (below), or OPENCSC_BENCH_LOAD_TARGET
    python -m bench.load --target demo --users 20 --seconds 60 --think 0
    python -m bench.load --target production --users 200 --think 2-8     (DATABASE_URL or OPENCSC_DATABASE=postgres)
    python -m bench.load --url http://127.0.0.1:8000 ...                 a stack already running (nothing started)

Targets:
- demo: `manage.py demo` itself (SQLite in WAL mode, gunicorn 2 processes x 8 threads, a worker), on a copy
  of var/demo.sqlite3 (made first with `manage.py demo --no-serve` when there is none) in var/bench/.
  Target: 20 concurrent clients, no think time, mixed pages, p95 under 1 s.
- production: config.settings.production with deploy/gunicorn.conf.py and `manage.py worker` against the
  PostgreSQL database in the environment (migrated, filled with the default synthetic authority when empty,
  static files collected into var/bench/load-static). Two-factor sign-in is on, as in production: each
  account the benchmark uses gets an authenticator device whose key the benchmark knows.
  Target: 200 users with think time, p95 under 300 ms, no errors.

The benchmark signs in, through the real forms, as real staff of the synthetic authority (it gives the
social workers, senior practitioners and managers with a caseload the demo password, in its own copy of
the database): 80% social workers (their children's record pages, a search for one of their children's
surnames, My work, and adding a case note: the form, then the POST with its CSRF and one-time form tokens)
and 20% managers (the team due list, the scorecard, My work, a record page of their team). Each simulated
user is a thread with its own session and keep-alive connection (http.client); after signing in, all start
together, and requests in the first OPENCSC_BENCH_LOAD_WARMUP seconds (default 5) are not counted.

Where the time goes: every request carries an X-Request-ID, and the server's JSON request log gives its
duration inside Django; the rest of the time the client waited is queueing (all threads busy) and transport.
Slow queries (over OPENCSC_SLOW_QUERY_MS, 200 ms) logged during the run are counted by route.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

from django_otp.oath import hotp

from bench import common

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
PYTHON = sys.executable
COMMAND = "python -m bench load"
TARGETS = {
    "demo": {"users": 20, "think": (0.0, 0.0), "seconds": 60, "p95_ms": 1000},
    "production": {"users": 200, "think": (2.0, 8.0), "seconds": 120, "p95_ms": 300},
}
WORKER_SHARE = 0.8
WORKER_PAGES = {"record page": 35, "search": 20, "my work": 20, "add a note": 15, "chronology": 10}
MANAGER_PAGES = {"team due list": 35, "scorecard": 25, "my work": 15, "record page": 25}
PASSWORD_ENV = "OPENCSC_BENCH_LOAD_PASSWORD"
HIDDEN = re.compile(r'<input[^>]*type="hidden"[^>]*>')
ATTR = re.compile(r'(name|value)="([^"]*)"')


# --- the simulated users' accounts: made ready in the target database, in a process with its settings ------

def prepare(out: Path, users: int, with_totp: bool) -> None:
    """Give the accounts the benchmark signs in as a known password (and, with two-factor sign-in, a device
    with a known key), and write who they are, their children and their children's surnames to `out`."""
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.db.models import Count, Q

    from opencsc.accounts.models import User
    from opencsc.accounts.roles import Role
    from opencsc.casework.models import Allocation
    from opencsc.people.models import Child
    from opencsc.synthetic.constants import DEMO_PASSWORD

    current = Q(allocations__end_date__isnull=True)
    workers = list(
        User.objects.filter(is_active=True, role__in=[Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER])
        .annotate(cases=Count("allocations", filter=current)).filter(cases__gt=0).order_by("id")
    )
    managers = list(
        User.objects.filter(is_active=True, role=Role.TEAM_MANAGER, team__isnull=False).order_by("id")
    )
    if not workers or not managers:
        raise SystemExit("No social workers with a caseload, or no team managers: is the authority generated?")
    want_managers = max(1, round(users * (1 - WORKER_SHARE)))
    chosen = workers[: users - want_managers] + managers[:want_managers]
    User.objects.filter(pk__in=[u.pk for u in chosen]).update(
        password=make_password(DEMO_PASSWORD), failed_login_count=0, locked_until=None)
    keys = {}
    if with_totp:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.filter(user__in=chosen).delete()
        for user in chosen:
            key = secrets.token_hex(20)
            TOTPDevice.objects.create(user=user, name="Benchmark", key=key, confirmed=True)
            keys[user.pk] = key
    accounts = []
    for user in chosen:
        if user.role == Role.TEAM_MANAGER:
            children = list(Allocation.objects.filter(team=user.team_id, end_date__isnull=True)
                            .order_by("child_id").values_list("child_id", flat=True)[:30])
            kind = "manager"
        else:
            children = list(Allocation.objects.filter(worker=user, end_date__isnull=True)
                            .order_by("child_id").values_list("child_id", flat=True)[:30])
            kind = "worker"
        surnames = sorted(set(Child.objects.filter(pk__in=children).values_list("last_name", flat=True)))
        accounts.append({"username": user.username, "kind": kind, "children": children, "surnames": surnames,
                         "totp_key": keys.get(user.pk)})
    out.write_text(json.dumps({"password": DEMO_PASSWORD, "accounts": accounts}))


# --- an HTTP client with a session of its own ---------------------------------------------------------------

class Client:
    def __init__(self, base: str, *, behind_proxy: bool, timeout: float = 60):
        parsed = urllib.parse.urlsplit(base)
        self.host, self.port = parsed.hostname, parsed.port or 80
        self.netloc = parsed.netloc
        self.origin = f"{'https' if behind_proxy else parsed.scheme}://{parsed.netloc}"
        self.behind_proxy = behind_proxy
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self.connection

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(self, method: str, path: str, form: dict | None = None, request_id: str = ""):
        headers = {"Host": self.netloc, "User-Agent": "opencsc-bench-load", "Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.behind_proxy:  # as nginx sends it (gunicorn and Django trust it from loopback)
            headers["X-Forwarded-Proto"] = "https"
        if request_id:
            headers["X-Request-ID"] = request_id
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = f"{self.origin}{path}"
        for attempt in (1, 2):  # a keep-alive connection the server closed: once more on a new one
            try:
                connection = self._connection()
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError,
                    http.client.CannotSendRequest, http.client.BadStatusLine):
                self.close()
                if attempt == 2:
                    raise
        for header in response.msg.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return response.status, response.getheader("Location", ""), text


def hidden_fields(page: str) -> dict[str, str]:
    fields = {}
    for tag in HIDDEN.findall(page):
        attrs = dict(ATTR.findall(tag))
        if "name" in attrs:
            fields[attrs["name"]] = attrs.get("value", "")
    return fields


class Authenticator:
    """The app's codes for one account's device. Each sign-in needs a later time step than the last
    (django-otp refuses a code used before), within one step of where the device has drifted to; so each
    account's sign-ins are taken in turn, each the next step on (the device follows: OTP_TOTP_SYNC)."""

    def __init__(self, key_hex: str):
        self.key = bytes.fromhex(key_hex)
        self.last: int | None = None
        self.drift = 0
        self.lock = threading.Lock()

    def code(self) -> str:
        now = int(time.time() // 30)
        step = max(now + self.drift - 1, (self.last + 1) if self.last is not None else now)
        self.last, self.drift = step, step - now
        return f"{hotp(self.key, step):06d}"  # django-otp's, as the server checks it


# --- one simulated user --------------------------------------------------------------------------------------

@dataclass
class Sample:
    page: str
    at: float
    ms: float
    ok: bool
    request_id: str
    detail: str = ""


@dataclass
class Run:
    base: str
    behind_proxy: bool
    password: str
    think: tuple[float, float]
    started: threading.Event = field(default_factory=threading.Event)
    stop_at: float = 0.0
    count_from: float = 0.0
    samples: list[Sample] = field(default_factory=list)
    sign_in_failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    sign_ins: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(4))
    ready: int = 0


def sign_in(client: Client, run: Run, account: dict, authenticator: Authenticator | None) -> None:
    status, _, page = client.request("GET", "/accounts/sign-in/")
    fields = hidden_fields(page)
    form = {"csrfmiddlewaretoken": fields.get("csrfmiddlewaretoken", ""), "username": account["username"],
            "password": run.password}
    status, location, _ = client.request("POST", "/accounts/sign-in/", form)
    if status != 302:
        raise RuntimeError(f"sign-in of {account['username']}: {status}")
    for _ in range(3):  # to the home page, which sends staff on to two-factor sign-in when it is required
        if "/accounts/two-factor/" in location:
            break
        status, location, page = client.request("GET", urllib.parse.urlsplit(location).path or "/")
        if status != 302:
            return  # signed in: a page
    else:
        raise RuntimeError(f"sign-in of {account['username']}: redirected round to {location}")
    if "/accounts/two-factor/" in location:
        if authenticator is None:
            raise RuntimeError("two-factor sign-in asked for, but no device key")
        _, _, page = client.request("GET", location)
        with authenticator.lock:
            form = {"csrfmiddlewaretoken": hidden_fields(page).get("csrfmiddlewaretoken", ""),
                    "code": authenticator.code()}
            status, location, _ = client.request("POST", "/accounts/two-factor/", form)
        if status != 302:
            raise RuntimeError(f"two-factor sign-in of {account['username']}: {status}")


def user_loop(run: Run, account: dict, authenticator: Authenticator | None, rng: random.Random) -> None:
    client = Client(run.base, behind_proxy=run.behind_proxy)
    try:
        with run.sign_ins:
            sign_in(client, run, account, authenticator)
    except Exception as error:  # noqa: BLE001 - counted and reported
        with run.lock:
            run.sign_in_failures.append(str(error))
            run.ready += 1
        client.close()
        return
    with run.lock:
        run.ready += 1
    run.started.wait()
    pages = WORKER_PAGES if account["kind"] == "worker" else MANAGER_PAGES
    names, weights = list(pages), list(pages.values())
    children = account["children"] or [None]
    time.sleep(rng.uniform(0, max(run.think[1], 0.2)))  # spread the first requests
    while time.monotonic() < run.stop_at:
        page = rng.choices(names, weights)[0]
        child = rng.choice(children)
        for sample in visit(client, page, child, account, rng):
            if sample.at >= run.count_from:
                with run.lock:
                    run.samples.append(sample)
        low, high = run.think
        if high > 0:
            time.sleep(rng.uniform(low, high))
    client.close()


def timed(client: Client, page: str, method: str, path: str, form: dict | None = None, expect: int = 200):
    request_id = secrets.token_hex(16)
    started = time.monotonic()
    try:
        status, location, text = client.request(method, path, form, request_id=request_id)
    except Exception as error:  # noqa: BLE001 - an error sample
        return Sample(page, started, (time.monotonic() - started) * 1000, False, request_id, repr(error)), "", ""
    ms = (time.monotonic() - started) * 1000
    ok = status == expect
    detail = "" if ok else f"{method} {path}: {status}{f' to {location}' if location else ''}"
    return Sample(page, started, ms, ok, request_id, detail), location, text


def visit(client: Client, page: str, child, account: dict, rng: random.Random) -> list[Sample]:
    if page == "record page" and child:
        return [timed(client, page, "GET", f"/children/{child}/")[0]]
    if page == "chronology" and child:
        return [timed(client, page, "GET", f"/children/{child}/chronology/")[0]]
    if page == "search":
        term = rng.choice(account["surnames"]) if account["surnames"] else "Smith"
        return [timed(client, page, "GET", f"/children/?q={urllib.parse.quote(term)}")[0]]
    if page == "my work":
        return [timed(client, page, "GET", "/timescales/my-work/")[0]]
    if page == "team due list":
        return [timed(client, page, "GET", "/timescales/team/")[0]]
    if page == "scorecard":
        return [timed(client, page, "GET", "/performance/")[0]]
    if page == "add a note" and child:
        path = f"/children/{child}/notes/add/"
        shown, _, form_page = timed(client, "note form", "GET", path)
        if not shown.ok:
            return [shown]
        today = time.localtime()
        form = hidden_fields(form_page)
        form.update({"note_type": "case_note", "subject": "Telephone call with the school",
                     "body": "Spoke to the designated safeguarding lead. Attendance has improved this term."})
        # The GOV.UK date boxes (core.forms.DateInputWidget): day, month, year.
        form.update(contact_date_0=today.tm_mday, contact_date_1=today.tm_mon, contact_date_2=today.tm_year)
        sent, location, _ = timed(client, "add a note (POST)", "POST", path, form, expect=302)
        if sent.ok and "/notes/" not in location:
            sent.ok, sent.detail = False, f"POST {path}: sent to {location}"
        return [shown, sent]
    return [timed(client, "my work", "GET", "/timescales/my-work/")[0]]


# --- the stack ---------------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(base: str, processes: list[subprocess.Popen], log: Path, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    client = Client(base, behind_proxy=True, timeout=5)
    while True:
        for process in processes:
            if process.poll() is not None:
                raise SystemExit(f"The stack stopped (exit {process.returncode}); see {log}")
        try:
            if client.request("GET", "/healthz")[0] == 200:
                return
        except OSError:
            client.close()
        if time.monotonic() > deadline:
            raise SystemExit(f"The stack did not answer within {seconds:.0f} s; see {log}")
        time.sleep(0.5)


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def run_checked(command: list[str], env: dict, what: str) -> None:
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"{what} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")


def demo_stack(users: int, accounts_file: Path, log: Path) -> tuple[str, list[subprocess.Popen], dict]:
    """manage.py demo on a copy of the demo database: gunicorn with threads and a worker, as `make demo`."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "OPENCSC_DATABASE", "PORT")}
    env.update({"DJANGO_SETTINGS_MODULE": "bench.load_settings", "PYTHONUNBUFFERED": "1"})
    source = Path(os.environ.get("OPENCSC_BENCH_LOAD_SOURCE") or ROOT / "var" / "demo.sqlite3")
    if not source.exists():
        source = BENCH_DIR / "load-demo-source.sqlite3"
        if not source.exists():
            print(f"No demo database: making one in {source} (manage.py demo --no-serve, a few minutes)…", flush=True)
            run_checked([PYTHON, "manage.py", "demo", "--no-serve"],
                        {**env, "OPENCSC_BENCH_LOAD_DB": str(source)}, "Making the demo database")
    copy = BENCH_DIR / "load-demo.sqlite3"
    for leftover in (copy, Path(f"{copy}-wal"), Path(f"{copy}-shm")):
        leftover.unlink(missing_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)  # consistent even while the demo runs on it
    env["OPENCSC_BENCH_LOAD_DB"] = str(copy)
    run_checked([PYTHON, "-m", "bench.load", "prepare", "--out", str(accounts_file), "--users", str(users)], env,
                "Preparing the accounts")
    port = int(os.environ.get("OPENCSC_BENCH_LOAD_PORT") or free_port())
    with log.open("w") as out:
        server = subprocess.Popen([PYTHON, "manage.py", "demo", "--port", str(port)], cwd=ROOT, env=env,
                                  stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    info = {"database": f"SQLite (WAL), a copy of {source}", "server": "manage.py demo: gunicorn 2 x 8 threads + worker"}
    return f"http://127.0.0.1:{port}", [server], info


def production_stack(users: int, accounts_file: Path, log: Path) -> tuple[str, list[subprocess.Popen], dict]:
    """config.settings.production on the PostgreSQL database in the environment: gunicorn + worker."""
    if not os.environ.get("DATABASE_URL") and os.environ.get("OPENCSC_DATABASE") != "postgres":
        raise SystemExit("The production target needs DATABASE_URL=postgres://... or OPENCSC_DATABASE=postgres and PG*")
    port = int(os.environ.get("OPENCSC_BENCH_LOAD_PORT") or free_port())
    env = dict(os.environ)
    env.pop("PORT", None)
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.production", "PYTHONUNBUFFERED": "1",
        "OPENCSC_SECRET_KEY": os.environ.get("OPENCSC_SECRET_KEY") or secrets.token_urlsafe(50),
        "OPENCSC_ALLOWED_HOSTS": "127.0.0.1,localhost", "OPENCSC_PROXY_SSL_HEADER": "1",
        "OPENCSC_STATIC_ROOT": os.environ.get("OPENCSC_STATIC_ROOT") or str(BENCH_DIR / "load-static"),
        "OPENCSC_MEDIA_ROOT": os.environ.get("OPENCSC_MEDIA_ROOT") or str(BENCH_DIR / "load-media"),
        "OPENCSC_WEB_BIND": f"127.0.0.1:{port}",
    })
    run_checked([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], env, "migrate")
    run_checked([PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"], env, "collectstatic")
    print("Filling the database with the default synthetic authority if it is empty…", flush=True)
    run_checked([PYTHON, "manage.py", "demo", "--no-serve"], env, "Generating the authority")
    run_checked([PYTHON, "-m", "bench.load", "prepare", "--out", str(accounts_file), "--users", str(users),
                 "--totp"], env, "Preparing the accounts")
    with log.open("w") as out:
        web = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "deploy/gunicorn.conf.py",
                                "config.wsgi:application"], cwd=ROOT, env=env, stdout=out,
                               stderr=subprocess.STDOUT, start_new_session=True)
        worker = subprocess.Popen([PYTHON, "manage.py", "worker"], cwd=ROOT, env=env, stdout=out,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    workers = env.get("OPENCSC_WEB_WORKERS") or f"{min(2 * (os.cpu_count() or 1), 8)}"
    info = {"database": "PostgreSQL", "server": f"gunicorn {workers} x {env.get('OPENCSC_WEB_THREADS') or 4} "
                                                "threads (deploy/gunicorn.conf.py) + worker"}
    return f"http://127.0.0.1:{port}", [web, worker], info


# --- figures ----------------------------------------------------------------------------------------------------

def percentile(ordered: list[float], p: float) -> float:
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def figures(values: list[float]) -> dict:
    ordered = sorted(values)
    return {"n": len(ordered), "p50_ms": round(percentile(ordered, 50), 1), "p95_ms": round(percentile(ordered, 95), 1),
            "p99_ms": round(percentile(ordered, 99), 1), "max_ms": round(ordered[-1], 1) if ordered else 0.0}


def server_log(log: Path) -> tuple[dict[str, float], dict[str, int]]:
    """Each request's time inside Django, by request id, and the slow queries logged, by route."""
    inside, slow = {}, {}
    if not log.exists():
        return inside, slow
    for line in log.read_text(errors="replace").splitlines():
        if not line.startswith("{"):
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("message") in ("request", "slow request") and entry.get("request_id"):
            inside[entry["request_id"]] = float(entry.get("duration_ms", 0))
        elif entry.get("message") == "slow query":
            route = entry.get("route") or "-"
            slow[route] = slow.get(route, 0) + 1
    return inside, slow


def measure(target: str, *, users: int, seconds: float, think: tuple[float, float], url: str = "",
            warmup: float = 5.0) -> dict:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    accounts_file = BENCH_DIR / f"load-{target}-accounts.json"
    log = BENCH_DIR / f"load-{target}-server.log"
    processes: list[subprocess.Popen] = []
    info: dict = {}
    try:
        if url:
            base = url.rstrip("/")
            if not accounts_file.exists():
                raise SystemExit(f"With --url, {accounts_file} must exist (python -m bench.load prepare ...)")
            info = {"database": "as running", "server": base}
        elif target == "demo":
            base, processes, info = demo_stack(users, accounts_file, log)
        else:
            base, processes, info = production_stack(users, accounts_file, log)
        if processes:
            wait_until_up(base, processes, log)
        prepared = json.loads(accounts_file.read_text())
        accounts = prepared["accounts"]
        run = Run(base=base, behind_proxy=target == "production", password=prepared["password"], think=think)
        authenticators = {a["username"]: Authenticator(a["totp_key"]) for a in accounts if a.get("totp_key")}
        workers = [a for a in accounts if a["kind"] == "worker"]
        managers = [a for a in accounts if a["kind"] == "manager"]
        n_managers = max(1, round(users * (1 - WORKER_SHARE)))
        plan = [workers[i % len(workers)] for i in range(users - n_managers)]
        plan += [managers[i % len(managers)] for i in range(n_managers)]
        rng = random.Random(16)
        threads = [
            threading.Thread(target=user_loop, args=(run, a, authenticators.get(a["username"]),
                                                     random.Random(rng.random())), daemon=True)
            for a in plan
        ]
        print(f"{len(threads)} simulated users signing in to {base}…", flush=True)
        signing = time.monotonic()
        for t in threads:
            t.start()
        while run.ready < len(threads):
            time.sleep(0.2)
        signed_in_s = time.monotonic() - signing
        now = time.monotonic()
        run.count_from, run.stop_at = now + warmup, now + warmup + seconds
        print(f"Signed in ({signed_in_s:.0f} s); {seconds:.0f} s of load after {warmup:.0f} s of warm-up…", flush=True)
        run.started.set()
        for t in threads:
            t.join(timeout=seconds + warmup + 120)
    finally:
        stop(processes)
    inside, slow = server_log(log) if processes else ({}, {})
    return report(target, run, users=users, seconds=seconds, think=think, info=info, inside=inside, slow=slow,
                  signed_in_s=signed_in_s)


def report(target: str, run: Run, *, users: int, seconds: float, think: tuple[float, float], info: dict,
           inside: dict, slow: dict, signed_in_s: float) -> dict:
    by_page: dict[str, list[Sample]] = {}
    for sample in run.samples:
        by_page.setdefault(sample.page, []).append(sample)
    goal = TARGETS[target]["p95_ms"]
    rows, pages = [], {}
    for page in sorted(by_page, key=lambda p: -len(by_page[p])):
        samples = by_page[page]
        found = figures([s.ms for s in samples])
        errors = sum(1 for s in samples if not s.ok)
        server = [inside[s.request_id] for s in samples if s.request_id in inside]
        server_p50 = round(statistics.median(server), 1) if server else None
        found.update(errors=errors, server_p50_ms=server_p50)
        pages[page] = found
        rows.append((page, found["n"], found["p50_ms"], found["p95_ms"], found["p99_ms"], found["max_ms"],
                     server_p50 if server_p50 is not None else "-", errors))
    everything = figures([s.ms for s in run.samples])
    errors = sum(1 for s in run.samples if not s.ok) + len(run.sign_in_failures)
    everything.update(errors=errors, requests_per_s=round(len(run.samples) / seconds, 1))
    rows.append(("all pages", everything["n"], everything["p50_ms"], everything["p95_ms"], everything["p99_ms"],
                 everything["max_ms"], "-", errors))
    think_text = "no think time" if think[1] == 0 else f"think time {think[0]:g}-{think[1]:g} s"
    common.table(
        f"Load on the {target} stack ({info.get('server')}; {info.get('database')}): {users} users, {think_text}, "
        f"{seconds:.0f} s; client-side times, ms; 'server p50': inside Django, from its request log",
        ("Page", "Requests", "p50", "p95", "p99", "max", "server p50", "Errors"),
        rows,
    )
    print(f"  {everything['requests_per_s']} requests a second; signing in took {signed_in_s:.0f} s (not counted)")
    print(f"  p95 of all pages {everything['p95_ms']} ms (target under {goal} ms{', no errors' if target == 'production' else ''}): "
          f"{common.verdict(everything['p95_ms'], goal)}{'' if errors == 0 else f'; {errors} ERRORS'}")
    if slow:
        print("  Slow queries logged (over OPENCSC_SLOW_QUERY_MS) by route: "
              + ", ".join(f"{route} {n}" for route, n in sorted(slow.items(), key=lambda kv: -kv[1])))
    details = [s.detail for s in run.samples if not s.ok][:5] + run.sign_in_failures[:5]
    for detail in details:
        print(f"  error: {detail}")
    print(f"  Command: {COMMAND} (OPENCSC_BENCH_LOAD_TARGET={target}, OPENCSC_BENCH_LOAD_USERS={users})")
    return {"target": target, "users": users, "seconds": seconds, "think_s": list(think), **info,
            "all": everything, "pages": pages, "slow_queries": slow, "sign_in_failures": len(run.sign_in_failures),
            "meets_target": everything["p95_ms"] < goal and (target != "production" or errors == 0)}


def _think(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    return float(low), float(high or low)


def options_from_environment() -> dict:
    target = os.environ.get("OPENCSC_BENCH_LOAD_TARGET", "demo")
    if target not in TARGETS:
        raise SystemExit(f"OPENCSC_BENCH_LOAD_TARGET must be one of {', '.join(TARGETS)}")
    defaults = TARGETS[target]
    think = os.environ.get("OPENCSC_BENCH_LOAD_THINK")
    return {
        "target": target,
        "users": int(os.environ.get("OPENCSC_BENCH_LOAD_USERS") or defaults["users"]),
        "seconds": float(os.environ.get("OPENCSC_BENCH_LOAD_SECONDS") or defaults["seconds"]),
        "think": _think(think) if think else defaults["think"],
        "url": os.environ.get("OPENCSC_BENCH_LOAD_URL", ""),
        "warmup": float(os.environ.get("OPENCSC_BENCH_LOAD_WARMUP") or 5),
    }


def run() -> dict:
    """`python -m bench load`: the target in OPENCSC_BENCH_LOAD_TARGET (demo by default)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")  # for common.write_results
    options = options_from_environment()
    target = options.pop("target")
    return {f"load_{target}": measure(target, **options)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n")[0])
    parser.add_argument("action", nargs="?", default="run", choices=("run", "prepare"))
    parser.add_argument("--target", choices=tuple(TARGETS), default="demo")
    parser.add_argument("--users", type=int)
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--think", help="seconds between a user's requests, e.g. 2-8 (0: none)")
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--url", default="", help="a stack already running (nothing is started)")
    parser.add_argument("--out", help="prepare: where to write the accounts")
    parser.add_argument("--totp", action="store_true", help="prepare: give each account a known device")
    args = parser.parse_args(argv)
    defaults = TARGETS[args.target]
    if args.action == "prepare":
        prepare(Path(args.out), args.users or defaults["users"], args.totp)
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")  # for common.write_results
    found = measure(args.target, users=args.users or defaults["users"], seconds=args.seconds or defaults["seconds"],
                    think=_think(args.think) if args.think else defaults["think"], url=args.url, warmup=args.warmup)
    common.write_results({f"load_{args.target}": found})


if __name__ == "__main__":
    main()
