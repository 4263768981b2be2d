"""/insights/: the period in the URL, who sees whose numbers, sorting by links, links to the calls
each number counts, and the CSV downloads."""

import csv
import datetime
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.http import QueryDict
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import Membership
from activities.filters import TimelineFilter
from activities.models import Call
from tests.conftest import make_call, make_outcome, make_user

pytestmark = pytest.mark.django_db
NOW = timezone.now().replace(microsecond=0)


@pytest.fixture
def calls(acme, lead, alice, outcome):
    """Alice: 2 outbound (one connected, 100 s, with the outcome), 1 inbound voicemail left.
    Dave: 1 outbound no-answer. All within the last hour."""
    dave = make_user(acme, username="dave", first_name="Dave", last_name="Doe")
    when = NOW - datetime.timedelta(minutes=30)
    make_call(lead, alice, disposition="answered", duration=100, outcome=outcome, activity_at=when)
    make_call(lead, alice, disposition="busy", duration=0, activity_at=when)
    make_call(
        lead, alice, direction="inbound", disposition="vm-left", duration=30, activity_at=when
    )
    make_call(lead, dave, disposition="no-answer", duration=0, activity_at=when)
    return dave


def rows(response):
    """{row label: [cell texts]} of the reps table, the team row under "Team total"."""
    table = (
        response.content.decode().split('<table class="insights-table">')[1].split("</table>")[0]
    )
    found = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
        cells = [re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.findall(
            r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S
        )]  # fmt: skip
        found[cells[0]] = cells[1:]
    return found


def test_an_admin_sees_every_rep_and_the_team(acme_admin_client, calls):
    response = acme_admin_client.get("/insights/")

    assert response.status_code == 200
    table = rows(response)
    assert table["Alice Archer"][:8] == ["2", "1", "1", "50%", "1:40", "1:40", "1", "1"]
    assert table["Dave Doe"][:3] == ["1", "0", "0"]
    assert table["Team total"][:4] == ["3", "1", "1", "33%"]
    assertContains(response, 'name="rep"')  # the rep picker


def test_a_member_sees_their_own_row_and_the_teams_totals(alice_browser, calls):
    response = alice_browser.get("/insights/?rep=" + calls.id)

    table = rows(response)
    assert list(table) == ["Alice Archer", "Team total"]
    assert table["Team total"][:3] == ["3", "1", "1"]
    assertNotContains(response, "Dave Doe")
    assertNotContains(response, 'name="rep"')


def test_an_admin_picks_one_rep(acme_admin_client, calls):
    response = acme_admin_client.get(f"/insights/?rep={calls.id}")

    assert list(rows(response)) == ["Dave Doe", "Team total"]
    assertContains(response, "1 call over")  # the chart is Dave's


@pytest.mark.parametrize(
    ("period", "days"),
    [("today", 1), ("yesterday", 1), ("last-7-days", 7), ("last-30-days", 30),
     ("last-90-days", 90), ("this-week", 7), ("last-week", 7)],
)  # fmt: skip
def test_the_period_is_in_the_url(alice_browser, period, days):
    response = alice_browser.get(f"/insights/?period={period}")

    assert response.status_code == 200
    page = response.context["page"]
    assert (page.window.last_day - page.window.first_day).days + 1 == days
    assertContains(response, f'<option value="{period}" selected>')


def test_a_custom_range_shows_its_days(alice_browser):
    response = alice_browser.get("/insights/?period=custom&start=2025-03-08&end=2025-03-10")

    assertContains(response, "Sat 8 Mar – Mon 10 Mar 2025")
    assert response.context["tables"]["days"].rows[0].data["day"] == datetime.date(2025, 3, 8)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "period=custom&start=2025-03-10&end=2025-03-08",
            "The first day comes after the last one.",
        ),
        ("period=custom&start=2025-03-10", "A custom range needs a first and a last day."),
        ("period=custom&start=2020-01-01&end=2025-03-08", "A custom range is at most"),
        ("period=someday", "Select a valid choice."),
    ],
)
def test_a_bad_period_is_explained_and_the_default_shown(alice_browser, query, message):
    response = alice_browser.get(f"/insights/?{query}")

    assert response.status_code == 200
    assertContains(response, message)
    assert response.context["page"].period == "last-7-days"


def test_sorting_is_by_links_and_the_sorted_column_says_so(acme_admin_client, calls):
    most = acme_admin_client.get("/insights/?sort=-calls_out")
    fewest = acme_admin_client.get("/insights/?sort=calls_out")

    assert list(rows(most))[:2] == ["Alice Archer", "Dave Doe"]
    assert list(rows(fewest))[:-1] == list(reversed(list(rows(most))[:-1]))
    assertContains(most, 'aria-sort="descending"')
    assertContains(most, 'href="?sort=calls_out"')  # the heading's link turns the order around
    assertContains(acme_admin_client.get("/insights/?sort=rep"), 'aria-sort="ascending"')


def test_each_number_links_to_the_calls_it_counts(acme_admin_client, calls, alice, outcome):
    html = acme_admin_client.get("/insights/?period=today").content.decode()
    today = timezone.localdate().isoformat()

    links = [
        parse_qs(urlsplit(href.replace("&amp;", "&")).query)
        for href in re.findall(r'href="(/calls/\?[^"]+)"', html)
    ]
    dates = {"activity_at__gte": [today], "activity_at__lte": [today]}
    assert {**dates, "user_id": [alice.id], "direction": ["outbound"]} in links
    assert {**dates, "user_id": [alice.id], "disposition": ["answered"]} in links
    assert {**dates, "user_id": [alice.id], "disposition": ["vm-left"]} in links
    assert {**dates, "user_id": [alice.id], "outcome_id": [outcome.id]} in links
    assert {**dates, "direction": ["inbound"]} in links  # the team's inbound calls


def linked_counts(html):
    """[(query string, number)] of every link to the calls page whose text is a count."""
    return [
        (query.replace("&amp;", "&"), int(text.replace(",", "")))
        for query, text in re.findall(r'<a href="/calls/\?([^"]*)">([\d,]+)</a>', html)
    ]


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Kolkata"])
@pytest.mark.parametrize("who", ["admin", "member"])
def test_each_count_links_to_exactly_the_calls_it_counts(team, rng, who, zone):
    """Every count on the page, followed through the filters the calls page applies
    (TimelineFilter, the timeline's), finds that many calls: a rep's, the calls without a rep, a
    day's, the team's, a weekday and hour's. The week is the one New York's clocks went forward;
    Kolkata is half an hour off the whole hour."""
    organization, (alice, dave, carol) = team["organization"], team["reps"]
    for user in (organization, alice, carol):
        user.time_zone = zone
        user.save()
    start = datetime.datetime(2025, 3, 4, 12, tzinfo=datetime.UTC)
    for _ in range(120):
        disposition = rng.choice(["answered", "answered", "no-answer", "vm-left", "busy"])
        make_call(
            rng.choice(team["leads"]),
            rng.choice([alice, dave, carol, None]),
            created_by=carol,
            direction=rng.choice(["outbound", "outbound", "inbound"]),
            disposition=disposition,
            outcome=rng.choice([*team["outcomes"], None]) if disposition == "answered" else None,
            activity_at=start + datetime.timedelta(minutes=rng.randrange(0, 9 * 24 * 60)),
        )
    user = carol if who == "admin" else alice
    client = Client()
    client.force_login(user)

    html = client.get("/insights/?period=custom&start=2025-03-05&end=2025-03-11").content.decode()

    links = linked_counts(html)
    heatmap = [(query, number) for query, number in links if "weekday=" in query]
    assert len(heatmap) == 7 * 24 * 2  # outbound calls and connected ones, every weekday and hour
    assert sum(number for _, number in heatmap) > 0
    assert ("user_id=none" in html) == (who == "admin")  # the calls without a rep
    with timezone.override(user.time_zone):
        for query, number in links:
            found = TimelineFilter(
                QueryDict(query),
                queryset=Call.objects.filter(organization=organization),
                organization=organization,
            )
            assert found.is_valid(), query
            assert found.qs.count() == number, query
    team_row = html.split("<tfoot>")[1].split("</tfoot>")[0]
    assert "user_id=&amp;" in team_row  # everyone's calls, not only the member's own


def test_days_and_hours_are_the_signed_in_users(alice_browser, alice, lead):
    alice.time_zone = "America/New_York"
    alice.save()
    make_call(lead, alice, activity_at=datetime.datetime(2025, 3, 9, 3, 30, tzinfo=datetime.UTC))

    response = alice_browser.get("/insights/?period=custom&start=2025-03-08&end=2025-03-09")

    days = {row.data["day"]: row.totals.calls for row in response.context["tables"]["days"].rows}
    assert days == {datetime.date(2025, 3, 8): 1, datetime.date(2025, 3, 9): 0}
    assertContains(response, "days and hours in America/New_York")


def test_the_page_costs_the_same_queries_however_many_calls_and_reps(
    acme_admin_client, acme, lead, alice, outcome, django_assert_num_queries
):
    make_call(lead, alice, outcome=outcome, disposition="answered")
    acme_admin_client.get("/insights/")
    with django_assert_num_queries(8) as few:
        assert acme_admin_client.get("/insights/").status_code == 200
    for n in range(5):
        rep = make_user(acme, username=f"rep{n}")
        make_call(lead, rep, outcome=make_outcome(acme), disposition="answered")

    with django_assert_num_queries(len(few.captured_queries)):
        response = acme_admin_client.get("/insights/")
    assert len(rows(response)) == 8  # Alice, Carol, five reps, the team


def test_each_table_downloads_as_csv(acme_admin_client, calls):
    for name, header in [
        ("reps", "Rep"), ("days", "Day"), ("outcomes", "Outcome"),
        ("dispositions", "Disposition"), ("hours", "Weekday"),
    ]:  # fmt: skip
        response = acme_admin_client.get(f"/insights/{name}.csv?period=last-7-days")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert f'filename="insights-{name}-' in response["Content-Disposition"]
        assert b"".join(response.streaming_content).decode().startswith(header)


def test_no_csv_cell_runs_as_a_formula(acme_admin_client, acme, lead):
    rep = make_user(acme, username="mallory", first_name='=HYPERLINK("http://evil")', last_name="")
    make_call(lead, rep)

    response = acme_admin_client.get("/insights/reps.csv")

    names = [
        row[0] for row in csv.reader(io.StringIO(b"".join(response.streaming_content).decode()))
    ]
    assert '\'=HYPERLINK("http://evil")' in names


def test_an_unknown_table_is_not_found(alice_browser):
    assert alice_browser.get("/insights/secrets.csv").status_code == 404


def test_someone_in_no_organization_is_refused(client):
    client.force_login(make_user())
    assert client.get("/insights/").status_code == 403


def test_signing_in_comes_first(client):
    response = client.get("/insights/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_navigation_links_to_the_page(alice_browser):
    assertContains(alice_browser.get("/leads/"), 'href="/insights/"')


def test_a_former_member_keeps_their_row(acme_admin_client, acme, lead):
    rep = make_user(acme, username="gone", first_name="Gone", last_name="Rep")
    make_call(lead, rep)
    Membership.objects.filter(user=rep).delete()

    assert "Gone Rep (former member)" in rows(acme_admin_client.get("/insights/"))
