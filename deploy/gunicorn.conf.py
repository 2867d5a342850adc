"""gunicorn's configuration for OpenCSC's web processes (docs/deploy.md).

    gunicorn -c deploy/gunicorn.conf.py config.wsgi:application

Every value comes from the environment, with the default shown; the systemd unit reads them from
/etc/opencsc/opencsc.env. Command-line options given after -c win over these (the demo passes
--bind, --workers and --threads).

Threads (the gthread worker): a request mostly waits on the database, so a few processes with several
threads each serve more users than many single-threaded processes, in less memory.

No access log by default: the application logs every request itself, as a JSON line with its request
id, user id, route, status and duration (docs/deploy.md). OPENCSC_WEB_ACCESS_LOG=1 adds gunicorn's
own, also as JSON lines, without the query string (it can hold a child's name from a search).
"""

import multiprocessing
import os


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def _int(name: str, default: int) -> int:
    value = _env(name, str(default))
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number (it is {value!r})") from None


# Where to listen: the proxy (nginx) connects here. Loopback by default: never expose gunicorn itself.
bind = [b.strip() for b in _env("OPENCSC_WEB_BIND", "127.0.0.1:8000").split(",") if b.strip()]
# Processes and threads per process: by default 2 processes per core (at most 8), 4 threads each.
workers = _int("OPENCSC_WEB_WORKERS", min(2 * multiprocessing.cpu_count(), 8))
worker_class = "gthread"
threads = _int("OPENCSC_WEB_THREADS", 4)
# A request that takes longer than this is killed (and logged by gunicorn); the proxy waits a little longer.
timeout = _int("OPENCSC_WEB_TIMEOUT", 60)
# On a reload or stop, requests in flight get this long to finish.
graceful_timeout = _int("OPENCSC_WEB_GRACEFUL_TIMEOUT", 30)
# Keep-alive with the proxy: nginx reuses its connections to gunicorn (upstream keepalive).
keepalive = _int("OPENCSC_WEB_KEEPALIVE", 75)
# Each process is replaced after about this many requests (0: never), so that memory cannot creep up.
max_requests = _int("OPENCSC_WEB_MAX_REQUESTS", 2000)
max_requests_jitter = max(max_requests // 10, 0)
# Off by default, so that a reload (SIGHUP, `systemctl reload opencsc-web`) starts new processes with the new
# code while the old ones finish their requests. On: the application is loaded once, before forking (less
# memory), but then only a restart picks up new code.
preload_app = _env("OPENCSC_WEB_PRELOAD", "0") == "1"

# The proxies whose X-Forwarded-Proto (and X-Forwarded-For) are believed: nginx on the same machine by
# default; the load balancer's addresses when it connects to gunicorn directly. Never "*" on a network
# others can reach.
forwarded_allow_ips = _env("OPENCSC_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
proxy_allow_ips = forwarded_allow_ips

# Request limits (nginx refuses larger bodies first: client_max_body_size).
limit_request_line = 8190
limit_request_fields = 100

# Logs: gunicorn's own messages (start, stop, worker timeouts) to stderr, which systemd's journal keeps.
errorlog = "-"
loglevel = _env("OPENCSC_WEB_LOG_LEVEL", "info")
if _env("OPENCSC_WEB_ACCESS_LOG", "0") == "1":
    accesslog = "-"
    access_log_format = (
        '{"log": "gunicorn.access", "remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", "status": %(s)s, '
        '"bytes": "%(B)s", "duration_ms": %(M)s, "request_id": "%({x-request-id}i)s"}'
    )
else:
    accesslog = None

# gunicorn's control socket (for `gunicornc`): only where asked for, as the systemd unit does in its runtime
# directory. Its default, one path per user, would be shared by every gunicorn that user runs.
control_socket = _env("OPENCSC_WEB_CONTROL_SOCKET", "")
if control_socket:
    control_socket_mode = 0o600
else:
    control_socket_disable = True

proc_name = "opencsc-web"
# Temporary files for worker heartbeats in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
