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
DB_FIXTURES = {"db", "transactional_db", "django_db_setup", "django_db_blocker", "live_server",
               "django_db_reset_sequences", "django_db_serialized_rollback"}


def _uses_database(item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(DB_FIXTURES & set(item.fixturenames))


def pytest_collection_modifyitems(config, items):
    import os

    if os.environ.get("OPENCSC_DATABASE") != "postgres" or os.environ.get("OPENCSC_PG_ALL_TESTS"):
        return
    keep = [item for item in items if _uses_database(item)]
    skipped = [item for item in items if not _uses_database(item)]
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = keep
