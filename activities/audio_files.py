"""Audio files a call stores: what is accepted, what it is served as, and when it leaves storage.

Every path that stores a recording or a voicemail (the rep's form, the admin, the demo data, an
importer) reaches `Call.full_clean()`, whose file fields run `validate_audio_file`: the name's
extension, the type the client declared, the size, and the content itself, which PyAV (FFmpeg)
must open as one of the audio containers below, with an audio stream, no video, and a first
frame that decodes. The audio view serves a stored file as the audio type of its extension
(`served_type`), never a type guessed from an arbitrary name.
"""

import functools
import logging
import os

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat

logger = logging.getLogger(__name__)

MAX_AUDIO_SIZE = 50 * 1024 * 1024

# Extension: the audio type it is served as.
AUDIO_TYPES = {
    "mp3": "audio/mpeg",
    "wav": "audio/wav",
    "ogg": "audio/ogg",
    "oga": "audio/ogg",
    "opus": "audio/ogg",
    "m4a": "audio/mp4",
    "aac": "audio/aac",
    "webm": "audio/webm",
    "flac": "audio/flac",
}
FORMATS_NAMED = "MP3, WAV, OGG, Opus, M4A, AAC, WebM or FLAC"
# The only FFmpeg demuxers that ever parse an upload ("mov" reads M4A, "aac" raw ADTS AAC).
AUDIO_DEMUXERS = "mp3,wav,ogg,mov,aac,flac,matroska"
# What browsers report for some audio containers, besides audio/*; and what a client that
# doesn't know the type sends (the content decides then).
AUDIO_CONTAINER_TYPES = {"application/ogg", "video/ogg", "video/webm", "video/mp4"}
UNDECLARED_TYPES = {"", "application/octet-stream"}

NOT_AUDIO = f"Upload an audio file ({FORMATS_NAMED}): this file's content is not audio."


def _extension(name):
    return os.path.splitext(name or "")[1].lstrip(".").lower()


def served_type(name):
    """The audio type a stored file named `name` is served as, or None: not one of ours."""
    return AUDIO_TYPES.get(_extension(name))


def _declared_type(file):
    for candidate in (file, getattr(file, "file", None)):
        content_type = getattr(candidate, "content_type", None)
        if content_type is not None:
            return content_type.split(";")[0].strip().lower()
    return ""


def _content(file):
    """The readable object behind `file`: an upload, a ContentFile or a new FieldFile's file."""
    return getattr(file, "file", None) or file


def _check_content(stream):
    """Raise ValidationError unless `stream` opens as audio: an audio stream, no video."""
    import av  # about 25 MB of memory, loaded by the first upload, not by every web worker

    stream.seek(0)
    try:
        with av.open(stream, options={"format_whitelist": AUDIO_DEMUXERS}) as container:
            streams = container.streams
            # Cover art (an MP3's or M4A's picture) is a video stream marked as an attached picture.
            if any(
                not video.disposition & av.stream.Disposition.attached_pic
                for video in streams.video
            ):
                raise ValidationError(
                    f"Upload an audio file ({FORMATS_NAMED}): this one is a video.",
                    code="video",
                )
            if not streams.audio:
                raise ValidationError(NOT_AUDIO, code="not_audio")
            next(container.decode(streams.audio[0]))
    except ValidationError:
        raise
    except Exception as error:  # whatever FFmpeg can't read is not audio to us
        logger.info("Refused an upload that isn't audio: %r", error)
        raise ValidationError(NOT_AUDIO, code="not_audio") from None
    finally:
        stream.seek(0)


def validate_audio_file(file):
    """Refuse `file` unless it is audio: extension, declared type, size and content.

    A file already in storage was checked when it arrived and is not read again.
    """
    if getattr(file, "_committed", False):
        return
    extension = _extension(file.name)
    if extension not in AUDIO_TYPES:
        raise ValidationError(
            f"“{extension}” is not allowed: upload {FORMATS_NAMED}.", code="invalid_extension"
        )
    declared = _declared_type(file)
    if not (
        declared.startswith("audio/")
        or declared in AUDIO_CONTAINER_TYPES
        or declared in UNDECLARED_TYPES
    ):
        raise ValidationError(
            f"Upload an audio file ({FORMATS_NAMED}): this one was sent as {declared}.",
            code="invalid_type",
        )
    if not file.size:
        raise ValidationError("This file is empty.", code="empty")
    if file.size > MAX_AUDIO_SIZE:
        raise ValidationError(
            f"This file is {filesizeformat(file.size)}; the limit is "
            f"{filesizeformat(MAX_AUDIO_SIZE)}.",
            code="too_large",
        )
    _check_content(_content(file))


def _delete_stored(stored):
    for storage, name in stored:
        storage.delete(name)


def delete_on_commit(files, using=None):
    """Remove stored `files` once the transaction that dropped them commits; never if it rolls
    back. A storage that fails to delete is logged, not raised: the database has committed."""
    stored = [(file.storage, file.name) for file in files if file]
    if stored:
        transaction.on_commit(functools.partial(_delete_stored, stored), using=using, robust=True)


def delete_audio_with_call(sender, instance, using, **kwargs):
    """post_delete receiver of Call: its audio leaves storage with it, however it was deleted
    (the services, a lead's or an organization's cascade, a queryset delete)."""
    delete_on_commit([instance.recording_file, instance.voicemail_file], using=using)
