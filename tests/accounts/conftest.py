"""Fixtures for the accounts API tests."""

import pytest

from accounts.models import ApiKey, Membership
from tests.conftest import api_client


@pytest.fixture
def api_client_for(db):
    """Return a test client with a new API key of `user` in `organization`."""

    def build(user, organization):
        _, key = ApiKey.issue(Membership.objects.get(user=user, organization=organization))
        return api_client(key)

    return build
