"""Files exported the way HubSpot and Salesforce export calls, imported with the columns the
import guesses for them."""

import datetime

from activities.models import Call
from imports.models import CallImport
from tests.imports.conftest import fixture_file, import_file, upload

UTC = datetime.UTC


def _calls(call_import):
    calls = Call.objects.filter(import_id=call_import.pk).select_related("lead", "contact", "user")
    return {call.external_id: call for call in calls}


def test_hubspot_columns_are_guessed_from_its_export(acme, importer):
    call_import = upload(acme, importer, fixture_file("hubspot-calls.csv"))

    assert (call_import.flavor, call_import.source) == ("hubspot", "HubSpot")
    assert dict(zip(call_import.header, call_import.columns, strict=True)) == {
        "Record ID": "external_id",
        "Call Title": "",
        "Activity date": "activity_at",
        "Call notes": "note",
        "Call direction": "direction",
        "Call duration": "duration_ms",
        "Call outcome": "disposition",
        "Call status": "status",
        "From Number": "from_number",
        "To Number": "to_number",
        "Recording URL": "recording_url",
        "Activity assigned to": "user",
        "Associated Contact": "contact_email",
        "Associated Company": "lead_name",
        "Create date": "",
    }


def test_a_hubspot_export_imports_its_calls(acme, importer, reps, wayne):
    lead, bruce, lucius = wayne

    call_import = import_file(
        acme, importer, fixture_file("hubspot-calls.csv"), time_zone="America/New_York"
    )

    assert call_import.status == CallImport.Status.IMPORTED
    assert call_import.counts == {
        "created": 5, "updated": 0, "unchanged": 0, "rejected": 0, "leads_created": 0,
    }  # fmt: skip
    calls = _calls(call_import)
    renewal = calls["51000001"]
    assert (renewal.lead, renewal.contact, renewal.user) == (lead, bruce, reps["jamie"])
    assert renewal.activity_at == datetime.datetime(2025, 3, 4, 14, 15, tzinfo=UTC)  # 09:15 EST
    assert (renewal.direction, renewal.duration, renewal.disposition) == (
        "outbound", 312, "answered",
    )  # fmt: skip
    assert renewal.note == "Discussed the renewal.\nWants the annual plan."
    assert (renewal.phone, renewal.local_phone) == ("+16505551234", "+16505550100")
    assert renewal.recording_url == "https://recordings.example.com/51000001.mp3"
    assert (renewal.external_source, renewal.import_id) == ("HubSpot", call_import.pk)
    inbound = calls["51000003"]  # no contact column: found by the number it came from
    assert (inbound.direction, inbound.contact, inbound.phone) == ("inbound", bruce, "+16505551234")
    assert inbound.user == reps["priya"]
    assert {
        k: (c.disposition, c.status, c.contact) for k, c in calls.items() if k > "51000001"
    } == {
        "51000002": ("vm-left", "completed", bruce),
        "51000003": ("answered", "completed", bruce),
        "51000004": ("no-answer", "no-answer", lucius),
        "51000005": ("busy", "busy", lucius),
    }
    lead.refresh_from_db()
    assert lead.calls_count == 5


def test_salesforce_task_columns_are_guessed_but_not_the_tasks_status(acme, importer):
    call_import = upload(acme, importer, fixture_file("salesforce-tasks.csv"))

    assert (call_import.flavor, call_import.source) == ("salesforce", "Salesforce")
    assert dict(zip(call_import.header, call_import.columns, strict=True)) == {
        "Id": "external_id",
        "Subject": "",
        "ActivityDate": "activity_at",
        "CallDurationInSeconds": "duration",
        "CallType": "direction",
        "CallDisposition": "disposition",
        "CallObject": "",
        "Description": "note",
        "Status": "",
        "Who.Email": "contact_email",
        "Who.Name": "contact_name",
        "What.Name": "lead_name",
        "Owner.Email": "user",
    }


def test_a_salesforce_export_imports_and_rejects_the_unknown_lead(acme, importer, reps, wayne):
    lead, bruce, lucius = wayne

    call_import = import_file(
        acme, importer, fixture_file("salesforce-tasks.csv"), time_zone="Europe/Paris"
    )

    assert (call_import.created, call_import.rejected) == (3, 1)
    calls = _calls(call_import)
    quote = calls["00T5e00000A1b2CEAR"]
    assert (quote.lead, quote.contact, quote.user) == (lead, bruce, reps["jamie"])
    assert quote.activity_at == datetime.datetime(2025, 2, 9, 23, 0, tzinfo=UTC)  # midnight, Paris
    assert (quote.duration, quote.direction, quote.disposition) == (95, "outbound", "answered")
    assert calls["00T5e00000A1b2EEAR"].note == "Called about the invoice, needs a copy"
    assert calls["00T5e00000A1b2DEAR"].contact == lucius  # its email, in another case
    [rejected] = call_import.rejected_rows.all()
    assert (rejected.line, rejected.cells[0]) == (5, "00T5e00000A1b2FEAR")
    assert rejected.reason == (
        "No lead found by contact email selina@kyle.example, lead (company) name Kyle Imports."
    )


def test_unknown_leads_are_created_when_asked(acme, importer, reps, wayne):
    call_import = import_file(
        acme, importer, fixture_file("salesforce-tasks.csv"), create_leads=True
    )

    assert (call_import.created, call_import.rejected, call_import.leads_created) == (4, 0, 1)
    voicemail = _calls(call_import)["00T5e00000A1b2FEAR"]
    assert voicemail.lead.name == "Kyle Imports"
    assert (voicemail.contact.name, voicemail.contact.emails) == (
        "Selina Kyle",
        [{"email": "selina@kyle.example", "type": "office"}],
    )
    assert voicemail.lead.created_by == importer
