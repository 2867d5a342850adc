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
