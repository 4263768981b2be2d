"""The log-a-call form's "follow up": a task saved in the same transaction as the call."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from activities.models import Call
from followups.days import next_monday
from followups.models import Task
from tests.activities.conftest import log_call
from tests.conftest import make_call, make_user

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("choice", "days_from_today"),
    [("tomorrow", 1), ("in_3_days", 3)],
)
def test_a_quick_date_follows_the_call_up(
    alice_browser, alice, lead, contact, choice, days_from_today
):
    response = log_call(
        alice_browser, lead, contact=contact.id, follow_up=choice, follow_up_text="Send pricing"
    )

    assert response.status_code == 302
    call, task = Call.objects.get(), Task.objects.get()
    assert (task.type, task.lead, task.contact, task.assigned_to) == (
        "outgoing_call", lead, contact, alice
    )  # fmt: skip
    assert (task.text, task.created_by) == ("Send pricing", alice)
    assert task.date == timezone.localdate() + days_from_today * DAY
    assert call.lead == lead


def test_next_week_is_the_monday_after_this_week(alice_browser, lead):
    log_call(alice_browser, lead, follow_up="next_week")

    assert Task.objects.get().date == next_monday(timezone.localdate())
    assert Task.objects.get().date.weekday() == 0


def test_a_day_picked_follows_the_call_up_on_that_day(alice_browser, lead):
    log_call(alice_browser, lead, follow_up_date="2030-01-10")

    task = Task.objects.get()
    assert (task.date, task.title) == (datetime.date(2030, 1, 10), "Call Wayne Enterprises")


def test_quick_dates_are_the_users_own_days(alice_browser, alice, lead):
    alice.time_zone = "Pacific/Kiritimati"  # UTC+14: often a day ahead of UTC
    alice.save()

    log_call(alice_browser, lead, follow_up="tomorrow")

    kiritimati_today = (
        datetime.datetime.now(datetime.UTC)
        .astimezone(datetime.timezone(datetime.timedelta(hours=14)))
        .date()
    )
    assert Task.objects.get().date == kiritimati_today + DAY


def test_no_follow_up_logs_the_call_alone(alice_browser, lead):
    response = log_call(alice_browser, lead)

    assert response.status_code == 302
    assert Call.objects.count() == 1
    assert not Task.objects.exists()


def test_an_admin_logging_for_a_rep_gives_the_follow_up_to_the_rep(acme_admin_client, acme, lead):
    rep = make_user(acme)

    log_call(acme_admin_client, lead, user=rep.id, follow_up="tomorrow")

    assert Task.objects.get().assigned_to == rep


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"follow_up": "tomorrow", "follow_up_date": "2030-01-10"}, "follow_up_date",
         "Pick a quick date or a day, not both."),
        ({"follow_up_text": "Send pricing"}, "follow_up", "Pick when to follow up."),
        ({"follow_up_date": "2020-01-10"}, "follow_up_date", "Pick today or a later day."),
        ({"follow_up": "someday"}, "follow_up", "Select a valid choice. someday is not one of "
         "the available choices."),
    ],
)  # fmt: skip
def test_a_follow_up_in_error_logs_nothing(alice_browser, lead, fields, field, message):
    response = log_call(alice_browser, lead, **fields)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not Call.objects.exists()
    assert not Task.objects.exists()


def test_a_call_the_rules_refuse_creates_no_task(alice_browser, lead):
    # vm-answer is only possible on an inbound call: the call fails Call.clean.
    response = log_call(
        alice_browser, lead, direction="outbound", disposition="vm-answer", follow_up="tomorrow"
    )

    assert response.status_code == 200
    assert "disposition" in response.context["form"].errors
    assert not Call.objects.exists()
    assert not Task.objects.exists()


def rep_leaves_once_the_call_is_written(change):
    """A receiver (settings.CHANGE_RECEIVERS): the call's rep leaves the organization as soon
    as the call is written, so that the follow-up, saved next, is refused."""
    if change.model is Call and change.action == "created":
        Membership.objects.filter(user_id=change.instance.user_id).delete()


def test_a_follow_up_that_cannot_be_saved_takes_the_call_with_it(
    acme_admin_client, acme, lead, settings
):
    settings.CHANGE_RECEIVERS = [f"{__name__}.rep_leaves_once_the_call_is_written"]
    rep = make_user(acme)

    response = log_call(acme_admin_client, lead, user=rep.id, follow_up="tomorrow")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Object does not exist."]
    assert not Call.objects.exists()
    assert not Task.objects.exists()
    assert Membership.objects.filter(user=rep).exists()  # what the receiver did, rolled back too


def test_the_edit_form_has_no_follow_up(alice_browser, alice, lead):
    call = make_call(lead, alice)

    response = alice_browser.get(reverse("activities:call_edit", args=[call.id]))

    assert response.status_code == 200
    assert "follow_up" not in response.context["form"].fields
    assert 'name="follow_up"' not in response.content.decode()


def test_the_lead_page_offers_the_follow_up_with_its_days(alice_browser, lead):
    response = alice_browser.get(lead.get_absolute_url())

    content = response.content.decode()
    tomorrow = timezone.localdate() + DAY
    assert "<legend>Follow up</legend>" in content
    assert f"Tomorrow ({tomorrow:%a} {tomorrow.day} {tomorrow:%b})" in content
    assert 'id="log_follow_up_date"' in content
