"""The tallies follow every change of the calls exactly: rebuilding them from the calls table
after any activity gives the same rows."""

import datetime
import io
import json

import pytest
from django.core.management import call_command

from activities import services
from activities.models import Call
from insights import tallies
from insights.models import OutcomeTally, RepTally, TeamTally
from insights.periods import Window
from insights.reports import Report, known_reps
from tests.conftest import basic_auth, make_call, make_lead, put_at_once
from tests.insights.conftest import NEW_YORK, SPRING, plain_numbers
from tests.insights.doors import Doors, random_activity

pytestmark = pytest.mark.django_db
WHEN = datetime.datetime(2025, 3, 9, 15, 30, tzinfo=datetime.UTC)


def assert_rebuild_equals_live():
    live = tallies.nonzero_rows()
    tallies.rebuild()
    assert tallies.nonzero_rows() == live
    return live


def test_rebuilding_after_random_activity_gives_the_live_tallies(team, rng, globex, bob):
    make_call(make_lead(globex), bob, disposition="answered", activity_at=WHEN)
    doors = Doors(team, NEW_YORK)
    start = datetime.datetime(2025, 3, 1, tzinfo=NEW_YORK)
    random_activity(doors, rng, start, start + datetime.timedelta(days=14), calls=30, changes=50)
    deleted_lead = team["leads"][0]
    deleted_calls = deleted_lead.calls.count()
    response = team["api"].delete(f"/api/v1/lead/{deleted_lead.id}/")
    assert response.status_code == 200

    live = assert_rebuild_equals_live()

    assert deleted_calls and live  # a lead with calls went, and calls are left
    assert {row[1] for row in live} >= {team["organization"].id, globex.id}


def test_a_new_call_counts_in_its_reps_hour_and_day_and_the_teams_hour(lead, alice, outcome):
    make_call(lead, alice, disposition="answered", duration=90, outcome=outcome, activity_at=WHEN)

    hour = int(WHEN.timestamp()) // 3600
    rows = RepTally.objects.order_by("span").values_list(
        "rep_id", "span", "start", "outbound_answered", "outbound_talk_time"
    )
    assert list(rows) == [(alice.id, 1, hour, 1, 90), (alice.id, 24, hour - hour % 24, 1, 90)]
    assert list(TeamTally.objects.values_list("start", "outbound_answered")) == [(hour, 1)]
    assert list(OutcomeTally.objects.values_list("outcome_id", "span", "calls")) == [
        (outcome.id, 1, 1), (outcome.id, 24, 1)
    ]  # fmt: skip


def test_a_change_that_fails_leaves_the_tallies_as_they_were(alice_api, lead, alice):
    call = make_call(lead, alice, disposition="answered", activity_at=WHEN)
    before = tallies.nonzero_rows()
    bad_transcript = {"recording_transcript": {"utterances": "not a list"}}

    response = alice_api.put(
        f"/api/v1/activity/call/{call.id}/",
        json.dumps(
            {"activity_at": "2025-01-01T10:00:00Z", "disposition": "busy", **bad_transcript}
        ),
        "application/json",
    )

    assert response.status_code == 400
    assert tallies.nonzero_rows() == before


def test_an_update_from_a_stale_read_keeps_the_tallies_exact(lead, alice, acme):
    call = make_call(lead, alice, disposition="answered", duration=60, activity_at=WHEN)
    first, second = Call.objects.get(pk=call.pk), Call.objects.get(pk=call.pk)

    services.call_update(first, updated_by=alice, fields={"activity_at": WHEN.replace(month=6)})
    services.call_update(second, updated_by=alice, fields={"disposition": "busy"})

    assert_rebuild_equals_live()


def test_deleting_a_lead_takes_its_calls_out(acme, alice, acme_admin_api):
    kept, gone = make_lead(acme), make_lead(acme)
    make_call(kept, alice, activity_at=WHEN)
    for minutes in range(3):
        make_call(gone, alice, activity_at=WHEN + datetime.timedelta(minutes=minutes))

    assert acme_admin_api.delete(f"/api/v1/lead/{gone.id}/").status_code == 200

    assert sum(RepTally.objects.filter(span=1).values_list("outbound_answered", flat=True)) == 1
    assert_rebuild_equals_live()


def test_a_deleted_users_calls_count_as_no_rep(team, rng):
    dave = team["reps"][1]
    for _ in range(5):
        make_call(team["leads"][0], dave, activity_at=WHEN, duration=rng.randrange(100))
    dave.delete()  # a superuser may; the calls stay, without a rep
    window = Window.of_days(*SPRING, NEW_YORK)

    by_rep, former = known_reps(Report(team["organization"], window).by_rep(), {})

    numbers = plain_numbers(Call.objects.filter(user__isnull=True))
    assert (former, set(by_rep)) == ({}, {""})
    assert (by_rep[""].calls, by_rep[""].total_talk_time) == (5, numbers["talk_time"])


def test_the_rebuild_command_rebuilds_and_says_what_it_did(lead, alice):
    make_call(lead, alice, activity_at=WHEN)
    RepTally.objects.update(outbound_answered=99)
    out = io.StringIO()

    call_command("rebuild_insights", stdout=out)

    assert RepTally.objects.filter(outbound_answered=1).count() == 2
    assert "1 call" in out.getvalue()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_simultaneous_changes_of_one_call_keep_the_tallies_exact(
    live_server, lead, alice, acme_admin_key
):
    call = make_call(lead, alice, disposition="answered", duration=60, activity_at=WHEN)
    url = f"{live_server.url}/api/v1/activity/call/{call.id}/"
    headers = {"Authorization": basic_auth(acme_admin_key)}

    for n in range(8):
        bodies = [
            {"activity_at": (WHEN + datetime.timedelta(days=n + 1)).isoformat()},
            {"disposition": "busy" if n % 2 == 0 else "answered", "duration": 30 + n},
            {"user_id": None if n % 2 == 0 else alice.id},
        ]
        assert put_at_once(url, headers, bodies) == [200, 200, 200]

    assert_rebuild_equals_live()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_calls_logged_at_once_into_the_same_tallies_keep_them_exact(
    live_server, lead, alice, outcome, acme_admin_key
):
    url = f"{live_server.url}/api/v1/activity/call/"
    headers = {"Authorization": basic_auth(acme_admin_key)}
    body = {
        "lead_id": lead.id,
        "user_id": alice.id,
        "status": "completed",
        "duration": 60,
        "outcome_id": outcome.id,
        "activity_at": WHEN.isoformat(),
    }

    for _ in range(5):
        assert put_at_once(url, headers, [body] * 4, method="POST") == [200] * 4

    assert_rebuild_equals_live()
    assert TeamTally.objects.get().outbound_answered == 20
    assert OutcomeTally.objects.filter(outcome_id=outcome.id, calls=20).count() == 2
    lead.refresh_from_db()
    assert lead.calls_count == 20


@pytest.mark.parametrize("rows_per_statement", [4, 12])
def test_a_batch_of_more_rows_than_a_statement_takes_is_written_whole(
    lead, alice, acme, outcome, monkeypatch, rows_per_statement
):
    # 5 calls in 5 hours of one day: 6 rows of the rep, 5 of the team, 6 of the outcome.
    monkeypatch.setattr(tallies, "ROWS_PER_STATEMENT", rows_per_statement)
    calls = [
        services.call_build(
            organization=acme,
            created_by=alice,
            fields={
                "lead": lead,
                "status": "completed",
                "duration": 60,
                "outcome": outcome,
                "activity_at": WHEN + datetime.timedelta(hours=n),
            },
        )
        for n in range(5)
    ]

    services.calls_write(created=calls, actor=alice)

    assert len(assert_rebuild_equals_live()) == 17
    assert OutcomeTally.objects.get(span=24).calls == 5
