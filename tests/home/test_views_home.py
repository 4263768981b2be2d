"""The rep's home (`/`): today's numbers, the follow-up inbox, the leads called last, search."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from followups.days import start_of, today_in
from tests.conftest import make_call, make_lead, make_task, make_user

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
DAY = datetime.timedelta(days=1)
SECOND = datetime.timedelta(seconds=1)


def inbox(response):
    """The inbox's groups: {heading: [task title, ...]}."""
    return {
        heading: [task.title for task in tasks]
        for heading, tasks in response.context["inbox"].groups
    }


def test_the_home_asks_to_sign_in(client, db):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_the_home_is_the_site_root(alice_browser):
    response = alice_browser.get("/")

    assert response.status_code == 200
    assert [template.name for template in response.templates][:2] == ["home/home.html", "base.html"]
    assertContains(response, "<title>Today · closecalls</title>", html=True)


def test_todays_numbers_are_the_reps_own_calls_of_their_day(alice_browser, alice, acme, lead):
    alice.time_zone = "Pacific/Kiritimati"  # UTC+14: its day starts while UTC's is going
    alice.save()
    zone = zoneinfo.ZoneInfo("Pacific/Kiritimati")
    day_starts = start_of(today_in(zone), zone)
    make_call(lead, alice, disposition="answered", duration=120, activity_at=day_starts)
    make_call(lead, alice, disposition="answered", duration=30, activity_at=day_starts + SECOND)
    make_call(lead, alice, disposition="no-answer", duration=0, activity_at=day_starts + SECOND)
    make_call(lead, alice, disposition="vm-left", duration=45, activity_at=day_starts + SECOND)
    make_call(lead, alice, disposition="answered", duration=999, activity_at=day_starts - SECOND)
    make_call(lead, make_user(acme), disposition="answered", duration=999, activity_at=day_starts)

    response = alice_browser.get("/")

    assert response.context["mine"] == {"calls": 4, "connected": 2, "talk_time": 150}
    assertContains(response, "<div><dt>Calls</dt><dd>4</dd></div>", html=True)
    assertContains(response, "<div><dt>Connected</dt><dd>2</dd></div>", html=True)
    assertContains(response, "<div><dt>Talk time</dt><dd>2:30</dd></div>", html=True)


def test_a_member_does_not_see_the_teams_numbers(alice_browser, alice, lead):
    make_call(lead, alice)

    response = alice_browser.get("/")

    assert response.context["team"] is None
    assertNotContains(response, "Team today")


def test_an_admin_sees_each_reps_numbers_and_the_teams(
    acme_admin_client, acme_admin, alice, acme, lead
):
    make_call(lead, alice, disposition="answered", duration=60)
    make_call(lead, alice, disposition="no-answer", duration=0)
    make_call(lead, acme_admin, disposition="answered", duration=90)
    make_call(lead, None, disposition="answered", duration=10)

    response = acme_admin_client.get("/")

    team = response.context["team"]
    numbers = ("name", "calls", "connected", "talk_time")
    assert [tuple(rep[name] for name in numbers) for rep in team["reps"]] == [
        ("Alice Archer", 2, 1, 60),
        (acme_admin.display_name, 1, 1, 90),
        ("No rep", 1, 1, 10),
    ]  # fmt: skip
    assert team["total"] == {"calls": 4, "connected": 3, "talk_time": 160}
    assertContains(response, '<th scope="row">Team</th>', html=True)


def test_the_inbox_shows_the_reps_overdue_tasks_first_then_todays(alice_browser, alice, acme, lead):
    today = today_in(UTC)
    make_task(lead, alice, text="Today, no time", date=today)
    make_task(lead, alice, text="Last week", date=today - 7 * DAY)
    make_task(lead, alice, text="Yesterday", date=today - DAY)
    make_task(lead, alice, text="Whenever", date=None)
    make_task(lead, alice, text="Tomorrow", date=today + DAY)
    make_task(lead, alice, text="Done", date=today, is_complete=True)
    make_task(lead, make_user(acme), text="Someone else's", date=today)

    response = alice_browser.get("/")

    assert inbox(response) == {
        "Overdue": ["Last week", "Yesterday"],
        "Today": ["Today, no time"],
        "No date": ["Whenever"],
    }
    assertContains(response, '<span class="count">4</span>', html=True)
    assertNotContains(response, "Someone else")


def test_the_inbox_counts_days_in_the_reps_time_zone(alice_browser, alice, lead):
    alice.time_zone = "Pacific/Kiritimati"
    alice.save()
    zone = zoneinfo.ZoneInfo("Pacific/Kiritimati")
    today = today_in(zone)
    make_task(lead, alice, text="Late yesterday there", due_at=start_of(today, zone) - SECOND)
    make_task(lead, alice, text="First thing today there", due_at=start_of(today, zone))
    make_task(lead, alice, text="Tomorrow there", due_at=start_of(today + DAY, zone))

    response = alice_browser.get("/")

    assert inbox(response) == {
        "Overdue": ["Late yesterday there"],
        "Today": ["First thing today there"],
    }


def test_each_follow_up_offers_done_snooze_and_its_lead(alice_browser, alice, lead):
    task = make_task(lead, alice, text="Send pricing", date=today_in(UTC))

    response = alice_browser.get("/")

    content = response.content.decode()
    assert f'action="/tasks/{task.id}/complete/"' in content
    assert content.count(f'action="/tasks/{task.id}/snooze/"') == 2
    assert 'name="until" value="tomorrow"' in content
    assert 'name="until" value="next_week"' in content
    assert '<input type="hidden" name="next" value="/">' in content
    assertContains(
        response,
        f'<a class="task__open" href="{lead.get_absolute_url()}">Open lead'
        '<span class="visually-hidden"> Wayne Enterprises</span></a>',
        html=True,
    )


def test_an_empty_inbox_says_so(alice_browser):
    response = alice_browser.get("/")

    assertContains(response, '<p class="empty">Nothing to follow up today.</p>', html=True)


def test_the_leads_called_last_are_listed_once_each_newest_first(alice_browser, alice, acme):
    now = datetime.datetime.now(UTC)
    first, second, third = (make_lead(acme, name=name) for name in ("First", "Second", "Third"))
    make_call(first, alice, activity_at=now - 4 * SECOND)
    make_call(second, alice, activity_at=now - 3 * SECOND)
    make_call(first, alice, activity_at=now - 2 * SECOND)
    make_call(third, make_user(acme), activity_at=now - SECOND)

    response = alice_browser.get("/")

    assert [call.lead.name for call in response.context["recent_calls"]] == ["First", "Second"]


def test_the_search_box_sends_its_words_to_the_sites_search(alice_browser):
    response = alice_browser.get("/")

    assertContains(response, '<form class="search" method="get" action="/leads/" role="search">')
    assertContains(response, 'name="q"')


def test_someone_in_no_organization_is_told_so(client, db):
    client.force_login(make_user())

    response = client.get("/")

    assert response.status_code == 403


def test_the_home_costs_the_same_number_of_queries_whatever_the_rows(
    acme_admin_client, acme_admin, acme, django_assert_num_queries
):
    today = today_in(UTC)

    def fill(count):
        for n in range(count):
            lead = make_lead(acme)
            rep = make_user(acme)
            make_call(lead, acme_admin, disposition="answered")
            make_call(lead, rep, disposition="answered")
            make_task(lead, acme_admin, date=today - n * DAY)

    fill(1)
    with django_assert_num_queries(QUERIES_OF_THE_HOME):
        response = acme_admin_client.get("/")
    assert response.status_code == 200
    assert response.context["inbox"].count == 1
    fill(20)
    with django_assert_num_queries(QUERIES_OF_THE_HOME):
        response = acme_admin_client.get("/")
    assert response.status_code == 200
    assert response.context["inbox"].count == 21
    assert len(response.context["team"]["reps"]) == 22
    assert len(response.context["recent_calls"]) == 8
    assertContains(response, '<li class="task task--lead"', count=21)


# Session, user, the user's memberships (the organization picker's too); my numbers, the team's;
# the inbox; the calls of the leads called last.
QUERIES_OF_THE_HOME = 7
