"""The demo's calls with real speech: seeded without transcripts, transcribed by the worker."""

from django.utils import timezone

from activities.models import Transcript
from jobs.models import Job
from tests.conftest import make_contact, make_lead, make_user
from tests.workers import finished, wait_for
from transcription.demo import CALLS, seed_transcribed_calls


def test_the_demo_calls_are_transcribed_by_the_worker_once_seeded(start_worker, acme, alice):
    jamie = make_user(acme, first_name="Jamie", last_name="Chen")
    for name in ("Cobalt Analytics", "Redwood Solar", "Summit Ridge Dental"):
        make_contact(make_lead(acme, name=name), name=f"Contact of {name}")
    start_worker()

    calls = seed_transcribed_calls(acme, [alice, jamie], now=timezone.now())

    assert not Transcript.objects.exists()  # nothing is transcribed while seeding
    jobs = wait_for(lambda: list(Job.objects.all()) if Job.objects.count() == 3 else None)
    assert {finished(job, timeout=240).status for job in jobs} == {"done"}
    sides = {
        call.lead.name: {
            (u["speaker_side"], u["speaker_label"])
            for transcript in call.transcripts.all()
            for u in transcript.utterances
        }
        for call in calls
    }
    assert sides == {
        "Cobalt Analytics": {
            ("close-user", "Jamie Chen"),
            ("contact", "Contact of Cobalt Analytics"),
        },
        "Redwood Solar": {("close-user", "Jamie Chen"), ("contact", "Contact of Redwood Solar")},
        "Summit Ridge Dental": {("contact", "Contact of Summit Ridge Dental")},
    }
    assert [call.voicemail_file.name != "" for call in calls] == [
        demo.kind == "voicemail" for demo in CALLS
    ]
