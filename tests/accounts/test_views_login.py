import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_is_styled_like_the_app(client):
    response = client.get(reverse("login"))
    assertContains(response, "<h1>Sign in</h1>", html=True)
    assertContains(response, '<link rel="stylesheet" href="/static/css/app.css">', html=True)


def test_signing_in_lands_on_the_home(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "password"})
    assertRedirects(response, reverse("home"))


def test_signing_in_returns_to_the_page_asked_for(client, alice, lead):
    url = f"{reverse('login')}?next={lead.get_absolute_url()}"
    response = client.post(
        url, {"username": "alice", "password": "password", "next": lead.get_absolute_url()}
    )
    assertRedirects(response, lead.get_absolute_url())


def test_a_wrong_password_is_reported(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "nope"})
    assertContains(response, "Please enter a correct username and password")


def test_signing_out_is_a_post_and_ends_the_session(alice_browser):
    response = alice_browser.post(reverse("logout"))
    assertRedirects(response, reverse("login"))
    assert alice_browser.get(reverse("leads:list")).status_code == 302


def test_the_header_has_the_sign_out_button_and_the_organization(alice_browser):
    response = alice_browser.get(reverse("leads:list"))
    assertContains(
        response, '<button type="submit" class="link-button">Sign out</button>', html=True
    )
    assertContains(response, '<span class="org-name">Acme</span>', html=True)
