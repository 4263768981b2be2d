"""Fixtures for the call API tests: an Acme call, and Globex's objects Alice must never reach."""

import pytest

from tests.conftest import make_call, make_contact, make_lead, make_outcome


@pytest.fixture
def call(lead, contact, alice):
    return make_call(lead, alice, contact=contact, phone="+16505551234")


@pytest.fixture
def bob_lead(globex):
    return make_lead(globex, name="Initech")


@pytest.fixture
def bob_contact(bob_lead):
    return make_contact(bob_lead, name="Peter Gibbons")


@pytest.fixture
def bob_outcome(globex):
    return make_outcome(globex, name="Globex demo")


@pytest.fixture
def bob_call(bob_lead, bob):
    return make_call(bob_lead, bob)
