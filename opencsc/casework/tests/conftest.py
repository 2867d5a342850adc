import pytest

from opencsc.accounts.roles import Role


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores uploads in its own folder, so tests can look at what was left on disk."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def child(db):
    from opencsc.people.tests.factories import ChildFactory

    return ChildFactory()


ALL_ROLES = list(Role)


def files_under(path):
    return sorted(p for p in path.rglob("*") if p.is_file())
