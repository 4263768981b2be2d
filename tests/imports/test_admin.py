"""The admin's list of imports: each organization admin sees their organization's, and can
revert one; members with staff status see nothing."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from imports.models import CallImport
from jobs.models import Job
from tests.conftest import make_user
from tests.imports.conftest import csv_text, import_file

CHANGELIST = reverse("admin:imports_callimport_changelist")
CONTENT = csv_text("Id,Date,Company", "a,2025-01-02,Wayne Enterprises")


@pytest.fixture
def imported(acme, importer, wayne):
    return import_file(acme, importer, CONTENT, name="acme-calls.csv")


@pytest.fixture
def globex_import(globex):
    admin = make_user(globex, role="admin")
    return import_file(globex, admin, CONTENT, name="globex-calls.csv")


def test_an_organization_admin_sees_their_organizations_imports(
    acme_admin_client, imported, globex_import
):
    response = acme_admin_client.get(CHANGELIST)

    assert [row.pk for row in response.context["cl"].result_list] == [imported.pk]
    assertContains(response, "acme-calls.csv")
    assertNotContains(response, "globex-calls.csv")


def test_another_organizations_import_does_not_exist_for_them(acme_admin_client, globex_import):
    url = reverse("admin:imports_callimport_change", args=[globex_import.pk])

    response = acme_admin_client.get(url, follow=True)

    assert response.status_code == 200
    assertContains(response, "doesn’t exist")


def test_the_revert_action_queues_the_revert(acme_admin_client, imported):
    response = acme_admin_client.post(
        CHANGELIST, {"action": "revert", "_selected_action": [imported.pk]}, follow=True
    )

    assertContains(response, "1 revert(s) started.")
    assert CallImport.objects.get(pk=imported.pk).status == CallImport.Status.REVERTING
    assert Job.objects.get().name == "imports.jobs.revert_import"


def test_a_staff_member_who_is_not_an_admin_sees_no_imports(client, acme, imported):
    client.force_login(make_user(acme, is_staff=True))

    assert client.get(CHANGELIST).status_code == 403


def test_deleting_an_import_forgets_it_and_its_file_but_keeps_its_calls(
    acme_admin_client, imported, django_capture_on_commit_callbacks
):
    stored = imported.file
    assert stored.storage.exists(stored.name)
    url = reverse("admin:imports_callimport_delete", args=[imported.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = acme_admin_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not CallImport.objects.exists()
    assert imported.organization.calls.count() == 1
    assert not stored.storage.exists(stored.name)
