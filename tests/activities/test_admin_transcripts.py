import datetime

import pytest
from django.contrib.admin.utils import quote
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from activities.models import Transcript
from tests.conftest import admin_form_data, make_call, make_lead

CHANGELIST = reverse("admin:activities_transcript_changelist")
ADD = reverse("admin:activities_transcript_add")

UTTERANCES = [
    {"speaker_label": "Jane", "speaker_side": "close-user", "start": 0, "end": 1.5, "text": "Hi"},
    {"speaker_label": "John", "speaker_side": "contact", "start": 1.5, "end": 3, "text": "Hello"},
]


def change_url(transcript):
    return reverse("admin:activities_transcript_change", args=[quote(transcript.pk)])


@pytest.fixture(params=["superuser_client", "acme_admin_client"])
def admin_client(request):
    """Run the test for a superuser and for Acme's organization admin."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def transcript(lead):
    call = make_call(
        lead,
        transcripts={
            "recording_transcript": {"utterances": UTTERANCES, "summary_html": "<p>Hi</p>"}
        },
    )
    return call.transcripts.get()


@pytest.fixture
def globex_transcript(globex):
    call = make_call(
        make_lead(globex, name="Initech"),
        transcripts={"voicemail_transcript": {"utterances": [], "summary_text": "Secret"}},
    )
    return call.transcripts.get()


def rows(utterances):
    """The POST data of the utterance rows, as the form's inputs name them."""
    data = {"utterances-TOTAL": str(len(utterances))}
    for index, utterance in enumerate(utterances):
        for key, value in utterance.items():
            data[f"utterances-{index}-{key}"] = str(value)
    return data


def test_changelist_lists_transcripts(admin_client, transcript):
    response = admin_client.get(CHANGELIST)
    assert list(response.context["cl"].result_list) == [transcript]
    assertContains(response, "Wayne Enterprises")


def test_search_finds_a_transcript_by_lead_name_or_summary(admin_client, transcript, acme):
    make_call(
        make_lead(acme, name="Stark"),
        transcripts={"recording_transcript": {"utterances": [], "summary_text": "Other"}},
    )
    for term in ("Wayne", "hi"):
        response = admin_client.get(CHANGELIST, {"q": term})
        assert list(response.context["cl"].result_list) == [transcript]


def test_kind_filter_narrows_the_list(admin_client, transcript, acme):
    make_call(make_lead(acme), transcripts={"voicemail_transcript": {"utterances": []}})
    response = admin_client.get(CHANGELIST, {"kind__exact": "recording"})
    assert list(response.context["cl"].result_list) == [transcript]


def test_date_filter_narrows_the_list(admin_client, transcript, acme):
    call = make_call(make_lead(acme), transcripts={"voicemail_transcript": {"utterances": []}})
    call.transcripts.update(date_updated=datetime.datetime(2001, 1, 1, tzinfo=datetime.UTC))
    response = admin_client.get(CHANGELIST, {"date_updated__gte": "2020-01-01 00:00:00+00:00"})
    assert list(response.context["cl"].result_list) == [transcript]


def test_superuser_filters_by_organization(superuser_client, transcript, globex_transcript, acme):
    response = superuser_client.get(CHANGELIST, {"organization__id__exact": acme.pk})
    assert list(response.context["cl"].result_list) == [transcript]


def test_change_form_shows_utterances_as_rows_of_inputs(admin_client, transcript):
    response = admin_client.get(change_url(transcript))
    assertContains(
        response,
        '<input type="text" name="utterances-1-speaker_label" value="John" size="16">',
        html=True,
    )
    assertContains(response, '<option value="contact" selected>Contact</option>', html=True)
    assertContains(response, 'name="utterances-TOTAL" value="5"')


def test_editing_rows_saves_the_utterances(admin_client, transcript):
    data = admin_form_data(admin_client.get(change_url(transcript)))
    data.update(
        {
            "utterances-1-text": "Hello there",
            "utterances-2-speaker_label": "Jane",
            "utterances-2-speaker_side": "close-user",
            "utterances-2-start": "3",
            "utterances-2-end": "4",
            "utterances-2-text": "Bye",
            "utterances-0-DELETE": "on",
        }
    )
    response = admin_client.post(change_url(transcript), data)
    assertRedirects(response, CHANGELIST)
    transcript.refresh_from_db()
    assert transcript.utterances == [
        {**UTTERANCES[1], "text": "Hello there"},
        {
            "speaker_label": "Jane",
            "speaker_side": "close-user",
            "start": 3,
            "end": 4,
            "text": "Bye",
        },
    ]


@pytest.mark.parametrize(
    "row, message",
    [
        (
            {"start": "2", "end": "1"},
            "Utterance 1: start and end must be seconds with 0 <= start <= end.",
        ),
        ({"start": "soon"}, "Utterance 1: start must be a number."),
        ({"start": ""}, "Utterance 1: start and end must be seconds with 0 <= start <= end."),
        ({"speaker_side": "robot"}, 'Utterance 1: speaker_side must be "contact" or "close-user".'),
    ],
    ids=["end-before-start", "not-a-number", "missing-start", "unknown-side"],
)
def test_broken_utterances_are_refused(admin_client, transcript, row, message):
    utterance = {**UTTERANCES[0], **row}
    data = admin_form_data(admin_client.get(change_url(transcript)), **rows([utterance]))
    response = admin_client.post(change_url(transcript), data)
    assert response.context["adminform"].form.errors["utterances"] == [message]
    transcript.refresh_from_db()
    assert transcript.utterances == UTTERANCES


def test_utterances_out_of_time_order_are_refused(admin_client, transcript):
    data = admin_form_data(
        admin_client.get(change_url(transcript)), **rows([UTTERANCES[1], UTTERANCES[0]])
    )
    response = admin_client.post(change_url(transcript), data)
    assert response.context["adminform"].form.errors["utterances"] == [
        "Utterance 2 starts before the one before it."
    ]


def test_summary_html_is_sanitized_and_its_text_derived(admin_client, transcript):
    data = admin_form_data(
        admin_client.get(change_url(transcript)),
        summary_html='<p>Wants <img src=x onerror="alert(1)">a <b>demo</b></p>',
    )
    admin_client.post(change_url(transcript), data)
    transcript.refresh_from_db()
    assert transcript.summary_html == "<body><p>Wants a <b>demo</b></p></body>"
    assert transcript.summary_text == "Wants a demo"


def test_adding_a_transcript_takes_the_calls_organization(admin_client, lead, acme):
    call = make_call(lead)
    data = admin_form_data(
        admin_client.get(ADD), call=call.pk, kind="recording", **rows(UTTERANCES)
    )
    response = admin_client.post(ADD, data)
    assertRedirects(response, CHANGELIST)
    transcript = Transcript.objects.get()
    assert transcript.organization == acme
    assert transcript.utterances == UTTERANCES


def test_a_second_transcript_of_the_same_kind_is_refused(admin_client, transcript):
    data = admin_form_data(admin_client.get(ADD), call=transcript.call_id, kind="recording")
    response = admin_client.post(ADD, data)
    assert "already exists" in str(response.context["adminform"].form.errors)
    assert Transcript.objects.count() == 1


def test_organization_admin_cannot_open_another_organizations_transcript(
    acme_admin_client, transcript, globex_transcript
):
    response = acme_admin_client.get(CHANGELIST)
    assert list(response.context["cl"].result_list) == [transcript]
    assertRedirects(acme_admin_client.get(change_url(globex_transcript)), reverse("admin:index"))


def test_organization_admin_cannot_attach_a_transcript_to_another_organizations_call(
    acme_admin_client, globex
):
    call = make_call(make_lead(globex))
    data = admin_form_data(acme_admin_client.get(ADD), call=call.pk, kind="recording")
    response = acme_admin_client.post(ADD, data)
    assert "call" in response.context["adminform"].form.errors
    assert not Transcript.objects.exists()


def test_an_absurd_row_count_is_refused(admin_client, transcript):
    data = admin_form_data(admin_client.get(change_url(transcript)))
    data["utterances-TOTAL"] = str(10**9)
    response = admin_client.post(change_url(transcript), data)
    assert response.context["adminform"].form.errors["utterances"] == ["Enter at most 5000 rows."]
