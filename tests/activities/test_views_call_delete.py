import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from activities.models import Call
from tests.conftest import make_call

pytestmark = pytest.mark.django_db


def delete_url(call):
    return reverse("activities:call_delete", args=[call.id])


def test_deleting_asks_first(alice_browser, call):
    response = alice_browser.get(delete_url(call))
    assertContains(response, "Delete this call?")
    assertContains(
        response,
        '<button type="submit" class="button button--danger">Delete call</button>',
        html=True,
    )
    keep = f"{call.lead.get_absolute_url()}#call-{call.id}"
    assertContains(response, f'<a href="{keep}">Keep it</a>', html=True)
    assert Call.objects.filter(pk=call.pk).exists()


def test_confirming_deletes_the_call_and_returns_to_the_lead(alice_browser, alice, lead, call):
    earlier = make_call(lead, alice, activity_at=call.activity_at.replace(year=2020))
    response = alice_browser.post(delete_url(call))
    assertRedirects(response, lead.get_absolute_url())
    assert list(Call.objects.all()) == [earlier]
    lead.refresh_from_db()
    assert lead.last_activity_at == earlier.activity_at


def test_another_organizations_call_is_not_found(alice_browser, bob_call):
    assert alice_browser.get(delete_url(bob_call)).status_code == 404
    assert alice_browser.post(delete_url(bob_call)).status_code == 404
    assert Call.objects.filter(pk=bob_call.pk).exists()
