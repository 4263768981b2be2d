import pytest

from activities.forms import CallForm, DurationField
from tests.conftest import make_outcome

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "seconds"), [("", 0), ("0", 0), ("75", 75), ("1:15", 75), ("2:00:01", 7201)]
)
def test_a_duration_is_seconds_or_minutes_and_seconds(typed, seconds):
    assert DurationField(required=False).clean(typed) == seconds


@pytest.mark.parametrize("typed", ["1:5", "1:60", "-3", "2m", "1.5"])
def test_a_duration_in_another_shape_is_refused(typed):
    with pytest.raises(Exception, match="m:ss"):
        DurationField(required=False).clean(typed)


def test_a_duration_is_shown_as_minutes_and_seconds():
    assert DurationField().prepare_value(125) == "2:05"


def test_the_outcome_is_marked_for_connected_calls_only(lead):
    html = str(CallForm(lead=lead)["outcome"])
    assert 'data-when-disposition="answered"' in html


def test_outcomes_on_offer_are_the_organizations_live_ones(lead, acme, outcome, globex):
    make_outcome(globex, name="Globex outcome")
    make_outcome(acme, name="Gone", date_deleted="2024-01-01T00:00:00Z")
    names = [o.name for o in CallForm(lead=lead).fields["outcome"].queryset]
    assert names == ["Demo booked"]
