"""Two partial updates of one call at the same time both survive: each writes only its fields.

`activities.services.call_update` saves with `update_fields`, so an update that read the call
before another one committed does not write back the other one's fields as it read them.
"""

import pytest

from activities import services
from activities.models import Call
from tests.conftest import basic_auth, make_call, make_outcome, put_at_once

ROUNDS = 10


@pytest.fixture
def call(lead, alice):
    return make_call(lead, alice, disposition="answered", note="First note")


@pytest.mark.django_db
def test_an_update_from_a_stale_read_keeps_the_other_updates_field(call, alice, acme):
    outcome = make_outcome(acme)
    first, second = Call.objects.get(pk=call.pk), Call.objects.get(pk=call.pk)

    services.call_update(first, updated_by=alice, fields={"note": "Wants a demo"})
    services.call_update(second, updated_by=alice, fields={"outcome": outcome})

    call.refresh_from_db()
    assert call.note == "Wants a demo"
    assert call.outcome == outcome


@pytest.mark.django_db(transaction=True)
def test_simultaneous_puts_of_the_note_and_the_outcome_both_survive(
    live_server, alice_key, call, acme
):
    outcomes = [make_outcome(acme, name="Demo booked"), make_outcome(acme, name="Call back")]
    url = f"{live_server.url}/api/v1/activity/call/{call.id}/"
    headers = {"Authorization": basic_auth(alice_key)}

    for n in range(ROUNDS):
        bodies = [{"note": f"Note {n}"}, {"outcome_id": outcomes[n % 2].id}]
        statuses = put_at_once(url, headers, bodies)

        call.refresh_from_db()
        assert statuses == [200, 200]
        assert (call.note, call.outcome_id) == (f"Note {n}", outcomes[n % 2].id)
