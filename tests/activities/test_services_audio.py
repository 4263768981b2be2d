from django.core.files.base import ContentFile

from activities import services
from tests.conftest import make_call, wav


def _audio(name):
    return ContentFile(wav(), name=name)


def test_deleting_a_call_removes_its_audio_files(lead, django_capture_on_commit_callbacks):
    call = make_call(lead, recording_file=_audio("r.wav"), voicemail_file=_audio("v.wav"))
    storage, names = (
        call.recording_file.storage,
        [call.recording_file.name, call.voicemail_file.name],
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.call_delete(call)

    assert not any(storage.exists(name) for name in names)


def test_replacing_a_recording_removes_the_old_file(lead, django_capture_on_commit_callbacks):
    call = make_call(lead, recording_file=_audio("old.wav"))
    storage, old_name = call.recording_file.storage, call.recording_file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.call_update(call, updated_by=None, fields={"recording_file": _audio("new.wav")})

    assert not storage.exists(old_name)
    assert storage.exists(call.recording_file.name)


def test_updating_other_fields_keeps_the_recording(lead, django_capture_on_commit_callbacks):
    call = make_call(lead, recording_file=_audio("kept.wav"))

    with django_capture_on_commit_callbacks(execute=True):
        services.call_update(call, updated_by=None, fields={"note": "Called back"})

    assert call.recording_file.storage.exists(call.recording_file.name)
