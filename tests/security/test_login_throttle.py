"""Sign-in is throttled per username and address: guessing passwords soon stops working."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
ADMIN_LOGIN = reverse("admin:login")
REFUSED = "Too many failed sign-ins for this username. Wait 15 minutes and try again."


def sign_in(client, password, username="alice", address="203.0.113.7", url=LOGIN):
    data = {"username": username, "password": password}
    return client.post(url, data, REMOTE_ADDR=address)


@pytest.fixture
def guessed(client, alice, settings):
    """Alice's password guessed wrong as many times as allowed, from one address."""
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = sign_in(client, "wrong")
        assertContains(response, "correct username and password")


def test_after_the_limit_even_the_right_password_is_refused(client, guessed):
    response = sign_in(client, "password")

    assertContains(response, REFUSED)
    assert "_auth_user_id" not in client.session


def test_the_admin_sign_in_shares_the_count(client, guessed, acme_admin):
    response = sign_in(client, "password", url=ADMIN_LOGIN)

    assertContains(response, REFUSED)


def test_other_usernames_and_addresses_still_sign_in(client, guessed, bob):
    assert sign_in(client, "password", username="bob").status_code == 302
    client.logout()
    assert sign_in(client, "password", address="198.51.100.2").status_code == 302


def test_the_username_is_counted_whatever_its_case(client, guessed):
    assertContains(sign_in(client, "password", username="ALICE "), REFUSED)


def test_a_successful_sign_in_forgets_earlier_failures(client, alice, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        sign_in(client, "wrong")
    assert sign_in(client, "password").status_code == 302
    client.logout()

    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        sign_in(client, "wrong")
    assert sign_in(client, "password").status_code == 302
