"""Benchmark settings: the demo settings with a database file of their own and fast hashing."""

from config.settings.demo import *  # noqa: F401,F403
from config.settings.demo import ALLOWED_HOSTS, BASE_DIR, database_from_environment

BENCH_DIR = BASE_DIR / "var" / "bench"
DATABASES = {"default": database_from_environment(BENCH_DIR / "bench.sqlite3")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
DEBUG = False
# The benchmarks print their own figures: the JSON request log (one line a request) only from WARNING up.
LOGGING = {**LOGGING, "root": {**LOGGING["root"], "level": "WARNING"}}  # noqa: F405
