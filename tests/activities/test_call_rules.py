import pytest
from django.core.exceptions import ValidationError

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
