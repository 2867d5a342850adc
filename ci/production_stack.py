#!/usr/bin/env python
"""CI: the production stack over HTTPS, on loopback, as docs/deploy.md sets it up.

A fresh PostgreSQL database (the server .ci/run started: PGHOST, PGPORT, PGUSER), `migrate` and
`collectstatic` with config.settings.production, one staff user, then gunicorn with deploy/gunicorn.conf.py,
`manage.py worker`, and nginx (Debian's) running deploy/nginx/opencsc.conf itself with its ports, paths
and a self-signed certificate swapped in. Then Chromium (headless, Debian's) signs in over HTTPS with
two-factor set-up as a new member of staff does it (the administrator's set-up code, then the app's key,
whose codes are computed here), opens a few pages, and this checks:

- plain HTTP answers with one redirect to HTTPS, then 200: no redirect loop;
- HSTS on every HTTPS answer, pages and static files;
- static files load from nginx: 200, content-hashed names, cached for a year;
- the session and CSRF cookies are Secure and HttpOnly;
- /healthz is 200, and /readyz 200 once the worker has reported in;
- a body larger than the upload limit is refused by nginx (413); an unknown host gets no answer.

Every process is stopped and the database dropped on exit, whatever happens.
Run it alone:  PGHOST=127.0.0.1 PGPORT=5432 PGUSER=opencsc .venv/bin/python ci/production_stack.py
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django_otp.oath import hotp

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
CHROMIUM = Path(os.environ.get("OPENCSC_CHROMIUM", "/usr/bin/chromium"))
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HOST = "localhost"  # a name, not 127.0.0.1: browsers send no SNI for an address, and nginx wants the name
USERNAME = "ci.worker"
PASSWORD = secrets.token_urlsafe(18)
HASHED = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")
YEAR = 31536000
STARTED = time.monotonic()
ALLOWED_SECONDS = 90


def say(message: str) -> None:
    print(f"   [{time.monotonic() - STARTED:5.1f} s] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def totp(secret: str, *, at: float | None = None) -> str:
    """The authenticator app's 6-digit code for a base32 key (RFC 6238: SHA-1, 30-second steps)."""
    key = base64.b32decode(secret.replace(" ", "").upper() + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{hotp(key, int((time.time() if at is None else at) // 30)):06d}"  # django-otp's, as the server


class Failure(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise Failure(message)


class Stack:
    """The processes started here (each in a session of its own) and the database made here."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="opencsc-stack."))
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}
        self.database = f"opencsc_stack_{os.getpid()}"
        self.database_made = False
        self.web_port, self.http_port, self.https_port = free_port(), free_port(), free_port()
        self.env = self.app_environment()

    # --- the database -------------------------------------------------------------------------------
    def admin_connection(self):
        import psycopg

        return psycopg.connect(
            host=os.environ["PGHOST"], port=os.environ.get("PGPORT", "5432"), user=os.environ.get("PGUSER", "opencsc"),
            password=os.environ.get("PGPASSWORD") or None, dbname="postgres", autocommit=True,
        )

    def create_database(self) -> None:
        with self.admin_connection() as db:
            db.execute(f'DROP DATABASE IF EXISTS "{self.database}"')
            db.execute(f'CREATE DATABASE "{self.database}"')
        self.database_made = True

    def drop_database(self) -> None:
        if self.database_made:
            with self.admin_connection() as db:
                db.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    # --- the application's environment, as /etc/opencsc/opencsc.env would give it ------------------
    def app_environment(self) -> dict[str, str]:
        user = os.environ.get("PGUSER", "opencsc")
        password = os.environ.get("PGPASSWORD", "")
        credentials = f"{user}:{password}" if password else user
        host, port = os.environ.get("PGHOST", "127.0.0.1"), os.environ.get("PGPORT", "5432")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENCSC_", "DJANGO_"))}
        env.pop("PORT", None)
        env.update({
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "PYTHONUNBUFFERED": "1",
            "OPENCSC_SECRET_KEY": secrets.token_urlsafe(50),
            "OPENCSC_ALLOWED_HOSTS": f"{HOST},127.0.0.1",
            "OPENCSC_PROXY_SSL_HEADER": "1",
            "OPENCSC_TRUSTED_PROXIES": "127.0.0.1,::1",
            # Not needed when the proxy passes the Host header with its port (deploy/nginx/opencsc.conf does):
            # CSRF's origin check then passes on the host alone. Left out to prove it.
            "DATABASE_URL": f"postgres://{credentials}@{host}:{port}/{self.database}",
            "OPENCSC_DATABASE": "postgres",
            "PGDATABASE": self.database,
            "OPENCSC_STATIC_ROOT": str(self.dir / "www" / "static"),
            "OPENCSC_MEDIA_ROOT": str(self.dir / "media"),
            "OPENCSC_BACKUP_DIR": str(self.dir / "backups"),
            "OPENCSC_LOG_LEVEL": "INFO",
            "OPENCSC_WEB_BIND": f"127.0.0.1:{self.web_port}",
            "OPENCSC_WEB_WORKERS": "2",
            "OPENCSC_WEB_THREADS": "4",
            "OPENCSC_WORKER_HEARTBEAT_SECONDS": "2",
        })
        return env

    # --- processes ----------------------------------------------------------------------------------
    def start(self, name: str, command: list[str], **kwargs) -> subprocess.Popen:
        log = self.dir / f"{name}.log"
        self.logs[name] = log
        with log.open("w") as out:
            process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                       start_new_session=True, **{"env": self.env, **kwargs})
        self.processes[name] = process
        return process

    def manage(self, *args: str, timeout: float = 120) -> str:
        result = subprocess.run([str(PYTHON), "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True,
                                text=True, timeout=timeout)
        if result.returncode:
            raise Failure(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def still_running(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise Failure(f"{name} stopped (exit status {process.returncode})")

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 10
        for process in self.processes.values():
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                pass
            try:
                os.killpg(process.pid, signal.SIGKILL)  # anything the group left behind
            except (ProcessLookupError, PermissionError):
                pass
            process.wait()

    def show_logs(self) -> None:
        for name, log in self.logs.items():
            text = log.read_text(errors="replace") if log.exists() else ""
            print(f"--- {name} log (last 60 lines) ---")
            print("\n".join(text.splitlines()[-60:]))

    # --- nginx: deploy/nginx/opencsc.conf with the ports, paths and certificate of this run -----------
    def nginx_config(self) -> Path:
        site = (ROOT / "deploy" / "nginx" / "opencsc.conf").read_text()
        cert, key = self.dir / "tls" / "cert.pem", self.dir / "tls" / "key.pem"
        swaps = [
            ("server 127.0.0.1:8000 ", f"server 127.0.0.1:{self.web_port} "),
            ("    listen [::]:80 default_server;\n", ""),
            ("    listen [::]:443 ssl default_server;\n", ""),
            ("    listen [::]:80;\n", ""),
            ("    listen [::]:443 ssl http2;\n", ""),
            ("listen 80 default_server;", f"listen 127.0.0.1:{self.http_port} default_server;"),
            ("listen 443 ssl default_server;", f"listen 127.0.0.1:{self.https_port} ssl default_server;"),
            ("listen 80;", f"listen 127.0.0.1:{self.http_port};"),
            ("listen 443 ssl http2;", f"listen 127.0.0.1:{self.https_port} ssl http2;"),
            ("server_name opencsc.example.gov.uk;", f"server_name {HOST};"),
            ("return 301 https://$host$request_uri;", f"return 301 https://$host:{self.https_port}$request_uri;"),
            ("/etc/ssl/opencsc/fullchain.pem", str(cert)),
            ("/etc/ssl/opencsc/privkey.pem", str(key)),
            ("root /var/lib/opencsc;", f"root {self.dir / 'www'};"),
        ]
        for old, new in swaps:
            check(old in site, f"deploy/nginx/opencsc.conf no longer has {old.strip()!r}: update ci/production_stack.py")
            site = site.replace(old, new)
        (self.dir / "tls").mkdir()
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={HOST}",
             "-addext", f"subjectAltName=DNS:{HOST},IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
            check=True, capture_output=True,
        )
        (self.dir / "nginx").mkdir()
        (self.dir / "nginx" / "opencsc.conf").write_text(site)
        temp = self.dir / "nginx"
        main = f"""
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
daemon off;
pid {temp}/nginx.pid;
error_log stderr warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log off;
    client_body_temp_path {temp}/client_body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {temp}/opencsc.conf;
}}
"""
        path = self.dir / "nginx" / "nginx.conf"
        path.write_text(main)
        return path


def wait_for(what: str, test, *, seconds: float, stack: Stack) -> None:
    deadline = time.monotonic() + seconds
    while True:
        stack.still_running()
        try:
            if test():
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise Failure(f"{what}: not within {seconds:.0f} s")
        time.sleep(0.2)


def request(url: str, *, method: str = "GET", host: str | None = None, body: bytes | None = None):
    """One request, no redirect followed, the self-signed certificate accepted: (status, headers)."""
    scheme, _, rest = url.partition("://")
    netloc, _, path = rest.partition("/")
    hostname, _, port = netloc.partition(":")
    if scheme == "https":
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        connection = http.client.HTTPSConnection(hostname, int(port), context=context, timeout=10)
    else:
        connection = http.client.HTTPConnection(hostname, int(port), timeout=10)
    try:
        headers = {"Host": host} if host else {}
        if body is not None:
            headers["Content-Type"] = "application/octet-stream"
        connection.request(method, "/" + path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}
    finally:
        connection.close()


def hsts(headers: dict) -> bool:
    return "max-age=31536000" in headers.get("strict-transport-security", "")


def http_checks(stack: Stack, base: str, with_worker: bool) -> None:
    http_base = f"http://{HOST}:{stack.http_port}"
    status, headers = request(f"{http_base}/accounts/sign-in/?next=/")
    check(status == 301 and headers.get("location") == f"{base}/accounts/sign-in/?next=/",
          f"plain HTTP: expected one 301 to {base}/accounts/sign-in/?next=/, got {status} {headers.get('location')}")
    status, headers = request(f"{base}/accounts/sign-in/?next=/")
    check(status == 200, f"the sign-in page over HTTPS: {status} (a redirect here would loop)")
    check(hsts(headers), f"no HSTS header on the sign-in page: {headers}")
    check(headers.get("x-request-id", "") != "", "no X-Request-ID from nginx")
    say("plain HTTP: one redirect to HTTPS, then 200, with HSTS")
    status, headers = request(f"{base}/healthz")
    check(status == 200, f"/healthz: {status}")
    if with_worker:
        wait_for("/readyz 200 (the worker reported in)", lambda: request(f"{base}/readyz")[0] == 200, seconds=30,
                 stack=stack)
        say("/healthz 200; /readyz 200 with the worker reporting in")
    else:
        say("/healthz 200 (no worker in this version: /readyz not checked)")
    status, _ = request(f"{base}/accounts/sign-in/", method="POST", body=b"x" * (22 * 1024 * 1024))
    check(status == 413, f"a 22 MB body: expected 413 from nginx, got {status}")
    try:
        status, _ = request(f"{http_base}/", host="somewhere-else.example")
    except (http.client.RemoteDisconnected, ConnectionError):
        status = None
    check(status is None, f"a request for another host name was answered ({status})")
    say("a 22 MB body refused (413); another host name dropped unanswered")


def browser_checks(stack: Stack, base: str, set_up_code: str) -> None:
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    responses = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
        )
        try:
            context = browser.new_context(ignore_https_errors=True, locale="en-GB", timezone_id="Europe/London")
            context.set_default_timeout(15_000)
            page = context.new_page()
            page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on("response", lambda r: responses.append(r))

            # Plain HTTP first (before any HSTS is known): one redirect to HTTPS, then the sign-in page.
            response = page.goto(f"http://{HOST}:{stack.http_port}/")
            chain = [response.request]
            while chain[-1].redirected_from is not None:
                chain.append(chain[-1].redirected_from)
            urls = [r.url for r in reversed(chain)]
            check(response.status == 200 and len(urls) == len(set(urls)) and len(urls) <= 3,
                  f"the browser's way from http:// to a page: {urls} ending {response.status}")
            check(urls[1].startswith(f"{base}/"), f"plain HTTP did not go straight to HTTPS: {urls}")
            check(page.url.startswith(f"{base}/accounts/sign-in/"), f"not the sign-in page: {page.url}")
            say(f"browser: {' -> '.join(urls)} -> 200")

            page.locator("input[name=username]").fill(USERNAME)
            page.locator("input[name=password]").fill(PASSWORD)
            with page.expect_navigation():
                page.get_by_role("button", name="Sign in").click()
            check("/accounts/two-factor/" in page.url, f"after the password, not the two-factor page: {page.url}")
            page.locator("input[name=enrolment_code]").fill(set_up_code)
            with page.expect_navigation():
                page.get_by_role("button", name="Continue").click()
            secret = (page.locator("#totp-secret").text_content() or "").strip()
            check(bool(secret), "the two-factor set-up page shows no key")
            page.locator("input[name=code]").fill(totp(secret))
            with page.expect_navigation():
                page.get_by_role("button", name="Confirm and continue").click()
            check(page.get_by_text("recovery codes", exact=False).count() > 0,
                  f"after the first code, no recovery codes: {page.url}")
            with page.expect_navigation():
                page.get_by_role("link", name=re.compile("continue")).click()
            say(f"browser: signed in with a password and two-factor set-up, now at {page.url}")

            for path in ("/timescales/my-work/", "/children/?q=Smith", "/accessibility/"):
                response = page.goto(f"{base}{path}")
                check(response.status == 200 and response.request.redirected_from is None,
                      f"{path}: {response.status} at {page.url}")
                check(hsts(response.headers), f"{path}: no HSTS header")
                check("no-store" in response.headers.get("cache-control", ""), f"{path}: a page that may be kept")
            say("browser: My work, a search and the accessibility page: 200, with HSTS, never cached")

            statics = [r for r in responses if "/static/" in r.url]
            check(len(statics) >= 2, f"only {len(statics)} static files loaded")
            for r in statics:
                name = r.url.split("?")[0]
                check(r.status in (200, 304), f"static file {r.url}: {r.status}")
                check(bool(HASHED.search(name)), f"static file without a content hash in its name: {r.url}")
                cache = r.headers.get("cache-control", "")
                check(f"max-age={YEAR}" in cache and "immutable" in cache, f"static file {r.url}: Cache-Control {cache!r}")
                check(hsts(r.headers), f"static file {r.url}: no HSTS header")
            say(f"static files: {len({r.url for r in statics})} loaded, all hashed, cached for a year, with HSTS")

            cookies = {c["name"]: c for c in context.cookies()}
            for name in ("sessionid", "csrftoken"):
                check(name in cookies, f"no {name} cookie: {sorted(cookies)}")
                check(cookies[name]["secure"] and cookies[name]["httpOnly"],
                      f"cookie {name} is not Secure and HttpOnly: {cookies[name]}")
            say("cookies: sessionid and csrftoken are Secure and HttpOnly")
            context.close()
        finally:
            browser.close()
    csp = [p for p in problems if re.search("content security policy", p, re.I) or p.startswith("page error")]
    check(not csp, "the browser reported:\n" + "\n".join(csp))


def main() -> int:
    for need, what in ((CHROMIUM, "chromium"), (Path(NGINX), "nginx")):
        if not need.exists():
            print(f"{need} not found: apt-get install {what}")
            return 1
    if "PGHOST" not in os.environ:
        print("Set PGHOST, PGPORT and PGUSER to a PostgreSQL server this may create a database on")
        return 1
    stack = Stack()
    with_worker = (ROOT / "opencsc" / "jobs").is_dir()
    base = f"https://{HOST}:{stack.https_port}"
    ok = False
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        stack.create_database()
        say(f"database {stack.database} made; migrate and collectstatic, at once")
        migrate = subprocess.Popen([str(PYTHON), "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT,
                                   env=stack.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        collect = subprocess.Popen([str(PYTHON), "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=ROOT,
                                   env=stack.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        config = stack.nginx_config()
        for name, process in (("migrate", migrate), ("collectstatic", collect)):
            output, _ = process.communicate(timeout=120)
            check(process.returncode == 0, f"manage.py {name} failed:\n{output}")
        check((stack.dir / "www" / "static" / "staticfiles.json").exists(), "collectstatic wrote no manifest")
        say("migrated; static files collected")
        stack.start("gunicorn", [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "deploy/gunicorn.conf.py",
                                 "config.wsgi:application"])
        if with_worker:
            stack.start("worker", [str(PYTHON), "manage.py", "worker"])
        stack.start("nginx", [NGINX, "-p", str(stack.dir / "nginx"), "-c", str(config), "-e", "stderr"])
        # While they start: a social worker, and the set-up code an administrator would give them.
        output = stack.manage("shell", "-c", (
            "from django.core.management import call_command\n"
            "from opencsc.accounts.models import Team, User\n"
            "from opencsc.accounts.roles import Role, TeamKind\n"
            "team = Team.objects.create(name='Referral and assessment team 1', kind=TeamKind.REFERRAL_ASSESSMENT)\n"
            f"User.objects.create_user({USERNAME!r}, password={PASSWORD!r}, role=Role.SOCIAL_WORKER, team=team,"
            " first_name='Casey', last_name='Worker')\n"
            f"call_command('two_factor_code', {USERNAME!r})\n"
        ))
        found = re.search(r"Set-up code for \S+: (\S+)", output)
        check(found is not None, f"no set-up code in: {output}")
        say("a social worker made, with a two-factor set-up code (manage.py two_factor_code)")
        wait_for("gunicorn and nginx answering", lambda: request(f"{base}/healthz")[0] == 200, seconds=30,
                 stack=stack)
        say(f"gunicorn{', the worker' if with_worker else ''} and nginx up: {base}/")

        http_checks(stack, base, with_worker)
        browser_checks(stack, base, found.group(1))
        stack.still_running()
        ok = True
    except Failure as failure:
        print(f"FAILED: {failure}")
    finally:
        stack.stop()
        if not ok:
            stack.show_logs()
        try:
            stack.drop_database()
        except Exception as error:  # noqa: BLE001 - cleaning up must not hide the result
            print(f"(could not drop {stack.database}: {error})")
        shutil.rmtree(stack.dir, ignore_errors=True)
        signal.signal(signal.SIGTERM, previous)
    took = time.monotonic() - STARTED
    if ok and took > ALLOWED_SECONDS:
        print(f"WARNING: the stage took {took:.0f} s, more than its {ALLOWED_SECONDS} s budget")
    print(json.dumps({"production_stack": "passed" if ok else "failed", "seconds": round(took, 1)}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
