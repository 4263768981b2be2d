"""A lead's `date_updated` moves when its calls or contacts change, so incremental syncs (which
read leads by `date_updated`) see it again; the API writes it as Close does, with a `T`."""

import datetime
import re

import pytest
from django.urls import reverse

from leads.models import Lead
from tests.conftest import make_call, make_contact, make_lead

LEADS = "/api/v1/lead/"
CALLS = "/api/v1/activity/call/"
CONTACTS = "/api/v1/contact/"
LONG_AGO = datetime.datetime(2021, 6, 25, 13, 30, 9, 151000, tzinfo=datetime.UTC)
CLOSE_DATE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00")


def send(client, method, url, body=None):
    return getattr(client, method)(url, body, content_type="application/json")


@pytest.fixture
def quiet_lead(lead):
    """Alice's lead, last changed long ago."""
    Lead.objects.filter(pk=lead.pk).update(date_updated=LONG_AGO)
    return lead


def date_updated(client, lead):
    """The lead's `date_updated` as the API writes it; it must be Close's format."""
    written = client.get(f"{LEADS}{lead.id}/").json()["date_updated"]
    assert CLOSE_DATE.fullmatch(written), written
    return written


def moved(client, lead):
    return date_updated(client, lead) > LONG_AGO.isoformat(timespec="microseconds")


def test_a_lead_untouched_keeps_its_date_updated(alice_api, quiet_lead):
    assert date_updated(alice_api, quiet_lead) == "2021-06-25T13:30:09.151000+00:00"


def test_logging_a_call_moves_its_lead(alice_api, quiet_lead):
    response = send(alice_api, "post", CALLS, {"lead_id": quiet_lead.id, "duration": 60})

    assert response.status_code == 200
    assert moved(alice_api, quiet_lead)


def test_editing_a_call_moves_its_lead(alice_api, alice, lead):
    call = make_call(lead, alice)
    Lead.objects.filter(pk=lead.pk).update(date_updated=LONG_AGO)

    response = send(alice_api, "put", f"{CALLS}{call.id}/", {"note": "Call back Friday"})

    assert response.status_code == 200
    assert moved(alice_api, lead)


def test_a_put_that_changes_nothing_leaves_the_lead(alice_api, alice, lead):
    call = make_call(lead, alice, duration=60)
    Lead.objects.filter(pk=lead.pk).update(date_updated=LONG_AGO)

    response = send(alice_api, "put", f"{CALLS}{call.id}/", {"duration": 60})

    assert response.status_code == 200
    assert not moved(alice_api, lead)


def test_adding_a_transcript_to_a_call_moves_its_lead(alice_api, alice, lead):
    call = make_call(lead, alice)
    Lead.objects.filter(pk=lead.pk).update(date_updated=LONG_AGO)
    utterance = {"speaker_label": "A", "speaker_side": "contact", "start": 0, "end": 1}
    transcript = {"utterances": [utterance | {"text": "Hello"}]}

    response = send(alice_api, "put", f"{CALLS}{call.id}/", {"recording_transcript": transcript})

    assert response.status_code == 200
    assert moved(alice_api, lead)


def test_deleting_a_call_moves_its_lead(alice_api, alice, lead):
    call = make_call(lead, alice)
    Lead.objects.filter(pk=lead.pk).update(date_updated=LONG_AGO)

    assert alice_api.delete(f"{CALLS}{call.id}/").status_code == 200

    assert moved(alice_api, lead)


def test_moving_a_call_to_another_lead_moves_both(alice_api, alice, acme, lead):
    other = make_lead(acme)
    call = make_call(lead, alice)
    Lead.objects.filter(pk__in=[lead.pk, other.pk]).update(date_updated=LONG_AGO)

    response = send(alice_api, "put", f"{CALLS}{call.id}/", {"lead_id": other.id})

    assert response.status_code == 200
    assert moved(alice_api, lead)
    assert moved(alice_api, other)


def test_adding_a_contact_moves_its_lead(alice_api, quiet_lead):
    response = send(alice_api, "post", CONTACTS, {"lead_id": quiet_lead.id, "name": "Alfred"})

    assert response.status_code == 200
    assert moved(alice_api, quiet_lead)


def test_editing_a_contact_moves_its_lead(alice_api, lead, contact):
    Lead.objects.filter(pk=lead.pk).update(date_updated=LONG_AGO)

    response = send(alice_api, "put", f"{CONTACTS}{contact.id}/", {"title": "CEO"})

    assert response.status_code == 200
    assert moved(alice_api, lead)


def test_the_lead_takes_the_contacts_own_date_updated(alice_api, lead, contact):
    Lead.objects.filter(pk=lead.pk).update(date_updated=LONG_AGO)

    contact_written = send(alice_api, "put", f"{CONTACTS}{contact.id}/", {"title": "CEO"})

    assert date_updated(alice_api, lead) == contact_written.json()["date_updated"]


def test_a_contact_saved_field_by_field_moves_with_its_lead(lead, contact):
    written = contact.date_updated
    contact.title = "CFO"

    contact.save(update_fields=["title"])

    contact.refresh_from_db()
    lead.refresh_from_db()
    assert contact.date_updated > written
    assert lead.date_updated == contact.date_updated


def test_deleting_a_contact_moves_its_lead(acme_admin_api, lead, contact):
    Lead.objects.filter(pk=lead.pk).update(date_updated=LONG_AGO)

    assert acme_admin_api.delete(f"{CONTACTS}{contact.id}/").status_code == 200

    assert moved(acme_admin_api, lead)


def test_deleting_contacts_in_the_admin_moves_their_leads(acme_admin_client, alice_api, acme):
    leads = [make_lead(acme), make_lead(acme)]
    contacts = [make_contact(lead) for lead in leads]
    Lead.objects.filter(pk__in=[lead.pk for lead in leads]).update(date_updated=LONG_AGO)

    response = acme_admin_client.post(
        reverse("admin:leads_contact_changelist"),
        {"action": "delete_selected", "_selected_action": [c.pk for c in contacts], "post": "yes"},
    )

    assert response.status_code == 302
    assert all(moved(alice_api, lead) for lead in leads)


def test_another_leads_date_updated_stays(alice_api, acme, quiet_lead):
    other = make_lead(acme)
    Lead.objects.filter(pk=other.pk).update(date_updated=LONG_AGO)

    send(alice_api, "post", CALLS, {"lead_id": quiet_lead.id, "duration": 60})

    assert not moved(alice_api, other)
