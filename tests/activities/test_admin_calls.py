import datetime
from decimal import Decimal

import pytest
from django.contrib.admin.utils import quote
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from activities.models import Call
from tests.conftest import (
    admin_form_data,
    make_call,
    make_contact,
    make_lead,
    make_outcome,
    make_user,
)

CHANGELIST = reverse("admin:activities_call_changelist")
ADD = reverse("admin:activities_call_add")
AUTOCOMPLETE = reverse("admin:autocomplete")


def change_url(call):
    return reverse("admin:activities_call_change", args=[quote(call.pk)])


@pytest.fixture(params=["superuser_client", "acme_admin_client"])
def admin_client(request):
    """Run the test for a superuser and for Acme's organization admin."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def call(lead, contact, alice, outcome):
    return make_call(
        lead,
        alice,
        contact=contact,
        disposition="answered",
        duration=125,
        cost="2.5",
        phone="+16505551234",
        outcome=outcome,
        note="Asked for a demo next week",
    )


@pytest.fixture
def unanswered(lead):
    return make_call(
        lead,
        direction="inbound",
        call_method="power",
        disposition="no-answer",
        activity_at=datetime.datetime(2026, 1, 1, 12, tzinfo=datetime.UTC),
    )


@pytest.fixture
def globex_call(globex, bob):
    return make_call(make_lead(globex, name="Initech"), bob, note="Globex secret")


def add_form_data(client, **changes):
    return admin_form_data(client.get(ADD), **changes)


def test_changelist_shows_the_calls_columns(admin_client, call):
    response = admin_client.get(CHANGELIST)
    row = response.content.decode()
    for text in (
        "Wayne Enterprises",
        "Bruce Wayne",
        "Alice Archer",
        "2:05",
        "$0.025",
        "Demo booked",
    ):
        assert text in row


@pytest.mark.parametrize("term", ["Wayne", "+1 650-555-1234", "(650) 555 1234", "demo next"])
def test_search_finds_a_call_by_lead_name_phone_or_note(admin_client, call, acme, term):
    make_call(make_lead(acme, name="Stark Industries"), phone="+33144556677", note="Other")
    response = admin_client.get(CHANGELIST, {"q": term})
    assert list(response.context["cl"].result_list) == [call]


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"disposition__exact": "no-answer"}, "unanswered"),
        ({"direction__exact": "inbound"}, "unanswered"),
        ({"call_method__exact": "power"}, "unanswered"),
        ({"outcome__id__exact": "{outcome}"}, "call"),
        ({"user__id__exact": "{alice}"}, "call"),
        ({"organization__id__exact": "{acme}"}, "both"),
        (
            {
                "activity_at__gte": "2026-01-01 00:00:00+00:00",
                "activity_at__lt": "2026-01-02 00:00:00+00:00",
            },
            "unanswered",
        ),
    ],
    ids=["disposition", "direction", "method", "outcome", "rep", "organization", "date"],
)
def test_each_filter_narrows_the_list(
    admin_client, call, unanswered, globex_call, outcome, alice, acme, params, expected
):
    names = {"outcome": outcome.pk, "alice": alice.pk, "acme": acme.pk}
    params = {key: value.format(**names) for key, value in params.items()}
    response = admin_client.get(CHANGELIST, params)
    wanted = {"call": {call}, "unanswered": {unanswered}, "both": {call, unanswered}}[expected]
    assert set(response.context["cl"].result_list) == wanted


def test_filters_offer_only_the_organizations_outcomes_and_reps(
    acme_admin_client, call, globex_call, globex, bob
):
    make_outcome(globex, name="Globex outcome")
    response = acme_admin_client.get(CHANGELIST)
    assertContains(response, "Demo booked")
    assertNotContains(response, "Globex outcome")
    assertNotContains(response, "Bob Baker")
    assertNotContains(response, "Globex")


def test_add_form_loads(admin_client, acme):
    response = admin_client.get(ADD)
    assert response.status_code == 200
    assertContains(response, "trix-editor")


def test_adding_a_call_saves_it_through_the_services(admin_client, acme, lead, contact, alice):
    data = add_form_data(
        admin_client,
        organization=acme.pk,
        lead=lead.pk,
        contact=contact.pk,
        user=alice.pk,
        direction="outbound",
        call_method="regular",
        duration="90",
        note_html="<p>Left a <strong>message</strong></p><script>alert(1)</script>",
    )
    response = admin_client.post(ADD, data)
    assertRedirects(response, CHANGELIST)
    call = Call.objects.get()
    assert call.organization == acme
    assert call.note_html == "<body><p>Left a <strong>message</strong></p></body>"
    assert call.note == "Left a message"
    assert call.disposition == "answered"
    lead.refresh_from_db()
    assert lead.last_activity_at == call.activity_at


def test_adding_a_call_with_a_transcript_saves_both(admin_client, acme, lead, alice):
    data = add_form_data(
        admin_client,
        organization=acme.pk,
        lead=lead.pk,
        user=alice.pk,
        direction="outbound",
        duration="90",
        **{
            "transcripts-TOTAL_FORMS": "1",
            "transcripts-0-kind": "recording",
            "transcripts-0-utterances-TOTAL": "1",
            "transcripts-0-utterances-0-speaker_label": "Alice",
            "transcripts-0-utterances-0-speaker_side": "close-user",
            "transcripts-0-utterances-0-start": "0",
            "transcripts-0-utterances-0-end": "2",
            "transcripts-0-utterances-0-text": "Hello",
            "transcripts-0-summary_html": "<p>Said <b>hello</b></p>",
        },
    )

    response = admin_client.post(ADD, data)

    assertRedirects(response, CHANGELIST)
    transcript = Call.objects.get().transcripts.get()
    assert (transcript.kind, transcript.organization_id) == ("recording", acme.id)
    assert (transcript.summary_text, transcript.utterances[0]["text"]) == ("Said hello", "Hello")


def test_change_form_shows_the_note_in_the_editor_and_its_plaintext_read_only(admin_client, call):
    response = admin_client.get(change_url(call))
    assertContains(response, "trix-editor")
    assertContains(response, '<div class="readonly">Asked for a demo next week</div>', html=True)


def test_changing_a_call_derives_the_note_and_keeps_other_fields(admin_client, call, lead):
    data = admin_form_data(
        admin_client.get(change_url(call)),
        note_html="<p>First line</p><ul><li>Second</li></ul>",
        activity_at_0="2026-03-04",
        activity_at_1="10:00:00",
    )
    response = admin_client.post(change_url(call), data)
    assertRedirects(response, CHANGELIST)
    call.refresh_from_db()
    assert call.note == "First line\nSecond"
    assert call.duration == 125
    assert call.outcome.name == "Demo booked"
    lead.refresh_from_db()
    assert lead.last_activity_at == call.activity_at


def test_the_posted_plaintext_note_is_ignored(admin_client, call):
    data = admin_form_data(admin_client.get(change_url(call)), note="<b>forged</b>")
    admin_client.post(change_url(call), data)
    call.refresh_from_db()
    assert call.note == "Asked for a demo next week"


@pytest.mark.parametrize(
    "changes, field, message",
    [
        (
            {"direction": "outbound", "disposition": "vm-answer", "outcome": ""},
            "disposition",
            "“Voicemail, no message” is only possible on inbound calls.",
        ),
        (
            {"call_method": "regular", "disposition": "abandoned", "outcome": ""},
            "disposition",
            "“Abandoned” is only possible with the predictive dialer.",
        ),
        (
            {"disposition": "no-answer"},
            "outcome",
            "An outcome can only be set on a connected (answered) call.",
        ),
    ],
    ids=["vm-answer-outbound", "abandoned-not-predictive", "outcome-unanswered"],
)
def test_the_seed_rules_are_refused_with_the_models_messages(
    admin_client, call, changes, field, message
):
    data = admin_form_data(
        admin_client.get(change_url(call)), note_html="<p>Changed</p>", **changes
    )
    response = admin_client.post(change_url(call), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [message]
    call.refresh_from_db()
    assert call.disposition == "answered"
    assert call.note == "Asked for a demo next week"


def test_a_seed_rule_refused_on_add_saves_nothing(admin_client, acme, lead):
    data = add_form_data(admin_client, organization=acme.pk, lead=lead.pk, disposition="abandoned")
    response = admin_client.post(ADD, data)
    assert response.context["adminform"].form.errors["disposition"] == [
        "“Abandoned” is only possible with the predictive dialer."
    ]
    assert not Call.objects.exists()


def test_a_contact_of_another_lead_is_refused(admin_client, call, acme):
    stranger = make_contact(make_lead(acme))
    data = admin_form_data(admin_client.get(change_url(call)), contact=stranger.pk)
    response = admin_client.post(change_url(call), data)
    assert response.context["adminform"].form.errors["contact"] == [
        "The contact does not belong to this lead."
    ]


def test_a_deleted_outcome_cannot_be_picked(admin_client, call, acme):
    deleted = make_outcome(
        acme, name="Old outcome", date_deleted=datetime.datetime.now(datetime.UTC)
    )
    response = admin_client.get(change_url(call))
    assertNotContains(response, "Old outcome")
    data = admin_form_data(response, outcome=deleted.pk)
    response = admin_client.post(change_url(call), data)
    assert "outcome" in response.context["adminform"].form.errors


def test_the_change_form_shows_the_calls_transcripts_inline(admin_client, lead):
    call = make_call(
        lead,
        transcripts={
            "recording_transcript": {
                "utterances": [
                    {
                        "speaker_label": "Jane",
                        "speaker_side": "close-user",
                        "start": 0.5,
                        "end": 2,
                        "text": "Hello from Jane",
                    }
                ],
                "summary_html": "<p>A greeting</p>",
            }
        },
    )
    response = admin_client.get(change_url(call))
    assertContains(response, 'value="Jane"')
    assertContains(response, "Hello from Jane")
    assertContains(response, "A greeting")


def test_a_transcript_added_inline_is_validated_and_saved(admin_client, call):
    data = admin_form_data(
        admin_client.get(change_url(call)),
        **{
            "transcripts-TOTAL_FORMS": "1",
            "transcripts-0-kind": "voicemail",
            "transcripts-0-utterances-TOTAL": "2",
            "transcripts-0-utterances-0-speaker_label": "Bruce",
            "transcripts-0-utterances-0-speaker_side": "contact",
            "transcripts-0-utterances-0-start": "3",
            "transcripts-0-utterances-0-end": "1",
            "transcripts-0-utterances-0-text": "Call me back",
            "transcripts-0-summary_html": "<p>Callback</p>",
        },
    )
    response = admin_client.post(change_url(call), data)
    assert response.status_code == 200
    assert not call.transcripts.exists()
    data["transcripts-0-utterances-0-end"] = "4.5"
    response = admin_client.post(change_url(call), data)
    assertRedirects(response, CHANGELIST)
    transcript = call.transcripts.get()
    assert transcript.organization_id == call.organization_id
    assert transcript.utterances == [
        {
            "speaker_label": "Bruce",
            "speaker_side": "contact",
            "start": 3,
            "end": 4.5,
            "text": "Call me back",
        }
    ]
    assert transcript.summary_text == "Callback"


def test_deleting_a_call_moves_the_leads_last_activity_back(admin_client, lead):
    older = make_call(lead, activity_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    newer = make_call(lead, activity_at=datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC))
    delete_url = reverse("admin:activities_call_delete", args=[quote(newer.pk)])
    admin_client.post(delete_url, {"post": "yes"})
    lead.refresh_from_db()
    assert lead.last_activity_at == older.activity_at


def test_organization_admin_sees_no_other_organizations_calls(acme_admin_client, call, globex_call):
    response = acme_admin_client.get(CHANGELIST)
    assert list(response.context["cl"].result_list) == [call]
    assertNotContains(response, "Initech")


def test_organization_admin_cannot_open_another_organizations_call(acme_admin_client, globex_call):
    response = acme_admin_client.get(change_url(globex_call))
    assertRedirects(response, reverse("admin:index"))
    response = acme_admin_client.post(
        reverse("admin:activities_call_delete", args=[quote(globex_call.pk)]), {"post": "yes"}
    )
    assert Call.objects.filter(pk=globex_call.pk).exists()


def test_organization_admin_cannot_pick_another_organizations_lead(
    acme_admin_client, acme, call, globex_call
):
    data = admin_form_data(acme_admin_client.get(change_url(call)), lead=globex_call.lead_id)
    response = acme_admin_client.post(change_url(call), data)
    assert "Select a valid choice" in response.context["adminform"].form.errors["lead"][0]
    data = add_form_data(acme_admin_client, organization=acme.pk, lead=globex_call.lead_id)
    response = acme_admin_client.post(ADD, data)
    assert "lead" in response.context["adminform"].form.errors
    assert Call.objects.count() == 2


def test_organization_admin_cannot_pick_another_organizations_rep_or_outcome(
    acme_admin_client, call, globex, bob
):
    globex_outcome = make_outcome(globex)
    data = admin_form_data(
        acme_admin_client.get(change_url(call)), user=bob.pk, outcome=globex_outcome.pk
    )
    response = acme_admin_client.post(change_url(call), data)
    errors = response.context["adminform"].form.errors
    assert "Select a valid choice" in errors["user"][0]
    assert "Select a valid choice" in errors["outcome"][0]


def test_organization_admin_cannot_add_a_call_to_another_organization(
    acme_admin_client, globex, globex_call
):
    data = add_form_data(acme_admin_client, organization=globex.pk, lead=globex_call.lead_id)
    response = acme_admin_client.post(ADD, data)
    assert "organization" in response.context["adminform"].form.errors
    assert Call.objects.count() == 1


def test_superuser_cannot_give_a_call_another_organizations_lead(
    superuser_client, call, globex_call
):
    data = admin_form_data(superuser_client.get(change_url(call)), lead=globex_call.lead_id)
    response = superuser_client.post(change_url(call), data)
    assert response.context["adminform"].form.errors["lead"] == ["Object does not exist."]


@pytest.mark.parametrize("field", ["lead", "contact", "user"])
def test_autocomplete_offers_only_the_organizations_objects(
    acme_admin_client, call, globex_call, globex, field
):
    make_contact(globex_call.lead, name="Globex contact")
    response = acme_admin_client.get(
        AUTOCOMPLETE,
        {"app_label": "activities", "model_name": "call", "field_name": field, "term": ""},
    )
    ids = {result["id"] for result in response.json()["results"]}
    expected = {"lead": call.lead_id, "contact": call.contact_id, "user": call.user_id}[field]
    assert expected in ids
    assert globex_call.lead_id not in ids
    assert globex_call.user_id not in ids
    assert not any("Globex" in result["text"] for result in response.json()["results"])


def test_a_staff_user_who_administers_no_organization_sees_no_calls(client, acme, call):
    client.force_login(make_user(acme, is_staff=True))
    assert client.get(CHANGELIST).status_code == 403


@pytest.mark.parametrize("rows", [3, 30])
def test_changelist_query_count_does_not_grow_with_the_rows(
    acme_admin_client, acme, alice, outcome, rows, django_assert_num_queries
):
    for _ in range(rows):
        lead = make_lead(acme)
        make_call(lead, alice, contact=make_contact(lead), outcome=outcome, disposition="answered")
    with django_assert_num_queries(11):
        response = acme_admin_client.get(CHANGELIST)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == rows


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"duration": "604801"}, "duration"),
        ({"duration": "-5"}, "duration"),
        ({"cost": "-1"}, "cost"),
        ({"phone": "call me maybe"}, "phone"),
        ({"recording_url": "http://insecure.example.com/a.mp3"}, "recording_url"),
        ({"activity_at_0": "yesterday"}, "activity_at"),
    ],
    ids=["duration-too-long", "duration-negative", "cost-negative", "phone", "http", "date"],
)
def test_bad_values_are_form_errors(admin_client, call, changes, field):
    data = admin_form_data(admin_client.get(change_url(call)), **changes)
    response = admin_client.post(change_url(call), data)
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors


def test_the_cost_is_typed_in_dollars_and_stored_in_cents(admin_client, acme, lead, alice):
    data = add_form_data(
        admin_client,
        organization=acme.pk,
        lead=lead.pk,
        user=alice.pk,
        direction="outbound",
        call_method="regular",
        duration="90",
        cost="0.25",
    )
    assertRedirects(admin_client.post(ADD, data), CHANGELIST)
    call = Call.objects.get()
    assert call.cost == Decimal("25")
    assertContains(admin_client.get(change_url(call)), 'value="0.25"')


def test_a_phone_without_a_plus_is_read_in_the_organizations_region(admin_client, acme, lead):
    acme.phone_region = "GB"
    acme.save()
    data = add_form_data(
        admin_client,
        organization=acme.pk,
        lead=lead.pk,
        direction="outbound",
        call_method="regular",
        duration="90",
        phone="020 7946 0000",
    )
    assertRedirects(admin_client.post(ADD, data), CHANGELIST)
    assert Call.objects.get().phone == "+442079460000"
