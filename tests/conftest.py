"""Personas and builders shared by every test.

`alice` is a rep in Acme and `bob` a rep in Globex, another organization: whatever Bob can
reach of Acme's is a tenant-wall bug. Builders take keyword overrides over sensible defaults.
"""

import base64
import datetime
import functools
import io
import itertools
import math
import os
import struct
import threading
import wave
import zlib
from html.parser import HTMLParser

import av
import pytest
import requests
from django.core.cache import cache
from django.db import connection
from django.test import Client

from accounts.models import ApiKey, Membership, Organization, User
from activities import services
from activities.models import Outcome
from followups import services as followup_services
from leads.models import Contact, Lead
from tests.redis_server import REDIS_SERVER, RedisServer

_sequence = itertools.count(1)


def pytest_report_header(config):
    return f"database: {connection.vendor}"


def pytest_collection_modifyitems(config, items):
    """`make test` runs the suite on PostgreSQL and again on SQLite (`make run`'s database):
    only tests marked `postgresql`, which test PostgreSQL itself, are skipped there."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="tests PostgreSQL itself")
    for item in items:
        if "postgresql" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit and sign-in counters live in the cache: each test starts with none."""
    cache.clear()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """A throwaway redis-server for the whole run (tests/redis_server.py)."""
    if not os.path.exists(REDIS_SERVER):
        pytest.skip(f"{REDIS_SERVER} is not installed (apt-get install redis-server)")
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server):
    """The URL of the throwaway Redis, running (a test may have stopped it) and empty."""
    if not redis_server.running:
        redis_server.start()
    redis_server.flush()
    return redis_server.url


def make_user(organization=None, role=Membership.Role.MEMBER, **fields):
    n = next(_sequence)
    fields.setdefault("username", f"user{n}")
    fields.setdefault("first_name", f"Rep{n}")
    fields.setdefault("last_name", "Tester")
    fields.setdefault("email", f"user{n}@example.com")
    password = fields.pop("password", "password")
    user = User.objects.create_user(password=password, **fields)
    if organization is not None:
        Membership.objects.create(user=user, organization=organization, role=role)
    return user


def make_organization(**fields):
    fields.setdefault("name", f"Organization {next(_sequence)}")
    return Organization.objects.create(**fields)


def make_lead(organization, **fields):
    fields.setdefault("name", f"Lead {next(_sequence)}")
    return Lead.objects.create(organization=organization, **fields)


def make_contact(lead, **fields):
    n = next(_sequence)
    fields.setdefault("name", f"Contact {n}")
    fields.setdefault("phones", [{"phone": f"+1650555{n % 10000:04d}", "type": "office"}])
    fields.setdefault("emails", [{"email": f"contact{n}@example.com", "type": "office"}])
    return Contact.objects.create(organization=lead.organization, lead=lead, **fields)


def make_outcome(organization, **fields):
    fields.setdefault("name", f"Outcome {next(_sequence)}")
    return Outcome.objects.create(organization=organization, **fields)


def make_call(lead, user=None, transcripts=None, created_by=None, **fields):
    """Log a call of `user`'s (logged by `created_by`, by default the same user) through the
    same service the API and the forms use."""
    fields.setdefault("direction", "outbound")
    fields.setdefault("duration", 60)
    fields.setdefault("call_method", "regular")
    return services.call_create(
        organization=lead.organization,
        created_by=created_by or user,
        fields={"lead": lead, "user": user, **fields},
        transcripts=transcripts,
    )


def make_task(lead, assigned_to=None, created_by=None, **fields):
    """Create a follow-up task on `lead` for `assigned_to` (created by them unless `created_by`
    says otherwise), due tomorrow unless `fields` say otherwise, through the task services."""
    if "due_at" not in fields:
        fields.setdefault("date", datetime.date.today() + datetime.timedelta(days=1))
    return followup_services.task_create(
        organization=lead.organization,
        created_by=created_by or assigned_to,
        fields={"lead": lead, "assigned_to": assigned_to, **fields},
    )


def wav(seconds=1, rate=8000):
    """A real, small WAV file: a quiet 200 Hz tone, mono, 16-bit."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        period = rate // 200
        frame = b"".join(
            (1000 if i < period // 2 else -1000).to_bytes(2, "little", signed=True)
            for i in range(period)
        )
        audio.writeframes(frame * (rate * seconds // period))
    return buffer.getvalue()


# Container and codec (and sample rate) of each kind of audio file `encoded_audio` makes.
AUDIO_ENCODINGS = {
    "mp3": ("mp3", "libmp3lame", 8000),
    "ogg": ("ogg", "libopus", 48000),
    "opus": ("ogg", "libopus", 48000),
    "m4a": ("ipod", "aac", 8000),
    "aac": ("adts", "aac", 8000),
    "flac": ("flac", "flac", 8000),
    "webm": ("webm", "libopus", 48000),
    "mp4": ("mp4", "aac", 8000),  # with a video stream
}


@functools.cache
def encoded_audio(kind, seconds=1):
    """A real, small audio file of `kind` (an AUDIO_ENCODINGS key), encoded by FFmpeg (PyAV):
    a 200 Hz tone, mono. "mp4" is a video: the same sound and a few black frames."""
    container, codec, rate = AUDIO_ENCODINGS[kind]
    samples = rate * seconds
    pcm = b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * 200 * i / rate)))
        for i in range(samples)
    )
    buffer = io.BytesIO()
    with av.open(buffer, "w", format=container) as output:
        audio = output.add_stream(codec, rate=rate, layout="mono")
        packets = []
        step = audio.codec_context.frame_size or 1024
        for start in range(0, samples, step):
            frame = av.AudioFrame(format="s16", layout="mono", samples=step)
            chunk = pcm[2 * start : 2 * (start + step)]
            frame.planes[0].update(chunk.ljust(frame.planes[0].buffer_size, b"\0"))
            frame.sample_rate, frame.pts = rate, start
            packets += audio.encode(frame)
        packets += audio.encode(None)
        if kind == "mp4":
            video = output.add_stream("mpeg4", rate=10, width=32, height=32)
            for _ in range(5):
                packets += video.encode(av.VideoFrame(32, 32, "yuv420p"))
            packets += video.encode(None)
        output.mux(packets)
    return buffer.getvalue()


def mp3_with_cover_art():
    """An MP3 with a picture in its ID3 tag, as music and many recorders write them."""

    def png_chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    png = (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
        + png_chunk(b"IDAT", zlib.compress(b"\0\0"))
        + png_chunk(b"IEND", b"")
    )
    picture = b"\0image/png\0\3\0" + png
    frame = b"APIC" + struct.pack(">I", len(picture)) + b"\0\0" + picture
    size = bytes((len(frame) >> shift) & 0x7F for shift in (21, 14, 7, 0))  # "syncsafe"
    return b"ID3\3\0\0" + size + frame + encoded_audio("mp3")


def issue_key(user, organization):
    """Issue an API key of `user` in `organization`; return the full key."""
    _, key = ApiKey.issue(Membership.objects.get(user=user, organization=organization))
    return key


def basic_auth(key):
    return "Basic " + base64.b64encode(f"{key}:".encode()).decode()


def put_at_once(url, headers, bodies, method="PUT"):
    """PUT (or `method`) each of `bodies` to `url` from its own thread, all released at the
    same moment; return the statuses, in the order they came back."""
    start = threading.Barrier(len(bodies))
    statuses = []

    def put(body):
        start.wait()
        response = requests.request(method, url, json=body, headers=headers, timeout=30)
        statuses.append(response.status_code)

    threads = [threading.Thread(target=put, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def api_client(key):
    """A test client that sends `key` the way Close's clients do."""
    return Client(HTTP_AUTHORIZATION=basic_auth(key))


@pytest.fixture
def acme(db):
    return make_organization(name="Acme")


@pytest.fixture
def globex(db):
    return make_organization(name="Globex")


@pytest.fixture
def acme_shows_costs(acme):
    """Acme lets its reps see and type what each call cost (Organization.show_call_cost)."""
    acme.show_call_cost = True
    acme.save(update_fields=["show_call_cost"])
    return acme


@pytest.fixture
def alice(acme):
    return make_user(acme, username="alice", first_name="Alice", last_name="Archer")


@pytest.fixture
def bob(globex):
    return make_user(globex, username="bob", first_name="Bob", last_name="Baker")


@pytest.fixture
def alice_key(alice, acme):
    _, key = ApiKey.issue(Membership.objects.get(user=alice, organization=acme))
    return key


@pytest.fixture
def bob_key(bob, globex):
    _, key = ApiKey.issue(Membership.objects.get(user=bob, organization=globex))
    return key


@pytest.fixture
def alice_api(alice_key):
    return api_client(alice_key)


@pytest.fixture
def bob_api(bob_key):
    return api_client(bob_key)


@pytest.fixture
def alice_browser(client, alice):
    """Django's test client signed in as Alice."""
    client.force_login(alice)
    return client


_announced = []


def remember_change(change):
    _announced.append(change)


@pytest.fixture
def announced(settings):
    """The changes the services announce during the test, in order (core/changes.py)."""
    _announced.clear()
    settings.CHANGE_RECEIVERS = ["tests.conftest.remember_change"]
    return _announced


@pytest.fixture
def lead(acme):
    return make_lead(acme, name="Wayne Enterprises")


@pytest.fixture
def contact(lead):
    return make_contact(
        lead, name="Bruce Wayne", phones=[{"phone": "+16505551234", "type": "office"}]
    )


@pytest.fixture
def outcome(acme):
    return make_outcome(acme, name="Demo booked")


@pytest.fixture
def bob_lead(globex):
    """Globex's objects, which Alice must never reach."""
    return make_lead(globex, name="Initech")


@pytest.fixture
def bob_contact(bob_lead):
    return make_contact(bob_lead, name="Peter Gibbons")


@pytest.fixture
def bob_outcome(globex):
    return make_outcome(globex, name="Globex demo")


@pytest.fixture
def bob_call(bob_lead, bob):
    return make_call(bob_lead, bob)


@pytest.fixture
def superuser_client(client, db):
    """Django's test client signed in as a superuser, who sees every organization in the admin."""
    client.force_login(User.objects.create_superuser("root", "root@example.com", "password"))
    return client


@pytest.fixture
def acme_admin(acme):
    """A staff user who administers Acme, and only Acme, in the Django admin."""
    return make_user(acme, role=Membership.Role.ADMIN, username="carol", is_staff=True)


@pytest.fixture
def acme_admin_key(acme_admin, acme):
    return issue_key(acme_admin, acme)


@pytest.fixture
def acme_admin_api(acme_admin_key):
    """An API client with a key of Acme's organization admin, who may do what a member may not."""
    return api_client(acme_admin_key)


@pytest.fixture
def acme_admin_client(client, acme_admin):
    client.force_login(acme_admin)
    return client


class _FormFields(HTMLParser):
    """What a browser with JavaScript would submit from the form with id `form_id`."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.noscript = form_id, False, False
        self.data, self.select, self.textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "noscript":
            self.noscript = True
        elif tag == "option" and self.select and "selected" in attrs:
            self.data[self.select].append(attrs.get("value", ""))
        elif self.noscript or not name:
            return
        elif tag == "input" and attrs.get("type") in ("checkbox", "radio"):
            if "checked" in attrs:
                self.data.setdefault(name, []).append(attrs.get("value", "on"))
        elif tag == "input" and attrs.get("type") not in ("submit", "button", "file"):
            self.data.setdefault(name, []).append(attrs.get("value", ""))
        elif tag == "select":
            self.select = name
            self.data.setdefault(name, [])
        elif tag == "textarea":
            self.textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "noscript":
            self.noscript = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            # A browser drops the newline that follows <textarea>.
            self.data[self.textarea][0] = self.data[self.textarea][0].removeprefix("\n")
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][0] += data


def admin_form_data(response, **changes):
    """Return the POST data of the admin change form in `response`, updated with `changes`."""
    parser = _FormFields(f"{response.context['opts'].model_name}_form")
    parser.feed(response.content.decode())
    data = {name: v if len(v) > 1 else v[0] for name, v in parser.data.items() if v}
    data.update(changes)
    return data
