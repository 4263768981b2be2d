"""A call's audio files leave storage with the call, however it is deleted, once the deletion
has committed; a deletion that rolls back keeps them."""

import pytest
from django.contrib.admin.utils import quote
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse

from activities.models import Call
from tests.conftest import encoded_audio, make_call, wav

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(lead, alice):
    return make_call(
        lead,
        alice,
        recording_file=ContentFile(wav(), name="recording.wav"),
        voicemail_file=ContentFile(encoded_audio("mp3"), name="voicemail.mp3"),
    )


@pytest.fixture
def stored(call, settings):
    """The paths of the call's two files in storage, which exist to begin with."""
    paths = [
        settings.MEDIA_ROOT / call.recording_file.name,
        settings.MEDIA_ROOT / call.voicemail_file.name,
    ]
    assert all(path.is_file() for path in paths)
    return paths


def test_deleting_a_call_through_the_api_removes_its_audio(
    alice_api, call, stored, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_api.delete(f"/api/v1/activity/call/{call.id}/")

    assert response.status_code == 200
    assert not any(path.exists() for path in stored)


def test_deleting_a_lead_through_the_api_removes_its_calls_audio(
    acme_admin_api, lead, call, stored, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = acme_admin_api.delete(f"/api/v1/lead/{lead.id}/")

    assert response.status_code == 200
    assert not Call.objects.exists()
    assert not any(path.exists() for path in stored)


@pytest.mark.parametrize(
    ("admin", "deleted"),
    [("acme_admin_client", "lead"), ("superuser_client", "organization")],
)
def test_deleting_a_lead_or_an_organization_in_the_admin_removes_its_calls_audio(
    request, acme, lead, call, stored, django_capture_on_commit_callbacks, admin, deleted
):
    client = request.getfixturevalue(admin)
    obj = {"lead": lead, "organization": acme}[deleted]
    url = reverse(
        f"admin:{obj._meta.app_label}_{obj._meta.model_name}_delete", args=[quote(obj.pk)]
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not type(obj).objects.filter(pk=obj.pk).exists()
    assert not Call.objects.exists()
    assert not any(path.exists() for path in stored)


def test_deleting_selected_calls_in_the_admin_removes_their_audio(
    acme_admin_client, call, stored, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = acme_admin_client.post(
            reverse("admin:activities_call_changelist"),
            {"action": "delete_selected", "_selected_action": [call.pk], "post": "yes"},
        )

    assert response.status_code == 302
    assert not Call.objects.exists()
    assert not any(path.exists() for path in stored)


def test_a_queryset_delete_removes_the_audio_of_each_call(
    call, stored, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Call.objects.filter(pk=call.pk).delete()

    assert not any(path.exists() for path in stored)


def test_the_files_stay_until_the_deletion_commits(
    lead, call, stored, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as scheduled:
        lead.delete()
        assert all(path.exists() for path in stored)

    assert len(scheduled) == 1  # one deletion of both files, run on commit


def test_a_deletion_that_rolls_back_keeps_the_files(
    lead, call, stored, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        lead.delete()
        raise RuntimeError("the deletion fails after the calls are gone")

    assert Call.objects.filter(pk=call.pk).exists()
    assert all(path.exists() for path in stored)
