"""The tasks calls leave: a missed inbound call, a voicemail; completed by a later connection."""

import datetime

import pytest

from activities import services as call_services
from followups import services
from followups.models import Task
from tests.conftest import make_call, make_contact, make_lead, make_task, make_user

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
MORNING = datetime.datetime(2026, 11, 2, 9, tzinfo=UTC)
HOUR = datetime.timedelta(hours=1)


def inbound(lead, user=None, disposition="no-answer", when=MORNING, **fields):
    return make_call(
        lead, user, direction="inbound", disposition=disposition, duration=0, activity_at=when,
        **fields,
    )  # fmt: skip


def outbound(lead, user=None, disposition="answered", when=MORNING + HOUR, **fields):
    return make_call(lead, user, disposition=disposition, activity_at=when, **fields)


def test_a_missed_inbound_call_leaves_a_task_for_its_rep(lead, contact, alice):
    call = inbound(lead, alice, contact=contact)

    task = Task.objects.get()
    assert (task.type, task.assigned_to, task.lead, task.contact) == (
        "missed_call", alice, lead, contact
    )  # fmt: skip
    assert (task.object_type, task.object_id) == ("call", call.id)
    assert (task.due_at, task.date, task.is_complete) == (MORNING, None, False)
    assert task.title == "Missed call from Bruce Wayne"


def test_a_voicemail_leaves_a_voicemail_task(lead, alice):
    inbound(lead, alice, disposition="vm-left", voicemail_url="https://vm.example.com/1.mp3")

    assert Task.objects.get().type == "voicemail"


@pytest.mark.parametrize("disposition", ["vm-answer", "busy", "error"])
def test_other_unanswered_inbound_calls_are_missed_calls(lead, alice, disposition):
    inbound(lead, alice, disposition=disposition)

    assert Task.objects.get().type == "missed_call"


@pytest.mark.parametrize(
    ("direction", "disposition"),
    [("inbound", "answered"), ("inbound", "blocked"), ("outbound", "no-answer")],
)
def test_other_calls_leave_no_task(lead, alice, direction, disposition):
    make_call(lead, alice, direction=direction, disposition=disposition)

    assert not Task.objects.exists()


def test_without_a_rep_the_task_goes_to_the_leads_last_rep(lead, acme, alice):
    carol = make_user(acme)
    outbound(lead, carol, disposition="no-answer", when=MORNING - 2 * HOUR)
    outbound(lead, alice, disposition="no-answer", when=MORNING - HOUR)

    inbound(lead, None)

    assert Task.objects.get().assigned_to == alice


def test_a_last_rep_who_left_the_organization_is_passed_over(lead, acme, alice):
    carol = make_user(acme)
    outbound(lead, alice, disposition="no-answer", when=MORNING - 2 * HOUR)
    outbound(lead, carol, disposition="no-answer", when=MORNING - HOUR)
    carol.memberships.all().delete()

    inbound(lead, None)

    assert Task.objects.get().assigned_to == alice


def test_a_lead_never_called_by_a_rep_leaves_the_task_unassigned(lead):
    inbound(lead, None)

    assert Task.objects.get().assigned_to is None


def test_a_later_outbound_call_that_connects_completes_the_task(lead, alice):
    inbound(lead, alice)
    inbound(lead, alice, disposition="vm-left", when=MORNING + HOUR / 2)

    outbound(lead, alice, when=MORNING + HOUR)

    assert list(Task.objects.values_list("is_complete", flat=True)) == [True, True]
    assert set(Task.objects.values_list("updated_by", flat=True)) == {alice.id}


def test_an_outbound_call_that_does_not_connect_completes_nothing(lead, alice):
    inbound(lead, alice)

    outbound(lead, alice, disposition="no-answer")
    outbound(lead, alice, direction="inbound")

    assert not Task.objects.get().is_complete


def test_a_connection_before_the_missed_call_completes_nothing(lead, alice):
    inbound(lead, alice)

    outbound(lead, alice, when=MORNING - HOUR)

    assert not Task.objects.get().is_complete


def test_a_connection_on_another_lead_completes_nothing(lead, acme, alice):
    inbound(lead, alice)

    outbound(make_lead(acme), alice)

    assert not Task.objects.get().is_complete


def test_people_made_tasks_are_not_completed_by_a_call(lead, alice):
    make_task(lead, alice, type="outgoing_call", date=MORNING.date())

    outbound(lead, alice)

    assert not Task.objects.get().is_complete


def test_a_missed_call_logged_after_a_later_connection_is_already_complete(lead, alice):
    outbound(lead, alice, when=MORNING + HOUR)

    inbound(lead, alice, when=MORNING)

    assert Task.objects.get().is_complete


def test_a_call_edited_to_connect_completes_the_earlier_tasks(lead, alice):
    inbound(lead, alice)
    call = outbound(lead, alice, disposition="no-answer")

    call_services.call_update(call, updated_by=alice, fields={"disposition": "answered"})

    assert Task.objects.get().is_complete


# When the call changes


def test_a_voicemail_found_on_a_missed_call_turns_its_task_into_a_voicemail(lead, alice):
    call = inbound(lead, alice)

    call_services.call_update(
        call, updated_by=alice,
        fields={"disposition": "vm-left", "voicemail_url": "https://vm.example.com/1.mp3"},
    )  # fmt: skip

    assert Task.objects.get().type == "voicemail"


def test_a_call_found_answered_after_all_loses_its_open_task(lead, alice):
    call = inbound(lead, alice)

    call_services.call_update(call, updated_by=alice, fields={"disposition": "answered"})

    assert not Task.objects.exists()


def test_a_call_found_missed_gains_its_task(lead, alice):
    call = make_call(lead, alice, direction="inbound", disposition="answered")

    call_services.call_update(call, updated_by=alice, fields={"disposition": "no-answer"})

    assert Task.objects.get().object_id == call.id


def test_the_task_moves_with_its_call_to_another_lead(acme, lead, contact, alice):
    call = inbound(lead, alice, contact=contact)
    other = make_lead(acme)
    other_contact = make_contact(other)

    call_services.call_update(
        call, updated_by=alice, fields={"lead": other, "contact": other_contact}
    )

    task = Task.objects.get()
    assert (task.lead, task.contact) == (other, other_contact)


def test_the_task_goes_to_the_calls_new_rep(acme, lead, alice):
    carol = make_user(acme)
    call = inbound(lead, alice)

    call_services.call_update(call, updated_by=alice, fields={"user": carol})

    assert Task.objects.get().assigned_to == carol


def test_a_task_handed_to_someone_else_stays_with_them(acme, lead, alice):
    carol, dave = make_user(acme), make_user(acme)
    call = inbound(lead, alice)
    services.task_update(Task.objects.get(), updated_by=alice, fields={"assigned_to": dave})

    call_services.call_update(call, updated_by=alice, fields={"user": carol})

    assert Task.objects.get().assigned_to == dave


def test_the_task_follows_the_calls_new_time_unless_it_was_snoozed(lead, alice):
    call = inbound(lead, alice)
    call_services.call_update(call, updated_by=alice, fields={"activity_at": MORNING - HOUR})
    assert Task.objects.get().due_at == MORNING - HOUR

    services.task_snooze(Task.objects.get(), until=datetime.date(2030, 1, 1), snoozed_by=alice)
    call_services.call_update(call, updated_by=alice, fields={"activity_at": MORNING})

    task = Task.objects.get()
    assert (task.date, task.due_at) == (datetime.date(2030, 1, 1), None)


def test_a_deleted_call_takes_its_open_task_with_it(lead, alice):
    call = inbound(lead, alice)

    call_services.call_delete(call, deleted_by=alice)

    assert not Task.objects.exists()


def test_a_completed_task_stays_whatever_becomes_of_its_call(lead, alice):
    call = inbound(lead, alice)
    call_id = call.id
    services.task_complete(Task.objects.get(), completed_by=alice)

    call_services.call_update(call, updated_by=alice, fields={"disposition": "answered"})
    call_services.call_delete(call, deleted_by=alice)

    task = Task.objects.get()
    assert (task.is_complete, task.type, task.object_id) == (True, "missed_call", call_id)


def test_the_task_is_written_and_announced_in_the_calls_transaction(
    lead, alice, announced, settings
):
    settings.CHANGE_RECEIVERS = [
        "followups.receivers.follow_calls",
        "tests.conftest.remember_change",
    ]

    call = inbound(lead, alice)

    created = [(change.model.__name__, change.action) for change in announced]
    assert created == [("Task", "created"), ("Call", "created")]
    assert announced[0].instance.object_id == call.id
