"""Close's activity report: its shapes, its CSV, its time zones, who may ask for whom, and its
400s in Close's error shapes."""

import csv
import datetime
import io
import json

import pytest

from accounts.models import ApiKey, Membership
from insights.definitions import METRICS
from insights.periods import RELATIVE_RANGES
from tests.conftest import api_client, make_call, make_outcome, make_user

pytestmark = pytest.mark.django_db
REPORT = "/api/v1/report/activity/"
WHEN = datetime.datetime(2025, 3, 9, 2, 30, tzinfo=datetime.UTC)  # 9 March UTC, 8 March in NY
SPAN = {"start": "2025-03-08", "end": "2025-03-10"}


def post(client, body, **headers):
    return client.post(REPORT, json.dumps(body), "application/json", **headers)


@pytest.fixture
def calls(lead, alice):
    make_call(lead, alice, disposition="answered", duration=120, activity_at=WHEN)
    make_call(lead, alice, direction="inbound", disposition="no-answer", activity_at=WHEN)


def test_the_metrics_are_listed(alice_api):
    response = alice_api.get("/api/v1/report/activity/metrics/")

    assert response.status_code == 200
    assert response.json() == {"data": list(METRICS)}
    for name in ("calls.all.all.count", "calls.outbound.all.sum_duration",
                 "calls.inbound.all.avg_duration", "calls.outbound.all.connect_rate",
                 "calls.all.connected.count", "calls.all.vm_left.count",
                 "calls.all.no-answer.count"):  # fmt: skip
        assert name in METRICS


def test_an_overview_answers_a_row_per_day(acme_admin_api, calls):
    metrics = ["calls.all.all.count", "calls.outbound.all.connect_rate"]

    body = post(
        acme_admin_api, {"type": "overview", "metrics": metrics, "datetime_range": SPAN}
    ).json()

    assert body == {
        "aggregations": {
            "totals": {"calls.all.all.count": 2, "calls.outbound.all.connect_rate": 1.0}
        },
        "data": [
            {"datetime": "2025-03-08T00:00:00+00:00", "calls.all.all.count": 0,
             "calls.outbound.all.connect_rate": None},
            {"datetime": "2025-03-09T00:00:00+00:00", "calls.all.all.count": 2,
             "calls.outbound.all.connect_rate": 1.0},
        ],
    }  # fmt: skip


def test_a_comparison_answers_a_row_per_member(acme_admin_api, acme_admin, alice, calls):
    body = post(
        acme_admin_api,
        {"type": "comparison", "metrics": ["calls.all.connected.sum_duration"],
         "relative_range": "all-time"},
    ).json()  # fmt: skip

    assert sorted(body["data"], key=lambda row: row["user_id"]) == sorted(
        [{"user_id": alice.id, "calls.all.connected.sum_duration": 120},
         {"user_id": acme_admin.id, "calls.all.connected.sum_duration": 0}],
        key=lambda row: row["user_id"],
    )  # fmt: skip
    assert body["aggregations"]["totals"] == {"calls.all.connected.sum_duration": 120}


def test_the_organizations_time_zone_sets_the_days_and_x_tz_offset_shifts_them(
    acme, acme_admin_api, calls
):
    acme.time_zone = "America/New_York"
    acme.save()
    body = {"type": "overview", "metrics": ["calls.all.all.count"], "datetime_range": SPAN}

    in_new_york = post(acme_admin_api, body).json()["data"]
    in_tokyo = post(acme_admin_api, body, HTTP_X_TZ_OFFSET="9").json()["data"]

    assert [(row["datetime"], row["calls.all.all.count"]) for row in in_new_york] == [
        ("2025-03-08T00:00:00-05:00", 2), ("2025-03-09T00:00:00-05:00", 0)
    ]  # fmt: skip
    assert [(row["datetime"], row["calls.all.all.count"]) for row in in_tokyo] == [
        ("2025-03-08T00:00:00+09:00", 0), ("2025-03-09T00:00:00+09:00", 2)
    ]  # fmt: skip


def test_accept_text_csv_answers_the_same_rows(acme_admin_api, alice, calls):
    metrics = ["calls.all.all.count", "calls.outbound.all.connect_rate"]
    body = {"type": "comparison", "metrics": metrics, "users": [alice.id], "datetime_range": SPAN}

    response = post(acme_admin_api, body, HTTP_ACCEPT="text/csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert list(csv.reader(io.StringIO(response.content.decode()))) == [
        ["user_id", "calls.all.all.count", "calls.outbound.all.connect_rate"],
        [alice.id, "2", "1.0"],
    ]


@pytest.mark.parametrize("relative_range", RELATIVE_RANGES)
def test_every_relative_range_answers(acme_admin_api, calls, relative_range):
    for kind in ("overview", "comparison"):
        response = post(
            acme_admin_api,
            {"type": kind, "metrics": ["calls.all.all.count"], "relative_range": relative_range},
        )
        assert response.status_code == 200, response.content


def test_all_time_covers_every_call(acme_admin_api, lead, alice):
    make_call(lead, alice, activity_at=datetime.datetime(2019, 5, 1, tzinfo=datetime.UTC))
    make_call(lead, alice)

    body = post(
        acme_admin_api,
        {"type": "overview", "metrics": ["calls.all.all.count"], "relative_range": "all-time"},
    ).json()

    assert body["data"][0]["datetime"] == "2019-05-01T00:00:00+00:00"
    assert body["aggregations"]["totals"]["calls.all.all.count"] == 2


def test_an_admin_names_the_reps(acme_admin_api, acme, lead, alice, calls):
    dave = make_user(acme, username="dave")
    make_call(lead, dave, activity_at=WHEN)

    body = post(
        acme_admin_api,
        {"type": "comparison", "metrics": ["calls.all.all.count"], "users": [dave.id],
         "datetime_range": SPAN},
    ).json()  # fmt: skip

    assert body == {
        "aggregations": {"totals": {"calls.all.all.count": 1}},
        "data": [{"user_id": dave.id, "calls.all.all.count": 1}],
    }


def test_a_member_gets_their_own_numbers_and_the_teams_totals(alice_api, acme, lead, alice, calls):
    make_call(lead, make_user(acme), activity_at=WHEN)

    comparison = post(
        alice_api,
        {"type": "comparison", "metrics": ["calls.all.all.count"], "datetime_range": SPAN},
    ).json()
    overview = post(
        alice_api, {"type": "overview", "metrics": ["calls.all.all.count"], "datetime_range": SPAN}
    ).json()

    assert comparison["data"] == [{"user_id": alice.id, "calls.all.all.count": 2}]
    assert comparison["aggregations"]["totals"] == {"calls.all.all.count": 3}
    assert overview["aggregations"]["totals"] == {"calls.all.all.count": 2}


def test_a_member_may_not_ask_for_another_rep(alice_api, acme_admin):
    response = post(
        alice_api,
        {"type": "comparison", "metrics": ["calls.all.all.count"], "users": [acme_admin.id],
         "relative_range": "today"},
    )  # fmt: skip

    assert response.status_code == 403
    assert response.json() == {"error": "Only an organization admin can see other reps' numbers."}


GOOD = {"type": "overview", "metrics": ["calls.all.all.count"], "relative_range": "today"}


@pytest.mark.parametrize(
    ("change", "field_errors"),
    [
        ({"metrics": ["calls.all.all.count", "calls.made.up"]},
         {"metrics": "Unknown metric: calls.made.up. /api/v1/report/activity/metrics/ lists the "
                     "metrics served."}),
        ({"metrics": []}, {"metrics": "Ensure this field has at least 1 elements."}),
        ({"relative_range": "next-week"}, {"relative_range": '"next-week" is not a valid choice.'}),
        ({"type": "funnel"}, {"type": '"funnel" is not a valid choice.'}),
        ({"users": ["user_nobody"]}, {"users": "Object does not exist."}),
        ({"query": {"type": "saved_search", "saved_search_id": "save_1"}},
         {"query": "Saved searches are not supported."}),
        ({"relative_range": None, "datetime_range": {"start": "2025-03-10", "end": "2025-03-01"}},
         {"datetime_range": "end must come after start."}),
        ({"relative_range": None, "datetime_range": {"start": "soon", "end": "2025-03-01"}},
         {"datetime_range": "start: Enter a date (2026-11-24) or a date-time in ISO 8601."}),
        ({"relative_range": None, "datetime_range": {"start": "1900-01-01", "end": "2025-03-01"}},
         {"datetime_range": "A overview covers at most 3660 days."}),
    ],
)  # fmt: skip
def test_a_bad_request_is_a_close_style_400(acme_admin_api, change, field_errors):
    body = {key: value for key, value in {**GOOD, **change}.items() if value is not None}

    response = post(acme_admin_api, body)

    assert response.status_code == 400
    assert response.json() == {"errors": [], "field-errors": field_errors}


@pytest.mark.parametrize(
    "body",
    [
        {"type": "overview", "metrics": ["calls.all.all.count"]},
        {**GOOD, "datetime_range": {"start": "2025-03-01", "end": "2025-03-02"}},
    ],
    ids=["neither range", "both ranges"],
)
def test_exactly_one_range_is_given(acme_admin_api, body):
    response = post(acme_admin_api, body)

    assert response.status_code == 400
    assert response.json() == {
        "errors": ["Give exactly one of datetime_range and relative_range."],
        "field-errors": {},
    }


@pytest.mark.parametrize("offset", ["east", "7.1", "-2.2", "nan", "inf", "900", "-20"])
def test_a_bad_tz_offset_is_an_error(acme_admin_api, offset):
    response = post(acme_admin_api, GOOD, HTTP_X_TZ_OFFSET=offset)

    assert response.status_code == 400
    assert response.json() == {
        "error": "x-tz-offset: give the hours from UTC, such as -4 or 5.5 (or minutes, such as "
        "-240)."
    }


def test_an_error_is_json_even_when_csv_was_asked_for(acme_admin_api):
    response = post(acme_admin_api, {**GOOD, "metrics": ["nope"]}, HTTP_ACCEPT="text/csv")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "field-errors" in response.json()


def test_the_report_needs_an_api_key(client):
    assert post(client, GOOD).status_code in (401, 403)


@pytest.mark.parametrize("kind", ["overview", "comparison"])
def test_another_organization_counts_none_of_the_calls(calls, globex, bob, bob_key, kind):
    globex_admin = make_user(globex, role=Membership.Role.ADMIN, username="gina")
    _, key = ApiKey.issue(Membership.objects.get(user=globex_admin, organization=globex))
    body = {"type": kind, "metrics": ["calls.all.all.count"], "datetime_range": SPAN}

    numbers = [post(api_client(k), body).json() for k in (bob_key, key)]

    for report in numbers:
        assert report["aggregations"]["totals"] == {"calls.all.all.count": 0}
        assert all(row["calls.all.all.count"] == 0 for row in report["data"])


def test_a_comparison_costs_three_queries_however_many_reps_and_outcomes(
    acme_admin_api, acme, lead, calls, django_assert_num_queries
):
    body = {"type": "comparison", "metrics": list(METRICS), "datetime_range": SPAN}
    with django_assert_num_queries(3):  # the key, the members, the reps' tallies
        assert post(acme_admin_api, body).status_code == 200
    for n in range(4):
        rep = make_user(acme, username=f"rep{n}")
        make_call(lead, rep, disposition="answered", outcome=make_outcome(acme), activity_at=WHEN)

    with django_assert_num_queries(3):
        response = post(acme_admin_api, body)
    assert response.json()["aggregations"]["totals"]["calls.all.all.count"] == 6
