"""Demo calls whose transcripts the workers make from real speech.

The audio in transcription/demo_audio/ was spoken by espeak-ng from the scripts below and
encoded as small Opus files (`python -m transcription.demo` makes them again). seed_demo logs a
call with each file and no transcript: like any new recording, each gets a transcription job,
which the worker that `make run` starts beside the server does in a few seconds. Nothing is
transcribed while seeding, so `make run` stays fast, and the demo shows the real thing: what
pocketsphinx hears in synthetic speech, mistakes included.
"""

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from transcription.synthetic import Line
from transcription.utterances import CONTACT, REP

AUDIO = Path(__file__).resolve().parent / "demo_audio"


@dataclass(frozen=True)
class DemoCall:
    name: str
    kind: str  # recording (stereo: the rep left, the contact right) or voicemail (mono)
    direction: str
    lines: tuple
    minutes_ago: int

    @property
    def path(self):
        return AUDIO / f"{self.name}.ogg"


CALLS = (
    DemoCall(
        "discovery",
        "recording",
        "outbound",
        (
            Line(REP, "Hi, this is Jamie from Acme. Thanks for taking my call.", 0.6),
            Line(CONTACT, "No problem. What can I do for you?"),
            Line(REP, "How does your team keep track of sales calls today?"),
            Line(CONTACT, "We use a spreadsheet, and it takes a lot of time."),
            Line(REP, "We can log every call for you, with the recording and a transcript."),
            Line(CONTACT, "That would help us a lot. Can you send me more information?"),
            Line(REP, "Of course. I will send you an email this afternoon."),
        ),
        minutes_ago=25,
    ),
    DemoCall(
        "pricing",
        "recording",
        "outbound",
        (
            Line(REP, "Good morning, this is Priya. I am calling about the quote.", 0.6),
            Line(CONTACT, "Good morning. We looked at it yesterday."),
            Line(REP, "Do you have any questions about the price?"),
            Line(CONTACT, "It is a little high for a team of five people."),
            Line(REP, "I understand. We have a smaller plan for small teams."),
            Line(CONTACT, "Great. Can we talk about it next week?"),
            Line(REP, "Sure. I will call you on Monday morning."),
        ),
        minutes_ago=50,
    ),
    DemoCall(
        "call-back",
        "voicemail",
        "inbound",
        (
            Line(
                CONTACT,
                "Hello, this is a message for Jamie. Please call me back this afternoon. "
                "Thank you.",
                0.5,
            ),
        ),
        minutes_ago=80,
    ),
)


def seed_transcribed_calls(organization, users, *, now):
    """Log the demo calls with real speech for `organization`'s first leads that have
    contacts, by its reps (`users` after the first, the admin); return them."""
    from django.core.files.base import ContentFile

    from activities.services import call_create
    from transcription.audio import decode

    leads = organization.leads.filter(contacts__isnull=False).distinct().order_by("name")
    reps = users[1:] or users
    calls = []
    for number, (demo, lead) in enumerate(zip(CALLS, leads, strict=False)):
        with decode(demo.path, rate=8000, max_seconds=600) as audio:
            seconds = round(audio.duration)
        fields = {
            "lead": lead,
            "contact": lead.contacts.first(),
            "user": reps[number % len(reps)],
            "direction": demo.direction,
            "status": "completed",
            "call_method": "regular",
            "activity_at": now - timedelta(minutes=demo.minutes_ago),
            "duration": seconds,
            f"{demo.kind}_file": ContentFile(demo.path.read_bytes(), name=demo.path.name),
        }
        if demo.kind == "voicemail":
            fields["voicemail_duration"] = seconds
        calls.append(
            call_create(organization=organization, created_by=fields["user"], fields=fields)
        )
    return calls


def write_audio():
    """Speak the demo calls again into transcription/demo_audio/ (needs espeak-ng)."""
    import tempfile

    from transcription import synthetic

    AUDIO.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        for demo in CALLS:
            conversation = synthetic.speak(demo.lines)
            wav = Path(folder) / f"{demo.name}.wav"
            wav.write_bytes(conversation.wav(stereo=demo.kind == "recording"))
            synthetic.transcode(wav, demo.path, codec="libopus", rate=16000, bit_rate=24000)
            print(f"{demo.path}: {demo.path.stat().st_size} bytes")


if __name__ == "__main__":
    write_audio()
