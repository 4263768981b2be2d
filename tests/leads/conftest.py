"""Fixtures for the lead and contact API tests: Globex's objects Alice must never reach."""

import pytest

from tests.conftest import make_contact, make_lead


@pytest.fixture
def bob_lead(globex):
    return make_lead(globex, name="Initech")


@pytest.fixture
def bob_contact(bob_lead):
    return make_contact(bob_lead, name="Peter Gibbons")
