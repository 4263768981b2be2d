"""The event log keeps 30 days: an hourly job deletes older events, with their deliveries."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from events.jobs import fan_out, prune_events
from events.models import Delivery, Event
from jobs.housekeeping import enqueue_periodic_jobs
from jobs.models import Job
from tests.conftest import make_call

pytestmark = pytest.mark.django_db


def _age(event, **age):
    Event.objects.filter(pk=event.pk).update(date_updated=timezone.now() - timedelta(**age))


def test_events_older_than_thirty_days_are_deleted_and_newer_ones_kept(lead, alice, settings):
    settings.EVENTS_PRUNE_BATCH = 2  # several batches
    for _ in range(5):
        make_call(lead, alice)
    events = list(Event.objects.order_by("date_created", "id"))
    for old in events[:3]:
        _age(old, days=30, minutes=1)
    _age(events[3], days=29, hours=23)

    assert prune_events() == 3

    assert set(Event.objects.values_list("pk", flat=True)) == {events[3].pk, events[4].pk}


def test_a_pruned_events_deliveries_go_with_it(subscription, lead, alice):
    make_call(lead, alice)
    event = Event.objects.get(object_type="activity.call")
    fan_out(organization_id=lead.organization_id)
    assert Delivery.objects.filter(event=event).exists()
    _age(event, days=31)

    prune_events()

    assert not Event.objects.exists()
    assert not Delivery.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_pruning_is_queued_once_an_hour_by_the_workers():
    one_oclock = datetime(2026, 3, 1, 13, 0, 5, tzinfo=UTC)

    enqueue_periodic_jobs(one_oclock)
    Job.objects.filter(name=prune_events.name).update(status=Job.Status.DONE)
    enqueue_periodic_jobs(one_oclock + timedelta(minutes=59))
    enqueue_periodic_jobs(one_oclock + timedelta(hours=1))

    hour = int(one_oclock.timestamp() // 3600)
    periods = (
        Job.objects.filter(name=prune_events.name).order_by("id").values_list("key", flat=True)
    )
    assert list(periods) == [f"{prune_events.name}@{hour}", f"{prune_events.name}@{hour + 1}"]
