"""Benchmarks: `python -m bench` runs them all; `python -m bench.record_page` runs one.

They use their own SQLite database under var/bench/ (bench/settings.py), built
once and reused while bench/data.py's DATA_VERSION is unchanged.
"""
