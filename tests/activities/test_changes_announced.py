"""Outcomes and transcripts are written through activities.services from every face (API,
admin), which announce each change with who made it (core/changes.py)."""

import pytest
from django.contrib.admin.utils import quote
from django.urls import reverse

from activities.models import Outcome
from core.changes import CREATED, DELETED, UPDATED
from tests.conftest import admin_form_data, make_call

pytestmark = pytest.mark.django_db

OUTCOMES = reverse("admin:activities_outcome_changelist")


def test_an_outcome_created_through_the_api_is_announced(announced, acme_admin_api, acme_admin):
    response = acme_admin_api.post(
        "/api/v1/outcome/", {"name": "Demo booked"}, content_type="application/json"
    )

    assert response.status_code == 201
    (change,) = announced
    assert (change.action, change.instance.name, change.actor) == (
        CREATED,
        "Demo booked",
        acme_admin,
    )


def test_an_outcome_deleted_through_the_api_is_announced_as_deleted(
    announced, acme_admin_api, outcome
):
    response = acme_admin_api.delete(f"/api/v1/outcome/{outcome.id}/")

    assert response.status_code == 200
    assert [(change.action, change.pk) for change in announced] == [(DELETED, outcome.id)]
    outcome.refresh_from_db()
    assert outcome.date_deleted is not None


def test_outcomes_deleted_and_restored_in_the_admin_are_announced(
    announced, superuser_client, outcome
):
    selected = {"_selected_action": [outcome.pk]}

    superuser_client.post(OUTCOMES, {"action": "soft_delete", **selected})
    superuser_client.post(OUTCOMES, {"action": "restore", **selected})

    assert [(change.action, change.changed) for change in announced] == [
        (DELETED, frozenset()),
        (UPDATED, {"date_deleted"}),
    ]
    assert Outcome.objects.live().get() == outcome


def test_a_transcript_edited_in_the_admin_is_announced_with_its_summary_derived(
    announced, superuser_client, lead, alice
):
    call = make_call(
        lead, alice, transcripts={"recording_transcript": {"summary_text": "Wants a demo"}}
    )
    transcript = call.transcripts.get()
    url = reverse("admin:activities_transcript_change", args=[quote(transcript.pk)])
    data = admin_form_data(superuser_client.get(url), summary_html="<p>Wants <b>two</b> demos</p>")
    announced.clear()

    response = superuser_client.post(url, data)

    assert response.status_code == 302
    (change,) = announced
    assert change.changed == {"summary_text", "summary_html"}
    assert change.instance.summary_text == "Wants two demos"
