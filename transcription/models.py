import hashlib
import json

from django.db import models
from django.utils import timezone

from accounts.models import Organization
from activities.models import Call, Transcript


def fingerprint(transcript):
    """Return a digest of what a transcript says: its utterances and its summary."""
    content = json.dumps(
        [transcript.utterances, transcript.summary_text], sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(content.encode()).hexdigest()


class MachineTranscriptQuerySet(models.QuerySet):
    def for_organization(self, organization):
        return self.filter(organization=organization)


class MachineTranscript(models.Model):
    """A transcript that a transcription job wrote: from which audio, by which engine, and what.

    While the transcript still says what the job wrote (its fingerprint matches), nobody has
    touched it and a later job may replace it (new audio, "Transcribe again"). Once someone
    edits it, or writes it through the API, it is theirs: no job overwrites it.
    """

    transcript = models.OneToOneField(
        Transcript, on_delete=models.CASCADE, primary_key=True, related_name="machine"
    )
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    engine = models.CharField(max_length=32)
    audio = models.CharField(
        max_length=1000, help_text="The stored file or the URL it was made from."
    )
    audio_seconds = models.FloatField(help_text="How long the audio is.")
    cpu_seconds = models.FloatField(help_text="The worker's CPU time to decode and transcribe it.")
    fingerprint = models.CharField(max_length=64, help_text="A digest of what the job wrote.")
    date_created = models.DateTimeField(default=timezone.now)

    objects = MachineTranscriptQuerySet.as_manager()

    def __str__(self):
        return f"{self.transcript} by {self.engine}"

    @property
    def untouched(self):
        """Whether the transcript still says what the job wrote."""
        return self.fingerprint == fingerprint(self.transcript)

    @property
    def real_time_factor(self):
        return self.cpu_seconds / self.audio_seconds if self.audio_seconds else None


class CallTranscription(Call):
    """A call seen from its transcription, for the admin's list of them."""

    class Meta:
        proxy = True
        verbose_name = "call transcription"
