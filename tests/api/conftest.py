"""Fixtures for the API-wide tests."""

import pytest

from tests.conftest import make_call


@pytest.fixture
def call(lead, alice):
    return make_call(lead, alice)
