import datetime

import pytest
from django.contrib.admin.utils import quote
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from activities.models import Outcome
from tests.conftest import admin_form_data, make_call, make_outcome

CHANGELIST = reverse("admin:activities_outcome_changelist")
ADD = reverse("admin:activities_outcome_add")
DELETED = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def change_url(outcome):
    return reverse("admin:activities_outcome_change", args=[quote(outcome.pk)])


@pytest.fixture(params=["superuser_client", "acme_admin_client"])
def admin_client(request):
    """Run the test for a superuser and for Acme's organization admin."""
    return request.getfixturevalue(request.param)


def test_changelist_shows_how_many_calls_have_each_outcome(admin_client, outcome, lead, acme):
    for _ in range(3):
        make_call(lead, disposition="answered", outcome=outcome)
    unused = make_outcome(acme, name="Unused")
    column = admin_client.get(CHANGELIST).context["cl"].list_display.index("call_count")
    response = admin_client.get(CHANGELIST, {"o": str(column)})
    outcomes = list(response.context["cl"].result_list)
    assert outcomes == [unused, outcome]
    assert [o.call_count for o in outcomes] == [0, 3]
    assertContains(response, '<td class="field-call_count">3</td>', html=True)


def test_search_finds_an_outcome_by_name_or_description(admin_client, outcome, acme):
    described = make_outcome(acme, name="Later", description="Call back in a month")
    assert list(admin_client.get(CHANGELIST, {"q": "demo"}).context["cl"].result_list) == [outcome]
    assert list(admin_client.get(CHANGELIST, {"q": "month"}).context["cl"].result_list) == [
        described
    ]


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"status": "live"}, "outcome"),
        ({"status": "deleted"}, "deleted"),
        ({"type__exact": "vm-dropped"}, "deleted"),
        ({"date_created__gte": "2020-01-01 00:00:00+00:00"}, "outcome"),
    ],
    ids=["live", "deleted", "type", "date"],
)
def test_each_filter_narrows_the_list(admin_client, outcome, acme, params, expected):
    deleted = make_outcome(
        acme,
        name="Old",
        type="vm-dropped",
        date_deleted=DELETED,
        date_created=DELETED.replace(2001),
    )
    response = admin_client.get(CHANGELIST, params)
    assert list(response.context["cl"].result_list) == [
        {"outcome": outcome, "deleted": deleted}[expected]
    ]


def test_superuser_filters_by_organization(superuser_client, outcome, globex, acme):
    make_outcome(globex)
    response = superuser_client.get(CHANGELIST, {"organization__id__exact": acme.pk})
    assert list(response.context["cl"].result_list) == [outcome]


def test_adding_an_outcome(admin_client, acme):
    response = admin_client.get(ADD)
    assert response.status_code == 200
    data = admin_form_data(response, organization=acme.pk, name="Not interested")
    assertRedirects(admin_client.post(ADD, data), CHANGELIST)
    outcome = Outcome.objects.get()
    assert (outcome.organization, outcome.name, outcome.applies_to) == (
        acme,
        "Not interested",
        ["calls", "meetings"],
    )
    assert outcome.created_by is not None


def test_renaming_an_outcome(admin_client, outcome):
    data = admin_form_data(admin_client.get(change_url(outcome)), name="Demo scheduled")
    assertRedirects(admin_client.post(change_url(outcome), data), CHANGELIST)
    outcome.refresh_from_db()
    assert outcome.name == "Demo scheduled"


def test_a_duplicate_name_is_refused(admin_client, outcome, acme):
    other = make_outcome(acme, name="Other")
    data = admin_form_data(admin_client.get(change_url(other)), name="Demo booked")
    response = admin_client.post(change_url(other), data)
    assert response.context["adminform"].form.errors["__all__"] == [
        "An outcome with this name already exists."
    ]


def test_deleting_outcomes_keeps_them_on_their_calls(admin_client, outcome, lead):
    call = make_call(lead, disposition="answered", outcome=outcome)
    admin_client.post(CHANGELIST, {"action": "soft_delete", "_selected_action": [outcome.pk]})
    outcome.refresh_from_db()
    assert outcome.date_deleted is not None
    call.refresh_from_db()
    assert call.outcome == outcome


def test_outcomes_are_never_hard_deleted(admin_client, outcome):
    response = admin_client.post(
        reverse("admin:activities_outcome_delete", args=[quote(outcome.pk)]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Outcome.objects.filter(pk=outcome.pk).exists()


def test_restoring_an_outcome_unless_its_name_is_taken(admin_client, acme):
    restorable = make_outcome(acme, name="Restorable", date_deleted=DELETED)
    taken = make_outcome(acme, name="Taken", date_deleted=DELETED)
    make_outcome(acme, name="Taken")
    response = admin_client.post(
        CHANGELIST,
        {"action": "restore", "_selected_action": [restorable.pk, taken.pk]},
        follow=True,
    )
    assertContains(response, "Restored 1 outcome(s).")
    assertContains(response, "a live outcome has the same name: Taken")
    restorable.refresh_from_db()
    taken.refresh_from_db()
    assert restorable.date_deleted is None
    assert taken.date_deleted == DELETED


def test_organization_admin_sees_only_their_outcomes(acme_admin_client, outcome, globex):
    other = make_outcome(globex, name="Globex outcome")
    response = acme_admin_client.get(CHANGELIST)
    assert list(response.context["cl"].result_list) == [outcome]
    assertNotContains(response, "Globex")
    assertRedirects(acme_admin_client.get(change_url(other)), reverse("admin:index"))


def test_organization_admin_cannot_add_an_outcome_to_another_organization(
    acme_admin_client, globex
):
    data = admin_form_data(acme_admin_client.get(ADD), organization=globex.pk, name="Sneaky")
    response = acme_admin_client.post(ADD, data)
    assert "organization" in response.context["adminform"].form.errors
    assert not Outcome.objects.exists()


def test_organization_admin_gets_their_organization_preselected(acme_admin_client, acme):
    response = acme_admin_client.get(ADD)
    assertContains(response, f'<option value="{acme.pk}" selected>Acme</option>', html=True)
