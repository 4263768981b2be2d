"""Fixtures for the call tests: an Acme call."""

import pytest

from tests.conftest import make_call


@pytest.fixture
def call(lead, contact, alice):
    return make_call(lead, alice, contact=contact, phone="+16505551234")
