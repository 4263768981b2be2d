import pytest
from pytest_django.asserts import assertContains

pytestmark = pytest.mark.django_db


def test_a_call_has_its_own_page(alice_browser, call):
    response = alice_browser.get(call.get_absolute_url())
    assertContains(response, f'id="call-{call.id}"')
    assertContains(response, f'href="{call.lead.get_absolute_url()}#call-{call.id}"')


def test_another_organizations_call_is_not_found(alice_browser, bob_call):
    assert alice_browser.get(bob_call.get_absolute_url()).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, call):
    assert client.get(call.get_absolute_url()).status_code == 302
