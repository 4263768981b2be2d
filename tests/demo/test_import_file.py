"""The demo's year of calls as HubSpot exports them: imported, imported again, reverted."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from accounts.models import Membership, Organization
from activities.models import Call
from imports import services
from tests.imports.conftest import import_file

pytestmark = pytest.mark.django_db

ROWS = 300


@pytest.fixture(scope="module")
def demo_file(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo organization (seeded once for the module, rolled back after it), its admin and
    the file the command wrote for it. The tests' own transactions nest inside."""
    folder = tmp_path_factory.mktemp("demo-import")
    fast_hashing = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=folder / "media", PASSWORD_HASHERS=fast_hashing),
        transaction.atomic(),
    ):
        call_command("seed_demo", stdout=StringIO())
        path = folder / "calls.csv"
        output = StringIO()
        call_command("demo_import_file", str(path), "--rows", str(ROWS), stdout=output)
        assert f"Wrote {ROWS} calls" in output.getvalue()
        organization = Organization.objects.get(name="Acme Demo")
        admin = Membership.objects.get(organization=organization, user__username="admin")
        yield organization, admin.user, path.read_bytes()
        transaction.set_rollback(True)


def test_every_row_is_imported_and_the_same_file_again_creates_nothing(demo_file):
    organization, admin, content = demo_file
    calls_before = Call.objects.filter(organization=organization).count()

    first = import_file(organization, admin, content)
    again = import_file(organization, admin, content)

    assert (first.status, first.created, first.rejected) == ("imported", ROWS, 0)
    assert first.source == "HubSpot"
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, ROWS, 0)
    assert Call.objects.filter(organization=organization).count() == calls_before + ROWS


def test_reverting_the_import_takes_its_calls_away(demo_file):
    organization, admin, content = demo_file
    calls_before = Call.objects.filter(organization=organization).count()
    imported = import_file(organization, admin, content)

    services.import_start_revert(imported, enqueue=False)
    reverted = services.run_revert(imported.pk)

    assert reverted.status == "reverted"
    assert Call.objects.filter(organization=organization).count() == calls_before


def test_without_the_demo_it_says_to_seed_it_first(tmp_path):
    Organization.objects.filter(name="Acme Demo").delete()

    with pytest.raises(CommandError, match="run seed_demo first"):
        call_command("demo_import_file", str(tmp_path / "calls.csv"))
