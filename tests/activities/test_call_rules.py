import pytest
from django.core.exceptions import ValidationError

from accounts.models import Membership
from activities import services
from activities.models import Call
from tests.conftest import make_call


def test_vm_answer_is_refused_on_outbound_calls(lead):
    with pytest.raises(ValidationError) as error:
        make_call(lead, direction="outbound", disposition="vm-answer")
    assert "disposition" in error.value.message_dict


def test_outcome_on_an_unanswered_call_is_refused(lead, outcome):
    with pytest.raises(ValidationError) as error:
        make_call(lead, disposition="no-answer", outcome=outcome)
    assert "outcome" in error.value.message_dict


def test_disposition_is_derived_from_status_and_duration(lead):
    assert make_call(lead, status="completed", duration=30).disposition == "answered"
    assert make_call(lead, status="completed", duration=0).disposition == "no-answer"
    assert make_call(lead, status="busy", duration=0).disposition == "busy"


def test_logging_a_call_moves_the_leads_last_activity(lead):
    call = make_call(lead)
    lead.refresh_from_db()
    assert lead.last_activity_at == call.activity_at


def test_a_call_keeps_its_deleted_outcome_through_other_updates(lead, outcome):
    call = make_call(lead, disposition="answered", outcome=outcome)
    outcome.date_deleted = outcome.date_created
    outcome.save()
    call = Call.objects.get(pk=call.pk)

    services.call_update(call, updated_by=None, fields={"note": "Followed up"})

    assert Call.objects.get(pk=call.pk).outcome_id == outcome.id


def test_a_deleted_outcome_cannot_be_given_to_another_call(lead, outcome):
    outcome.date_deleted = outcome.date_created
    outcome.save()

    with pytest.raises(ValidationError) as error:
        make_call(lead, disposition="answered", outcome=outcome)

    assert error.value.message_dict["outcome"] == ["Object does not exist."]


def test_changing_the_status_derives_the_disposition_again(lead):
    call = make_call(lead, status="completed", duration=30)

    services.call_update(call, updated_by=None, fields={"status": "busy", "duration": 0})

    assert Call.objects.get(pk=call.pk).disposition == "busy"


def test_an_explicit_disposition_wins_over_the_derived_one(lead):
    call = make_call(lead, status="completed", duration=30)

    services.call_update(
        call, updated_by=None, fields={"status": "completed", "disposition": "vm-left"}
    )

    assert Call.objects.get(pk=call.pk).disposition == "vm-left"


def test_the_callers_membership_spares_looking_their_membership_up(
    alice, acme, lead, django_assert_num_queries
):
    membership = Membership.objects.get(user=alice, organization=acme)

    with django_assert_num_queries(0):
        call = services.call_build(
            organization=acme, created_by=alice, fields={"lead": lead}, membership=membership
        )

    assert call.user == alice


def test_the_callers_membership_does_not_stand_for_another_reps(alice, acme, bob, lead):
    membership = Membership.objects.get(user=alice, organization=acme)

    with pytest.raises(ValidationError) as error:
        services.call_create(
            organization=acme,
            created_by=alice,
            fields={"lead": lead, "user": bob},
            membership=membership,
        )

    assert error.value.message_dict["user"] == ["Object does not exist."]
    assert not Call.objects.exists()


def test_a_membership_of_another_organization_does_not_make_the_rep_a_member(
    alice, acme, globex, lead
):
    elsewhere = Membership.objects.create(user=alice, organization=globex)
    Membership.objects.filter(user=alice, organization=acme).delete()

    with pytest.raises(ValidationError) as error:
        services.call_create(
            organization=acme, created_by=alice, fields={"lead": lead}, membership=elsewhere
        )

    assert error.value.message_dict["user"] == ["Object does not exist."]
