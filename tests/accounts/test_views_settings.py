import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

pytestmark = pytest.mark.django_db


def test_the_settings_page_offers_the_time_zones(alice_browser):
    response = alice_browser.get(reverse("account_settings"))
    assertContains(response, '<option value="Europe/Paris">Europe/Paris</option>', html=True)
    assertContains(response, '<option value="UTC" selected>UTC</option>', html=True)
    assertContains(response, 'src="/static/js/settings.js"')


def test_picking_a_time_zone_saves_it(alice_browser, alice):
    response = alice_browser.post(reverse("account_settings"), {"time_zone": "America/New_York"})
    assertRedirects(response, reverse("account_settings"))
    alice.refresh_from_db()
    assert alice.time_zone == "America/New_York"


def test_an_unknown_time_zone_is_refused(alice_browser, alice):
    response = alice_browser.post(reverse("account_settings"), {"time_zone": "Mars/Olympus"})
    assertContains(response, "Select a valid choice.")
    alice.refresh_from_db()
    assert alice.time_zone == "UTC"


def test_a_broken_stored_time_zone_falls_back_to_utc(alice_browser, alice):
    alice.time_zone = "Nowhere/Special"
    alice.save()
    assert alice_browser.get(reverse("leads:list")).status_code == 200
