"""All calls (`/calls/`): the organization's calls across leads, filtered, paged by keyset, and
downloaded as CSV by an admin."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from accounts import roles
from activities.views import CALLS_PER_PAGE
from core.keyset import Cursor
from tests.activities.conftest import read_calls_csv
from tests.conftest import make_call, make_contact, make_lead, make_outcome, make_user

pytestmark = pytest.mark.django_db

CALLS = reverse("activities:call_list")
CSV = reverse("activities:call_list_csv")
# Session, user, the user's memberships (the organization switcher's too); the rep filter's value
# (the member's own, by default); the page of calls, their transcripts' ids, the transcription
# panel's jobs; the rep and outcome pick lists.
QUERIES = 9


def listed(response):
    assert response.status_code == 200
    return list(response.context["page"].object_list)


def walk(client, params=None, direction="before"):
    """Follow the older (or newer) links from the page `params` asks for; return the pages."""
    pages, params = [], dict(params or {})
    while True:
        response = client.get(CALLS, params)
        pages.append(listed(response))
        page = response.context["page"]
        cursor = page.older if direction == "before" else page.newer
        if cursor is None:
            return pages
        params = {**params, direction: str(cursor)}
        params.pop("after" if direction == "before" else "before", None)


def test_the_calls_of_every_lead_are_listed_newest_first_with_their_lead(
    alice_browser, alice, acme
):
    now = timezone.now()
    wayne, stark = (
        make_lead(acme, name="Wayne Enterprises"),
        make_lead(acme, name="Stark Industries"),
    )
    old = make_call(wayne, alice, activity_at=now - timedelta(days=2))
    new = make_call(stark, alice, activity_at=now - timedelta(hours=1))
    middle = make_call(wayne, alice, activity_at=now - timedelta(days=1))

    response = alice_browser.get(CALLS)

    assert listed(response) == [new, middle, old]
    assertContains(
        response,
        f'<a class="call__lead" href="{stark.get_absolute_url()}">Stark Industries</a>',
        html=True,
    )


def test_the_header_links_to_all_calls(alice_browser, lead):
    response = alice_browser.get(lead.get_absolute_url())
    assertContains(response, f'<a href="{CALLS}">Calls</a>', html=True)
    assertContains(
        alice_browser.get(CALLS), f'<a href="{CALLS}" aria-current="page">Calls</a>', html=True
    )


def test_a_member_sees_their_own_calls_first_and_can_ask_for_the_teams(
    alice_browser, alice, acme, lead
):
    teammate = make_user(acme)
    mine = make_call(lead, alice)
    theirs = make_call(lead, teammate)

    response = alice_browser.get(CALLS)
    assert listed(response) == [mine]
    assert response.context["listed"].form["user_id"].value() == alice.id
    assertContains(response, f'<a href="{CALLS}?user_id=">Show the team\'s calls</a>', html=True)

    assert set(listed(alice_browser.get(CALLS, {"user_id": ""}))) == {mine, theirs}
    assert listed(alice_browser.get(CALLS, {"user_id": teammate.id})) == [theirs]


def test_an_admin_sees_the_teams_calls_first(acme_admin_client, alice, acme_admin, lead):
    calls = {make_call(lead, alice), make_call(lead, acme_admin)}
    response = acme_admin_client.get(CALLS)
    assert set(listed(response)) == calls
    assert not response.context["mine"]


def test_another_organizations_calls_never_show(alice_browser, alice, lead, bob_call):
    mine = make_call(lead, alice)
    for params in ({}, {"user_id": ""}, {"user_id": bob_call.user_id}, {"has_recording": "false"}):
        response = alice_browser.get(CALLS, params)
        assert bob_call not in listed(response)
        assertNotContains(response, "Initech")
    assert listed(alice_browser.get(CALLS)) == [mine]


@pytest.mark.parametrize("url", [CALLS, CSV])
def test_a_member_of_no_organization_is_told_so(client, url):
    client.force_login(make_user())
    response = client.get(url)
    assertContains(response, "not a member of any organization", status_code=403)


class TestFilters:
    @pytest.fixture
    def calls(self, alice, acme, lead):
        outcome = make_outcome(acme, name="Demo booked")
        other_lead = make_lead(acme, name="Stark Industries")
        recorded = make_call(lead, alice, recording_url="https://recordings.example.com/1.mp3")
        transcribed = make_call(
            other_lead,
            alice,
            transcripts={"recording_transcript": {"summary_text": "Hello", "utterances": []}},
        )
        return {
            "recorded": recorded,
            "transcribed": transcribed,
            "booked": make_call(lead, alice, disposition="answered", outcome=outcome),
            "inbound": make_call(lead, alice, direction="inbound", disposition="vm-left"),
            "busy": make_call(other_lead, alice, disposition="busy"),
            "old": make_call(lead, alice, activity_at=datetime(2024, 5, 1, 12, tzinfo=UTC)),
        }

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"has_recording": "true"}, {"recorded"}),
            ({"has_recording": "false"}, {"transcribed", "booked", "inbound", "busy", "old"}),
            ({"has_transcript": "true"}, {"transcribed"}),
            ({"has_transcript": "false"}, {"recorded", "booked", "inbound", "busy", "old"}),
            ({"disposition": "busy"}, {"busy"}),
            ({"direction": "inbound"}, {"inbound"}),
            ({"activity_at__gte": "2024-05-01", "activity_at__lte": "2024-05-01"}, {"old"}),
        ],
    )
    def test_each_filter_keeps_only_the_calls_it_names(
        self, alice_browser, calls, params, expected
    ):
        response = alice_browser.get(CALLS, params)
        assert {name for name, call in calls.items() if call in listed(response)} == expected

    def test_the_outcome_filter_keeps_the_calls_with_that_outcome(self, alice_browser, calls):
        outcome = calls["booked"].outcome_id
        assert listed(alice_browser.get(CALLS, {"outcome_id": outcome})) == [calls["booked"]]

    def test_filters_carry_over_to_the_next_page(self, alice_browser, alice, lead):
        busy = [make_call(lead, alice, disposition="busy") for _ in range(CALLS_PER_PAGE + 3)]
        make_call(lead, alice, disposition="answered")

        pages = walk(alice_browser, {"disposition": "busy"})

        assert [len(page) for page in pages] == [CALLS_PER_PAGE, 3]
        assert {call for page in pages for call in page} == set(busy)

    def test_a_filter_nothing_matches_says_so(self, alice_browser, calls):
        response = alice_browser.get(CALLS, {"disposition": "blocked"})
        assert listed(response) == []
        assertContains(response, "No call matches these filters.")

    def test_a_day_that_is_no_date_is_a_field_error_not_a_failure(self, alice_browser, calls):
        response = alice_browser.get(CALLS, {"activity_at__gte": "someday"})
        assert len(listed(response)) == len(calls)
        assert response.context["listed"].form.errors["activity_at__gte"] == ["Enter a valid date."]


class TestPaging:
    def test_pages_older_and_newer_lose_and_repeat_no_call(self, alice_browser, alice, lead):
        now = timezone.now().replace(microsecond=0)
        # Calls sharing a time straddle every page boundary: the id breaks the tie.
        calls = [
            make_call(lead, alice, activity_at=now - timedelta(minutes=n // 7))
            for n in range(CALLS_PER_PAGE * 2 + 20)
        ]
        newest_first = sorted(calls, key=lambda call: (call.activity_at, call.id), reverse=True)

        older = walk(alice_browser)
        assert [len(page) for page in older] == [CALLS_PER_PAGE, CALLS_PER_PAGE, 20]
        assert [call for page in older for call in page] == newest_first

        last = alice_browser.get(CALLS, {"before": str(Cursor.of(older[1][-1], "activity_at"))})
        newer = walk(alice_browser, {"after": str(last.context["page"].newer)}, "after")
        assert newer == [older[1], older[0]]

    def test_the_first_page_has_only_an_older_link_and_the_last_only_a_newer_one(
        self, alice_browser, alice, lead
    ):
        for _ in range(CALLS_PER_PAGE + 1):
            make_call(lead, alice)
        first = alice_browser.get(CALLS)
        assertContains(first, "Older →")
        assertNotContains(first, "← Newer")
        last = alice_browser.get(CALLS, {"before": str(first.context["page"].older)})
        assert len(listed(last)) == 1
        assertContains(last, "← Newer")
        assertNotContains(last, "Older →")

    def test_back_at_the_top_the_newer_page_is_the_first_page_as_it_is_now(
        self, alice_browser, alice, lead
    ):
        now = timezone.now()
        calls = [make_call(lead, alice, activity_at=now - timedelta(hours=n)) for n in range(60)]
        second = alice_browser.get(CALLS, {"before": str(Cursor.of(calls[49], "activity_at"))})
        assert listed(second) == calls[50:]
        calls.pop(0).delete()  # fewer than a page's worth now above the second page

        back = alice_browser.get(CALLS, {"after": str(second.context["page"].newer)})

        assert listed(back) == calls[:CALLS_PER_PAGE]
        assert back.context["page"].newer is None
        assert back.context["page"].older == Cursor.of(calls[CALLS_PER_PAGE - 1], "activity_at")

    @pytest.mark.parametrize(
        "cursor", ["nonsense", "12.", ".acti_1", "1" * 30 + ".acti_x", "1.a b"]
    )
    def test_a_cursor_that_is_no_cursor_gives_the_first_page(
        self, alice_browser, alice, lead, cursor
    ):
        call = make_call(lead, alice)
        assert listed(alice_browser.get(CALLS, {"before": cursor})) == [call]
        assert listed(alice_browser.get(CALLS, {"after": cursor})) == [call]

    def test_a_cursor_past_the_oldest_call_offers_the_way_back(self, alice_browser, alice, lead):
        make_call(lead, alice, activity_at=datetime(2024, 5, 1, tzinfo=UTC))
        cursor = Cursor(datetime(2000, 1, 1, tzinfo=UTC), "acti_0")
        response = alice_browser.get(CALLS, {"before": str(cursor)})
        assert listed(response) == []
        assert response.context["page"].newer == cursor


def test_the_page_costs_the_same_number_of_queries_whatever_the_calls(
    alice_browser, alice, acme, django_assert_num_queries
):
    outcome = make_outcome(acme)

    def log(count):
        for n in range(count):
            lead = make_lead(acme)
            make_call(
                lead,
                alice,
                contact=make_contact(lead),
                outcome=outcome,
                disposition="answered",
                recording_url="https://recordings.example.com/1.mp3",
                transcripts={"recording_transcript": {"summary_text": f"Call {n}"}},
            )

    log(1)
    with django_assert_num_queries(QUERIES):
        response = alice_browser.get(CALLS)
    assert len(listed(response)) == 1
    log(CALLS_PER_PAGE + 5)
    with django_assert_num_queries(QUERIES):
        response = alice_browser.get(CALLS, {"has_recording": "true"})
    assert len(listed(response)) == CALLS_PER_PAGE
    assertContains(response, '<li class="call call--answered', count=CALLS_PER_PAGE)
    assertContains(response, 'class="call__lead"', count=CALLS_PER_PAGE)
    with django_assert_num_queries(QUERIES):
        response = alice_browser.get(CALLS, {"before": str(response.context["page"].older)})
    assert len(listed(response)) == 6


def test_the_row_offers_edit_and_delete_only_where_the_member_may(alice_browser, alice, acme, lead):
    mine, theirs = make_call(lead, alice), make_call(lead, make_user(acme))
    response = alice_browser.get(CALLS, {"user_id": ""})
    assertContains(response, f'href="/calls/{mine.id}/edit/"')
    assertNotContains(response, f'href="/calls/{theirs.id}/edit/"')


@pytest.mark.parametrize("shown", [True, False])
def test_the_cost_shows_only_where_the_organization_shows_it(
    alice_browser, alice, acme, lead, shown
):
    acme.show_call_cost = shown
    acme.save()
    make_call(lead, alice, cost=Decimal("25"))
    response = alice_browser.get(CALLS)
    assert ("<dd>$0.25</dd>" in response.content.decode()) is shown


class TestCsv:
    def download(self, client, params=None):
        return read_calls_csv(client.get(CSV, params or {}))

    def test_an_admin_downloads_the_calls_with_names_beside_the_ids(
        self, acme_admin_client, alice, lead, contact, outcome
    ):
        call = make_call(
            lead, alice, contact=contact, disposition="answered", outcome=outcome, cost="2.5"
        )
        [row] = self.download(acme_admin_client)
        assert (row["id"], row["lead_id"], row["lead_name"]) == (call.id, lead.id, lead.name)
        assert (row["contact_id"], row["contact_name"]) == (contact.id, "Bruce Wayne")
        assert (row["user_id"], row["user_name"]) == (alice.id, "Alice Archer")
        assert (row["outcome_id"], row["outcome_name"]) == (outcome.id, "Demo booked")
        assert row["cost"] == "2.5"  # cents, as the API has it

    def test_the_columns_put_each_name_beside_its_id(self, acme_admin_client, alice, lead):
        make_call(lead, alice)
        response = acme_admin_client.get(CSV)
        header = b"".join(response.streaming_content).decode().splitlines()[0].split(",")
        for name in ("lead", "contact", "user", "outcome"):
            assert header[header.index(f"{name}_id") + 1] == f"{name}_name"

    def test_the_download_has_the_pages_filters(self, acme_admin_client, alice, acme_admin, lead):
        busy = make_call(lead, alice, disposition="busy")
        make_call(lead, alice, disposition="answered")
        make_call(lead, acme_admin, disposition="busy")
        rows = self.download(acme_admin_client, {"disposition": "busy", "user_id": alice.id})
        assert [row["id"] for row in rows] == [busy.id]

    def test_the_page_links_the_download_with_its_filters_for_an_admin(
        self, acme_admin_client, alice, lead
    ):
        make_call(lead, alice)
        response = acme_admin_client.get(CALLS, {"disposition": "busy", "before": "1.acti_x"})
        assertContains(response, f'href="{CSV}?disposition=busy"')

    def test_a_member_is_offered_no_download_and_refused_one(self, alice_browser, alice, lead):
        make_call(lead, alice)
        assertNotContains(alice_browser.get(CALLS), CSV)
        response = alice_browser.get(CSV)
        assert response.status_code == 403
        assertContains(response, roles.can_export_calls.refusal, status_code=403)


class TestLocalWeekdayAndHour:
    """`weekday` (ISO, 1 is Monday) and `hour` (0-23) of `activity_at` as the clock read in the
    user's time zone, the one insights count the calls in."""

    @pytest.fixture
    def in_zone(self, alice_browser, alice, lead):
        def log(zone, *moments):
            alice.time_zone = zone
            alice.save()
            return [make_call(lead, alice, activity_at=moment) for moment in moments]

        return log

    def test_a_zone_half_an_hour_off_the_hour_moves_a_call_to_the_next_day(
        self, alice_browser, in_zone
    ):
        # 18:45 UTC on Monday is 00:15 on Tuesday in Kolkata (+05:30); 18:15 is 23:45 Monday.
        tuesday, monday = in_zone(
            "Asia/Kolkata",
            datetime(2025, 3, 10, 18, 45, tzinfo=UTC),
            datetime(2025, 3, 10, 18, 15, tzinfo=UTC),
        )
        assert listed(alice_browser.get(CALLS, {"weekday": 2, "hour": 0})) == [tuesday]
        assert listed(alice_browser.get(CALLS, {"weekday": 1, "hour": 23})) == [monday]
        assert listed(alice_browser.get(CALLS, {"hour": 18})) == []

    def test_hours_follow_the_clocks_across_a_change_of_time(self, alice_browser, in_zone):
        # New York, Sunday 9 March 2025: 01:30 EST, then the clocks skip 02:00-03:00, 03:30 EDT.
        # Sunday 2 November 2025: 01:30 EDT, then 01:30 again in EST.
        before, after, first, again = in_zone(
            "America/New_York",
            datetime(2025, 3, 9, 6, 30, tzinfo=UTC),
            datetime(2025, 3, 9, 7, 30, tzinfo=UTC),
            datetime(2025, 11, 2, 5, 30, tzinfo=UTC),
            datetime(2025, 11, 2, 6, 30, tzinfo=UTC),
        )
        assert listed(alice_browser.get(CALLS, {"hour": 1})) == [again, first, before]
        assert listed(alice_browser.get(CALLS, {"hour": 2})) == []
        assert listed(alice_browser.get(CALLS, {"weekday": 7, "hour": 3})) == [after]
        assert listed(alice_browser.get(CALLS, {"weekday": 6})) == []

    @pytest.mark.parametrize(
        "params, field",
        [({"weekday": "8"}, "weekday"), ({"weekday": "0"}, "weekday"),
         ({"hour": "24"}, "hour"), ({"hour": "-1"}, "hour"), ({"hour": "noon"}, "hour")],
    )  # fmt: skip
    def test_a_weekday_or_hour_out_of_range_is_a_field_error_not_a_failure(
        self, alice_browser, in_zone, params, field
    ):
        calls = in_zone("Europe/Paris", timezone.now() - timedelta(hours=1))
        response = alice_browser.get(CALLS, params)
        assert listed(response) == calls
        assert response.context["listed"].form.errors[field] == [
            f"Select a valid choice. {params[field]} is not one of the available choices."
        ]
        assertContains(response, "field--error")


def test_user_id_none_lists_the_calls_without_a_rep(alice_browser, alice, lead):
    nobodys = make_call(lead, None)
    make_call(lead, alice)

    response = alice_browser.get(CALLS, {"user_id": "none"})

    assert listed(response) == [nobodys]
    assertContains(response, '<option value="none" selected>No rep</option>', html=True)
