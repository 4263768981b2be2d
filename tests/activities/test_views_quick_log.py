"""Logging a call that did not connect in one click, and undoing it for a few seconds after."""

import re
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from accounts.models import Membership
from activities import services
from activities.models import Call
from activities.undo import UNDO_SECONDS
from tests.conftest import make_contact, make_lead, make_user

pytestmark = pytest.mark.django_db


def quick_log(client, lead, contact, disposition="no-answer"):
    url = reverse("activities:call_quick_log", args=[lead.id])
    return client.post(url, {"contact": contact.id, "disposition": disposition})


def undo_token_shown(client, response):
    """Follow the quick log's redirect; return the undo token its flash message carries."""
    page = client.get(response.url)
    assertContains(page, '>Undo<span class="visually-hidden"> the call just logged</span></button>')
    return re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)


def undo(client, call, token):
    return client.post(reverse("activities:call_undo", args=[call.id]), {"token": token})


@pytest.mark.parametrize("disposition", ["no-answer", "vm-left", "busy"])
def test_one_click_logs_an_outbound_call_that_needs_nothing_else(
    alice_browser, alice, lead, contact, disposition
):
    response = quick_log(alice_browser, lead, contact, disposition)

    call = Call.objects.get()
    assertRedirects(
        response,
        f"{lead.get_absolute_url()}?highlight={call.id}#call-{call.id}",
        fetch_redirect_response=False,
    )
    assert (call.lead, call.contact, call.phone) == (lead, contact, "+16505551234")
    assert (call.user, call.created_by) == (alice, alice)
    assert (call.direction, call.disposition, call.duration) == ("outbound", disposition, 0)
    assert call.call_method == "regular"
    lead.refresh_from_db()
    assert lead.calls_count == 1


def test_the_lead_page_offers_one_click_logging_on_each_contact_with_a_phone(
    alice_browser, lead, contact
):
    make_contact(lead, name="No Phone", phones=[])

    response = alice_browser.get(lead.get_absolute_url())

    assertContains(response, 'name="disposition" value="no-answer">No answer</button>', count=1)
    assertContains(response, 'value="vm-left">Voicemail left</button>', count=1)
    assertContains(response, 'value="busy">Busy</button>', count=1)


def test_a_disposition_that_needs_more_is_refused(alice_browser, lead, contact):
    response = quick_log(alice_browser, lead, contact, "answered")

    assertRedirects(response, lead.get_absolute_url(), fetch_redirect_response=False)
    assert not Call.objects.exists()


def test_a_contact_of_another_lead_is_refused(alice_browser, acme, lead):
    stranger = make_contact(make_lead(acme))

    quick_log(alice_browser, lead, stranger)

    assert not Call.objects.exists()


def test_another_organizations_lead_is_not_found(alice_browser, bob_lead, bob_contact):
    assert quick_log(alice_browser, bob_lead, bob_contact).status_code == 404
    assert not Call.objects.exists()


def test_a_get_logs_nothing(alice_browser, lead):
    response = alice_browser.get(reverse("activities:call_quick_log", args=[lead.id]))

    assert response.status_code == 405
    assert not Call.objects.exists()


def test_undo_removes_the_call_just_logged(alice_browser, lead, contact):
    token = undo_token_shown(alice_browser, quick_log(alice_browser, lead, contact))

    response = undo(alice_browser, Call.objects.get(), token)

    assertRedirects(response, lead.get_absolute_url(), fetch_redirect_response=False)
    assert not Call.objects.exists()
    lead.refresh_from_db()
    assert lead.calls_count == 0
    assertContains(alice_browser.get(response.url), "Undone: the call was removed.")


def test_undo_comes_too_late_after_ten_seconds(alice_browser, lead, contact, monkeypatch):
    token = undo_token_shown(alice_browser, quick_log(alice_browser, lead, contact))
    later = time.time() + UNDO_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)

    response = undo(alice_browser, Call.objects.get(), token)

    monkeypatch.undo()
    assert Call.objects.count() == 1
    assertContains(alice_browser.get(response.url), "Too late to undo: the call stays.")


def test_undo_keeps_a_call_changed_since(alice_browser, alice, lead, contact):
    token = undo_token_shown(alice_browser, quick_log(alice_browser, lead, contact))
    services.call_update(Call.objects.get(), updated_by=alice, fields={"note": "Try Friday"})

    response = undo(alice_browser, Call.objects.get(), token)

    assert Call.objects.count() == 1
    assertContains(alice_browser.get(response.url), "The call changed since it was logged")


def test_undo_is_only_for_the_rep_who_logged_it(alice_browser, acme, lead, contact):
    token = undo_token_shown(alice_browser, quick_log(alice_browser, lead, contact))
    colleague = Client()
    colleague.force_login(make_user(acme, role=Membership.Role.ADMIN))

    response = undo(colleague, Call.objects.get(), token)

    assert Call.objects.count() == 1
    assertContains(colleague.get(response.url), "This call cannot be undone.")


def test_undo_with_a_token_of_another_call_keeps_both(alice_browser, lead, contact):
    token = undo_token_shown(alice_browser, quick_log(alice_browser, lead, contact))
    quick_log(alice_browser, lead, contact, "busy")
    other = Call.objects.get(disposition="busy")

    undo(alice_browser, other, token)

    assert Call.objects.count() == 2


def test_the_reps_membership_read_for_the_request_is_not_looked_up_again(
    alice_browser, alice, lead, contact
):
    with CaptureQueriesContext(connection) as captured:
        response = quick_log(alice_browser, lead, contact)

    assert response.status_code == 302
    assert Call.objects.get().user == alice
    # The request's (accounts.tenancy), handed to the call's rules by the form.
    assert sum('"accounts_membership"' in query["sql"] for query in captured) == 1
