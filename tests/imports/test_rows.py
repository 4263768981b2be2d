"""Each row checked by the rules a call sent through the API obeys: a row that breaks one is
rejected with the reason, in the error CSV with the row as the file had it; the others import."""

import csv
import datetime
import io

import pytest

from activities.models import Call
from core.csv_files import csv_lines
from imports import services
from leads.models import Lead
from tests.conftest import make_lead, make_outcome, make_user
from tests.imports.conftest import csv_text, import_file

UTC = datetime.UTC
HEADER = "Id,Date,Company,Direction,Disposition,Method,Duration,Outcome,Rep,Recording URL,Notes"


def _row(external_id, **cells):
    values = {
        "Date": "2025-01-02 10:00",
        "Company": "Wayne Enterprises",
        "Direction": "outbound",
        "Disposition": "",
        "Method": "",
        "Duration": "60",
        "Outcome": "",
        "Rep": "",
        "Recording URL": "",
        "Notes": "",
        **cells,
    }
    columns = HEADER.split(",")[1:]
    return ",".join([external_id, *(values[column] for column in columns)])


@pytest.fixture
def rejections(acme, importer, reps, wayne):
    make_outcome(acme, name="Demo booked")
    content = csv_text(
        HEADER,
        _row("ok-1", Rep="jamie@acme.example", Outcome="demo booked", Disposition="answered"),
        _row("vm-answer", Disposition="vm-answer"),
        _row("abandoned", Disposition="abandoned"),
        _row("outcome", Disposition="no-answer", Outcome="Demo booked"),
        _row("week", Duration="604801"),
        _row("http", **{"Recording URL": "http://recordings.example.com/1.mp3"}),
        _row("private", **{"Recording URL": "https://192.168.1.20/1.mp3"}),
        _row("rep", Rep="nobody@acme.example"),
        _row("outcome name", Disposition="answered", Outcome="Won"),
        _row("lead", Company="Initech"),
        _row("date", Date="yesterday"),
        _row("direction", Direction="internal"),
        _row("duration", Duration="-5"),
        _row("", Notes="no id"),
        _row("ok-2", Direction="inbound", Disposition="vm-answer", Method="predictive"),
        _row("ok-1", Notes="again"),
    )
    return import_file(acme, importer, content)


def test_rows_that_break_the_rules_are_rejected_with_the_reason(rejections):
    reasons = {row.cells[0]: row.reason for row in rejections.rejected_rows.all()}

    assert reasons == {
        "vm-answer": "Disposition: vm-answer is only possible on inbound calls.",
        "abandoned": "Disposition: abandoned is only possible with the predictive dialer.",
        "outcome": "Outcome: An outcome can only be set on a connected (answered) call.",
        "week": "Duration: Ensure this value is less than or equal to 604800.",
        "http": "Recording URL: Enter an https:// URL.",
        "private": "Recording URL: Use the host's name, not an IP address.",
        "rep": "No member of the organization is “nobody@acme.example” (by email or name).",
        "outcome name": "No outcome is named “Won”.",
        "lead": "No lead found by lead (company) name Initech.",
        "date": "Date: “yesterday” is not a date: write it as 2024-03-05 14:30, "
        "2024-03-05T14:30:00Z or 3/5/2024 2:30 PM.",
        "direction": "Direction: “internal” is not a direction (inbound or outbound) this "
        "import knows.",
        "duration": "Duration: “-5” is negative.",
        "": "Id is empty.",
        "ok-1": "The id ok-1 is on line 2 already: a file gives each call once.",
    }


def test_the_other_rows_are_imported(rejections):
    assert (rejections.created, rejections.rejected) == (2, 14)
    calls = {call.external_id: call for call in Call.objects.all()}
    assert set(calls) == {"ok-1", "ok-2"}
    assert (calls["ok-1"].outcome.name, calls["ok-1"].user.email) == (
        "Demo booked", "jamie@acme.example",
    )  # fmt: skip
    assert calls["ok-1"].date_answered == calls["ok-1"].activity_at  # derived, as Call.clean does
    assert (calls["ok-2"].disposition, calls["ok-2"].call_method) == ("vm-answer", "predictive")


def test_the_error_csv_has_each_rejected_row_as_it_was_and_why(rejections):
    rows = list(csv.reader(io.StringIO("".join(services_lines(rejections)))))

    assert rows[0] == [*HEADER.split(","), "error"]
    assert len(rows) == 15
    assert rows[1] == [*_row("vm-answer", Disposition="vm-answer").split(","), rows[1][-1]]
    assert rows[1][-1] == "Disposition: vm-answer is only possible on inbound calls."


def services_lines(call_import):
    return csv_lines(services.error_rows(call_import))


def test_dates_are_read_in_the_files_time_zone_unless_they_carry_an_offset(acme, importer, wayne):
    content = csv_text(
        "Id,Date,Company",
        "a,2025-07-01 09:00,Wayne Enterprises",
        "b,2025-07-01T09:00:00Z,Wayne Enterprises",
        "c,2025-07-01T09:00:00+02:00,Wayne Enterprises",
        "d,7/1/2025 9:00 PM,Wayne Enterprises",
        "e,2025-07-01,Wayne Enterprises",
        "f,1751360400000,Wayne Enterprises",
    )

    import_file(acme, importer, content, time_zone="America/Los_Angeles")

    at = dict(Call.objects.values_list("external_id", "activity_at"))
    assert at == {
        "a": datetime.datetime(2025, 7, 1, 16, 0, tzinfo=UTC),
        "b": datetime.datetime(2025, 7, 1, 9, 0, tzinfo=UTC),
        "c": datetime.datetime(2025, 7, 1, 7, 0, tzinfo=UTC),
        "d": datetime.datetime(2025, 7, 2, 4, 0, tzinfo=UTC),
        "e": datetime.datetime(2025, 7, 1, 7, 0, tzinfo=UTC),
        "f": datetime.datetime(2025, 7, 1, 9, 0, tzinfo=UTC),
    }


def test_dates_can_be_read_day_first(acme, importer, wayne):
    content = csv_text("Id,Date,Company", "a,5/3/2025 14:30,Wayne Enterprises")

    import_file(acme, importer, content, time_zone="UTC", day_first=True)

    assert Call.objects.get().activity_at == datetime.datetime(2025, 3, 5, 14, 30, tzinfo=UTC)


def test_formula_cells_are_stored_as_text_and_our_neutralising_quote_is_taken_off(
    acme, importer, wayne
):
    content = csv_text(
        "Id,Date,Company,Notes",
        'a,2025-01-02,Wayne Enterprises,"=HYPERLINK(""https://evil.example"",""Click"")"',
        "b,2025-01-02,Wayne Enterprises,'=1+2",
        "c,2025-01-02,Wayne Enterprises,'Tis the season",
        "d,2025-01-02,Wayne Enterprises,@SUM(A1)",
    )

    import_file(acme, importer, content)

    notes = dict(Call.objects.values_list("external_id", "note"))
    assert notes == {
        "a": '=HYPERLINK("https://evil.example","Click")',
        "b": "=1+2",
        "c": "'Tis the season",
        "d": "@SUM(A1)",
    }


def test_a_formula_in_a_rejected_row_is_neutralised_again_in_the_error_csv(acme, importer, wayne):
    content = csv_text("Id,Date,Company,Notes", "=cmd|' /C calc'!A0,yesterday,Wayne Enterprises,x")

    call_import = import_file(acme, importer, content)

    lines = "".join(services_lines(call_import)).splitlines()
    assert lines[1].startswith("'=cmd|' /C calc'!A0,yesterday,")


def test_a_lead_is_found_by_id_then_contact_email_then_phone_then_name(acme, importer, wayne):
    lead, bruce, lucius = wayne
    other = make_lead(acme, name="Other Lead")
    content = csv_text(
        "Id,Date,Lead id,Email,Phone,Company",
        f"by-id,2025-01-02,{other.pk},bruce@wayne.example,,Wayne Enterprises",
        "by-email,2025-01-02,,BRUCE@wayne.example,,Other Lead",
        "by-phone,2025-01-02,,,(415) 555-0199,Other Lead",
        "by-name,2025-01-02,,,,other lead",
        "by-id-of-another-org,2025-01-02,lead_nope,,,Wayne Enterprises",
    )

    import_file(acme, importer, content)

    found = {call.external_id: (call.lead, call.contact) for call in Call.objects.all()}
    assert found == {
        "by-id": (other, None),
        "by-email": (lead, bruce),
        "by-phone": (lead, lucius),
        "by-name": (other, None),
        "by-id-of-another-org": (lead, None),
    }


def test_a_name_two_leads_share_is_rejected_as_ambiguous(acme, importer, wayne):
    make_lead(acme, name="Wayne Enterprises")
    content = csv_text("Id,Date,Company", "a,2025-01-02,Wayne Enterprises")

    call_import = import_file(acme, importer, content)

    assert call_import.rejected_rows.get().reason == (
        "The lead is ambiguous: the name “Wayne Enterprises” is on 2 leads. Give the lead's id "
        "or a clue that names one lead."
    )


def test_reps_are_found_by_email_or_name_among_the_organizations_members(
    acme, importer, reps, wayne, bob
):
    content = csv_text(
        "Id,Date,Company,Rep",
        "a,2025-01-02,Wayne Enterprises,Priya Shah",
        "b,2025-01-02,Wayne Enterprises,JAMIE@acme.example",
        f"c,2025-01-02,Wayne Enterprises,{bob.email}",
        "d,2025-01-02,Wayne Enterprises,",
    )

    call_import = import_file(acme, importer, content)

    reps_of = dict(Call.objects.values_list("external_id", "user__username"))
    assert reps_of == {"a": reps["priya"].username, "b": reps["jamie"].username, "d": None}
    assert call_import.rejected_rows.get().cells[0] == "c"  # Bob is Globex's


def test_several_members_of_one_name_need_an_email(acme, importer, reps, wayne):
    make_user(acme, first_name="Priya", last_name="Shah", email="priya.s@acme.example")
    content = csv_text("Id,Date,Company,Rep", "a,2025-01-02,Wayne Enterprises,Priya Shah")

    call_import = import_file(acme, importer, content)

    assert call_import.rejected_rows.get().reason == (
        "Several members are called “Priya Shah”: give the rep's email."
    )


def test_a_lead_created_by_the_import_is_found_by_the_rows_after_it(acme, importer):
    content = csv_text(
        "Id,Date,Company,Email",
        "a,2025-01-02,Kyle Imports,selina@kyle.example",
        "b,2025-01-03,,selina@kyle.example",
        "c,2025-01-04,kyle imports,",
    )

    call_import = import_file(acme, importer, content, create_leads=True)

    assert (call_import.created, call_import.leads_created) == (3, 1)
    lead = Lead.objects.get()
    assert set(Call.objects.values_list("lead", flat=True)) == {lead.pk}
    assert lead.contacts.get().emails == [{"email": "selina@kyle.example", "type": "office"}]
    assert lead.calls_count == 3
