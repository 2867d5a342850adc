import pytest


@pytest.fixture
def make_user(db):
    from opencsc.accounts.tests.factories import UserFactory

    def make(role="social_worker", **kwargs):
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def signed_in(client, make_user):
    """A client signed in as a user of the given role: signed_in('team_manager')."""

    def sign_in(role="social_worker", **kwargs):
        user = make_user(role=role, **kwargs)
        client.force_login(user)
        client.user = user
        return client

    return sign_in


# On PostgreSQL, run the tests that touch the database. A test that uses no database (rules, parsers,
# code lists, pure functions) gives the same result whatever the database, and SQLite's run has it.
# (django_db_blocker is not one: pytest-django's autouse fixtures ask every test for it.)
DB_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server", "django_db_reset_sequences",
               "django_db_serialized_rollback"}


def _uses_database(item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(DB_FIXTURES & set(item.fixturenames))


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups (it names each grouped test by its group)
def pytest_collection_modifyitems(config, items):
    import os

    # The modules that read the shared synthetic authority run together, on one worker (see
    # opencsc/synthetic/testing.py), so it is generated once for the whole run.
    for item in items:
        if item.get_closest_marker("shared_authority") is not None:
            item.add_marker(pytest.mark.xdist_group("authority"))
    if os.environ.get("OPENCSC_DATABASE") != "postgres" or os.environ.get("OPENCSC_PG_ALL_TESTS"):
        return
    keep = [item for item in items if _uses_database(item)]
    skipped = [item for item in items if not _uses_database(item)]
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = keep


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    from opencsc.synthetic import testing

    if testing.uses_shared_authority(item) and not testing.uses_shared_authority(nextitem):
        testing.release_shared_authority()


@pytest.fixture(scope="module")
def authority(request, django_db_setup, django_db_blocker):
    """The shared synthetic authority (opencsc.synthetic.testing.SHARED), for modules marked
    `pytest.mark.shared_authority`: generated once per run, read by every such module."""
    from opencsc.synthetic import testing

    if request.node.get_closest_marker("shared_authority") is None:
        raise pytest.UsageError(f"{request.node.nodeid}: mark the module pytest.mark.shared_authority")
    return testing.shared_authority(django_db_blocker)
