import pytest

from opencsc.jobs import registry
from opencsc.jobs.registry import JobError, JobResult


class Calls:
    def __init__(self):
        self.runs = []
        self.fail_times = 0
        self.error = RuntimeError("the disk is full")


@pytest.fixture
def calls():
    return Calls()


@pytest.fixture
def test_jobs(monkeypatch, calls):
    """Three test jobs: one that counts (exclusive), one that may fail, one nightly."""
    monkeypatch.setattr(registry, "JOBS", {})  # only these: none of the real (nightly) jobs

    @registry.job("test.count", title="Count things", exclusive=True, max_attempts=3)
    def count(progress, *, upto=3):
        calls.runs.append(("count", upto, progress.user))
        for n in range(upto):
            progress(n, upto, f"Counted {n}")
        if len([r for r in calls.runs if r[0] == "count"]) <= calls.fail_times:
            raise calls.error
        return JobResult("jobs:list", (), "See your jobs")

    @registry.job("test.refused", title="Refuse", max_attempts=3)
    def refused(progress):
        calls.runs.append(("refused",))
        raise JobError("There is nothing to do: the year has no children")

    @registry.job("test.nightly", title="Nightly tidy", nightly=True, exclusive=True, max_attempts=1)
    def nightly(progress):
        calls.runs.append(("nightly",))

    return registry.JOBS
