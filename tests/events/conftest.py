"""Builders and fixtures of the event log and webhook tests."""

import socket

import pytest

from events import services
from events.models import Event
from tests.events.receiver import Receiver
from tests.workers import start_worker, worker_env  # noqa: F401 (fixtures)

CALL_CREATED = [{"object_type": "activity.call", "action": "created"}]


def make_subscription(organization, created_by, url, events=CALL_CREATED, **fields):
    """Subscribe through the service the API and the admin use (its URL rules included)."""
    return services.webhook_create(
        organization=organization,
        created_by=created_by,
        fields={"url": url, "events": events, **fields},
    )


def events_of(object_type=None, **filters):
    """The events written so far, oldest first."""
    events = Event.objects.order_by("date_updated", "id")
    if object_type is not None:
        events = events.filter(object_type=object_type)
    return list(events.filter(**filters))


@pytest.fixture
def subscription(receiver, acme, alice):
    return make_subscription(acme, alice, receiver.url())


@pytest.fixture
def receiver(settings):
    """A receiver on 127.0.0.1, which WEBHOOK_ALLOWED_HOSTS lets deliveries reach over http."""
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    server = Receiver()
    yield server
    server.stop()


@pytest.fixture
def public_dns(monkeypatch):
    """DNS answers for the test's own names, {host: address}; other names resolve as usual."""
    answers = {}
    real = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        if host in answers:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    return answers
