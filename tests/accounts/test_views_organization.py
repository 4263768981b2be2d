import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from accounts.models import Membership
from tests.conftest import make_lead

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_in_both(alice, globex):
    Membership.objects.create(user=alice, organization=globex)
    return alice


def test_a_member_of_several_organizations_gets_a_picker(alice_browser, alice_in_both):
    response = alice_browser.get(reverse("leads:list"))
    assertContains(response, '<select id="org-switcher" name="organization">')
    assertContains(response, "Globex</option>")


def test_picking_an_organization_scopes_the_pages_and_is_remembered(
    alice_browser, alice_in_both, acme, globex
):
    make_lead(acme, name="Acme lead")
    globex_lead = make_lead(globex, name="Globex lead")
    response = alice_browser.post(reverse("switch_organization"), {"organization": globex.id})
    assertRedirects(response, reverse("leads:list"))
    names = [lead.name for lead in alice_browser.get(reverse("leads:list")).context["page"]]
    assert names == ["Globex lead"]
    assert alice_browser.get(globex_lead.get_absolute_url()).status_code == 200


def test_an_organization_one_is_not_a_member_of_cannot_be_picked(alice_browser, acme, globex):
    make_lead(globex, name="Globex lead")
    response = alice_browser.post(
        reverse("switch_organization"), {"organization": globex.id}, follow=True
    )
    assertContains(response, "You are not a member of that organization.")
    assert [lead.name for lead in response.context["page"]] == []


def test_switching_is_a_post(alice_browser, alice_in_both):
    assert alice_browser.get(reverse("switch_organization")).status_code == 405
