import wave
import zoneinfo
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiKey, Membership, Organization, User
from activities.models import Call, Outcome, Transcript
from followups.inbox import inbox_of
from followups.models import Task
from insights import tallies
from leads.models import Contact, Lead
from leads.phones import normalize_phone

pytestmark = pytest.mark.django_db


def seed_demo(*args):
    """Run the command; return its stdout."""
    stdout = StringIO()
    call_command("seed_demo", *args, stdout=stdout)
    return stdout.getvalue()


def printed_key(output):
    return next(line.strip() for line in output.splitlines() if line.strip().startswith("api_"))


def snapshot():
    """What the demo organization holds, ids and all."""
    organization = Organization.objects.get(name="Acme Demo")
    return {
        "memberships": sorted(
            organization.memberships.values_list("user__username", "role", "user_id")
        ),
        "keys": organization.memberships.filter(api_keys__isnull=False).count(),
        "outcomes": sorted(Outcome.objects.values_list("id", "name")),
        "leads": sorted(Lead.objects.values_list("id", "name")),
        "contacts": sorted(organization.contacts.values_list("id", "lead_id", "phones")),
        "calls": sorted(Call.objects.values_list("id", "disposition", "note_html")),
        "transcripts": sorted(Transcript.objects.values_list("call_id", "kind")),
    }


@pytest.fixture(scope="class")
def demo_media(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seed once for a class of tests that only read the demo data; roll it back after them.

    Their own transactions nest inside this one. Returns where the audio files were stored.
    """
    media = tmp_path_factory.mktemp("demo-media")
    fast_hashing = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast_hashing),
        transaction.atomic(),
    ):
        seed_demo()
        yield media
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_media, settings):
    settings.MEDIA_ROOT = demo_media


def test_running_it_twice_leaves_the_same_data():
    first_output = seed_demo()
    before = snapshot()

    second_output = seed_demo()

    assert snapshot() == before
    assert "already there" not in first_output
    assert "already there" in second_output


def test_it_prints_the_address_it_is_given():
    output = seed_demo("--url", "http://127.0.0.1:8765")

    assert "Sign in at http://127.0.0.1:8765/ " in output
    assert "http://127.0.0.1:8765/admin/" in output


def test_reset_rebuilds_the_same_data_and_removes_the_old_audio(
    django_capture_on_commit_callbacks,
):
    seed_demo()
    old_audio = Call.objects.exclude(recording_file="").first().recording_file
    lead_names = sorted(Lead.objects.values_list("name", flat=True))
    call_count = Call.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        seed_demo("--reset")

    assert sorted(Lead.objects.values_list("name", flat=True)) == lead_names
    assert Call.objects.count() == call_count
    assert not old_audio.storage.exists(old_audio.name)


def test_it_prints_how_to_sign_in_and_a_working_key_replacing_the_last_one():
    first_key = printed_key(seed_demo())

    output = seed_demo()

    assert "http://127.0.0.1:8000/" in output
    assert "demo-password" in output
    assert all(username in output for username in ("admin", "rep1", "rep2"))
    key = printed_key(output)
    assert f"curl -u {key}: 'http://127.0.0.1:8000/api/v1/activity/call/?_limit=2'" in output
    api_key = ApiKey.objects.authenticate(key)
    assert (api_key.user.username, api_key.organization.name) == ("admin", "Acme Demo")
    assert ApiKey.objects.authenticate(first_key) is None


@pytest.mark.usefixtures("demo")
class TestTheDemoData:
    def test_it_creates_the_demo_team(self):
        memberships = Membership.objects.filter(organization__name="Acme Demo")
        roles = {m.user.username: m.role for m in memberships.select_related("user")}
        assert roles == {"admin": "admin", "rep1": "member", "rep2": "member"}
        admin = memberships.get(user__username="admin").user
        assert admin.is_superuser and admin.is_staff
        assert all(m.user.check_password("demo-password") for m in memberships)

    def test_it_creates_about_forty_leads_with_one_to_three_contacts_each(self):
        leads = Lead.objects.filter(organization__name="Acme Demo")
        assert 35 <= leads.count() <= 45
        for lead in leads.prefetch_related("contacts"):
            assert 1 <= len(lead.contacts.all()) <= 3
            assert all(
                phone["phone"].startswith("+") for c in lead.contacts.all() for phone in c.phones
            )
        countries = {c.phones[0]["phone"][:3] for lead in leads for c in lead.contacts.all()}
        assert len(countries) >= 5

    def test_calls_cover_every_direction_call_method_and_disposition(self):
        calls = Call.objects.all()
        assert 250 <= calls.count() <= 350
        assert set(calls.values_list("direction", flat=True)) == set(Call.Direction.values)
        assert set(calls.values_list("call_method", flat=True)) == set(Call.Method.values)
        assert set(calls.values_list("disposition", flat=True)) == set(Call.Disposition.values)
        assert set(Outcome.objects.filter(calls__isnull=False).values_list("name", flat=True)) == {
            "Demo booked",
            "Not interested",
            "Call back later",
            "Wrong number",
            "Voicemail dropped",
        }

    def test_every_call_satisfies_the_seed_rules(self):
        for call in Call.objects.select_related("lead", "contact", "user"):
            call.full_clean()
            if call.disposition == "vm-answer":
                assert call.direction == "inbound"
            if call.disposition == "abandoned":
                assert call.call_method == "predictive"
            if call.outcome_id:
                assert call.disposition == "answered"

    def test_calls_have_rich_and_plain_notes_and_costs_in_cents(self):
        calls = Call.objects.all()
        assert calls.filter(note_html__contains="<strong>").exists()
        assert calls.filter(note_html__contains="<li>").exists()
        assert calls.filter(note_html__contains='<a href="https://').exists()
        assert calls.filter(note_html__contains="<br />").exists()
        assert calls.filter(cost__gt=0).exclude(cost=calls.first().cost).exists()
        assert calls.filter(cost__isnull=True).exists()

    def test_transcripts_have_audio_files_as_long_as_their_utterances(self):
        transcripts = Transcript.objects.select_related("call")
        assert {t.kind for t in transcripts} == {"recording", "voicemail"}
        for transcript in transcripts:
            audio = getattr(transcript.call, f"{transcript.kind}_file")
            with audio.open("rb"), wave.open(audio.file) as wav:
                seconds = wav.getnframes() / wav.getframerate()
            utterances = transcript.utterances
            assert seconds == pytest.approx(utterances[-1]["end"], abs=0.01)
            assert [u["start"] for u in utterances] == sorted(u["start"] for u in utterances)
            assert all(u["start"] <= u["end"] for u in utterances)
            assert transcript.summary_text and transcript.summary_html
        sides = {
            u["speaker_side"] for t in transcripts.filter(kind="recording") for u in t.utterances
        }
        assert sides == {"contact", "close-user"}

    def test_the_manager_reads_the_teams_week_and_downloads_it(self, client):
        organization = Organization.objects.get(name="Acme Demo")
        client.force_login(organization.memberships.get(user__username="admin").user)

        response = client.get("/insights/?period=last-7-days")

        assert response.status_code == 200
        page = response.context["page"]
        week = Call.objects.filter(
            organization=page.organization,
            activity_at__gte=page.window.start,
            activity_at__lt=page.window.end,
        )
        assert week.count() > 10
        assert page.team_totals.calls == week.count()
        download = client.get("/insights/reps.csv?period=last-7-days")
        lines = b"".join(download.streaming_content).decode().splitlines()
        assert lines[-1].startswith("Team total,")
        outbound, inbound = (int(cell) for cell in lines[-1].split(",")[1:3])
        assert outbound + inbound == week.count()
        live = tallies.nonzero_rows()
        tallies.rebuild()
        assert tallies.nonzero_rows() == live  # the demo's calls went through the write path

    def test_a_second_small_organization_has_admin_and_rep1_in_it_too(self):
        second = Organization.objects.get(name="Harbour Lane Lettings")
        roles = dict(second.memberships.values_list("user__username", "role"))
        assert roles == {"admin": "admin", "rep1": "member"}
        assert (second.phone_region, second.time_zone) == ("GB", "Europe/London")
        assert second.leads.count() == 4
        assert second.calls.count() == 8
        assert {call.lead.organization_id for call in second.calls.select_related("lead")} == {
            second.id
        }
        assert all(c.phones[0]["phone"].startswith("+44") for c in second.contacts.all())

    def test_the_demo_organization_shows_costs_to_its_reps_and_the_second_does_not(self):
        shown = dict(Organization.objects.values_list("name", "show_call_cost"))
        assert shown == {"Acme Demo": True, "Harbour Lane Lettings": False}

    def test_every_demo_phone_number_is_a_valid_one(self):
        for contact in Contact.objects.all():
            for phone in contact.phones:
                assert normalize_phone(phone["phone"]) == phone["phone"]

    def test_rep1_switches_to_the_second_organization_and_sees_its_calls(self, client):
        rep1 = User.objects.get(username="rep1")
        second = Organization.objects.get(name="Harbour Lane Lettings")
        client.force_login(rep1)

        client.post(reverse("switch_organization"), {"organization": second.id})
        response = client.get(reverse("activities:call_list"), {"user_id": ""})

        calls = list(response.context["page"])
        assert len(calls) == 8
        assert {call.organization_id for call in calls} == {second.id}

    def test_each_rep_has_follow_ups_overdue_due_today_and_later(self):
        for user in User.objects.filter(memberships__organization__name="Acme Demo"):
            zone = zoneinfo.ZoneInfo(user.time_zone)
            today = timezone.now().astimezone(zone).date()
            inbox = inbox_of(
                user,
                user.memberships.get(organization__name="Acme Demo").organization,
                today=today,
                zone=zone,
            )
            assert inbox.overdue and inbox.today, user.username
            assert Task.objects.filter(assigned_to=user, date__gt=today).exists()

    def test_missed_calls_and_voicemails_left_their_tasks(self):
        types = set(Task.objects.values_list("type", flat=True))
        assert types == set(Task.Type.values)
        for task in Task.objects.filter(type__in=Task.FROM_CALLS):
            call = Call.objects.get(pk=task.object_id)
            assert (call.direction, call.lead_id) == ("inbound", task.lead_id)

    def test_a_word_said_in_a_demo_call_finds_it_at_the_moment_it_was_said(self, client):
        client.force_login(User.objects.get(username="rep1"))

        response = client.get("/search/", {"q": "spreadsheet", "speaker_side": "contact"})

        results = response.context["results"]
        assert results
        for result in results:
            match = result.utterances[0]
            said = result.call.transcripts.get(kind="recording").utterances[match.position]
            assert "spreadsheet" in said["text"]
            assert match.url == (
                f"/calls/{result.call.id}/transcript/?t={round(said['start'], 2)}"
                f"#recording-{match.position}"
            )
            assert result.call.recording_file
