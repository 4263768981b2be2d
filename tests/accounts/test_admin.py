import re

import pytest
from django.contrib.admin.utils import quote
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.models import ApiKey, Membership, Organization, User
from tests.conftest import admin_form_data, make_organization, make_user

ORGANIZATIONS = reverse("admin:accounts_organization_changelist")
MEMBERSHIPS = reverse("admin:accounts_membership_changelist")
USERS = reverse("admin:accounts_user_changelist")
ADD_USER = reverse("admin:accounts_user_add")
API_KEYS = reverse("admin:accounts_apikey_changelist")
ADD_API_KEY = reverse("admin:accounts_apikey_add")
AUTOCOMPLETE = reverse("admin:autocomplete")
INDEX = reverse("admin:index")


def change_url(obj):
    return reverse(f"admin:accounts_{obj._meta.model_name}_change", args=[quote(obj.pk)])


def results(response):
    return list(response.context["cl"].result_list)


@pytest.fixture(params=["superuser_client", "acme_admin_client"])
def admin_client(request):
    """Run the test for a superuser and for Acme's organization admin."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def alice_membership(alice, acme):
    return Membership.objects.get(user=alice, organization=acme)


@pytest.fixture
def api_key(alice_membership):
    api_key, _ = ApiKey.issue(alice_membership, name="nightly export")
    return api_key


# Organizations


def test_organization_changelist_shows_member_counts(admin_client, acme, alice, acme_admin):
    response = admin_client.get(ORGANIZATIONS)
    assert acme in results(response)
    assertContains(response, '<td class="field-member_count">2</td>', html=True)


def test_organization_search(superuser_client, acme, globex):
    assert results(superuser_client.get(ORGANIZATIONS, {"q": "acm"})) == [acme]


def test_organization_date_filter(superuser_client, acme, globex):
    Organization.objects.filter(pk=globex.pk).update(date_created="2001-01-01T00:00:00Z")
    params = {"date_created__year": acme.date_created.year}
    assert results(superuser_client.get(ORGANIZATIONS, params)) == [acme]


def test_superuser_adds_an_organization(superuser_client):
    data = admin_form_data(superuser_client.get(reverse("admin:accounts_organization_add")))
    data["name"] = "Initech"
    superuser_client.post(reverse("admin:accounts_organization_add"), data)
    assert Organization.objects.filter(name="Initech").exists()


def test_renaming_an_organization_and_changing_a_members_role(admin_client, acme, alice):
    response = admin_client.get(change_url(acme))
    data = admin_form_data(response, name="Acme Corp")
    index = next(
        i
        for i in range(int(data["memberships-TOTAL_FORMS"]))
        if data[f"memberships-{i}-user"] == alice.pk
    )
    data[f"memberships-{index}-role"] = "admin"
    assertRedirects(admin_client.post(change_url(acme), data), ORGANIZATIONS)
    acme.refresh_from_db()
    assert acme.name == "Acme Corp"
    assert Membership.objects.get(user=alice).role == "admin"


def test_an_organization_admin_sets_the_teams_time_zone_region_and_costs(admin_client, acme):
    data = admin_form_data(
        admin_client.get(change_url(acme)),
        time_zone="Europe/Paris",
        phone_region="GB",
        show_call_cost="on",
    )
    assertRedirects(admin_client.post(change_url(acme), data), ORGANIZATIONS)
    acme.refresh_from_db()
    assert (acme.time_zone, acme.phone_region, acme.show_call_cost) == ("Europe/Paris", "GB", True)


@pytest.mark.parametrize(
    ("field", "value"), [("time_zone", "Mars/Olympus_Mons"), ("phone_region", "gb")]
)
def test_an_unknown_time_zone_or_region_is_a_form_error(acme_admin_client, acme, field, value):
    data = admin_form_data(acme_admin_client.get(change_url(acme)), **{field: value})
    response = acme_admin_client.post(change_url(acme), data)

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    acme.refresh_from_db()
    assert getattr(acme, field) != value


def test_organization_admin_cannot_add_or_delete_organizations(acme_admin_client, acme):
    assert acme_admin_client.get(reverse("admin:accounts_organization_add")).status_code == 403
    delete_url = reverse("admin:accounts_organization_delete", args=[quote(acme.pk)])
    assert acme_admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Organization.objects.filter(pk=acme.pk).exists()


def test_organization_admin_sees_only_their_organization(acme_admin_client, acme, globex):
    assert results(acme_admin_client.get(ORGANIZATIONS)) == [acme]
    assertRedirects(acme_admin_client.get(change_url(globex)), INDEX)


# Memberships


def test_membership_changelist_search_and_filters(admin_client, alice_membership, acme_admin):
    assert alice_membership in results(admin_client.get(MEMBERSHIPS))
    assert results(admin_client.get(MEMBERSHIPS, {"q": "alice"})) == [alice_membership]
    assert results(admin_client.get(MEMBERSHIPS, {"role__exact": "member"})) == [alice_membership]


def test_superuser_filters_memberships_by_organization(superuser_client, alice, bob, acme):
    params = {"organization__id__exact": acme.pk}
    assert [m.user for m in results(superuser_client.get(MEMBERSHIPS, params))] == [alice]


def test_superuser_adds_a_membership(superuser_client, globex, alice):
    add_url = reverse("admin:accounts_membership_add")
    data = admin_form_data(
        superuser_client.get(add_url), user=alice.pk, organization=globex.pk, role="admin"
    )
    assertRedirects(superuser_client.post(add_url, data), MEMBERSHIPS)
    assert Membership.objects.get(user=alice, organization=globex).role == "admin"


def test_a_duplicate_membership_is_refused(admin_client, acme, alice):
    add_url = reverse("admin:accounts_membership_add")
    data = admin_form_data(admin_client.get(add_url), user=alice.pk, organization=acme.pk)
    response = admin_client.post(add_url, data)
    assert response.status_code == 200
    assert "already exists" in str(response.context["adminform"].form.errors)


def test_a_duplicate_membership_is_refused_inline(admin_client, acme, alice):
    data = admin_form_data(admin_client.get(change_url(acme)))
    extra = data["memberships-TOTAL_FORMS"]
    data.update(
        {
            "memberships-TOTAL_FORMS": str(int(extra) + 1),
            f"memberships-{extra}-user": alice.pk,
            f"memberships-{extra}-role": "admin",
        }
    )
    response = admin_client.post(change_url(acme), data)
    assert response.status_code == 200
    assert Membership.objects.get(user=alice).role == "member"


def test_changing_a_membership(admin_client, alice_membership):
    data = admin_form_data(admin_client.get(change_url(alice_membership)), role="admin")
    assertRedirects(admin_client.post(change_url(alice_membership), data), MEMBERSHIPS)
    alice_membership.refresh_from_db()
    assert alice_membership.role == "admin"


def test_organization_admin_sees_only_their_memberships(acme_admin_client, alice, bob):
    assert {m.user for m in results(acme_admin_client.get(MEMBERSHIPS))} == {
        alice,
        User.objects.get(username="carol"),
    }
    bobs = Membership.objects.get(user=bob)
    assertRedirects(acme_admin_client.get(change_url(bobs)), INDEX)


def test_organization_admin_cannot_add_someone_to_another_organization(
    acme_admin_client, alice, globex
):
    add_url = reverse("admin:accounts_membership_add")
    data = admin_form_data(acme_admin_client.get(add_url), user=alice.pk, organization=globex.pk)
    response = acme_admin_client.post(add_url, data)
    assert "organization" in response.context["adminform"].form.errors
    assert not Membership.objects.filter(organization=globex).exists()


# Users


def test_user_changelist_search_and_filters(admin_client, alice, acme_admin):
    response = admin_client.get(USERS)
    assert alice in results(response)
    assertContains(response, "Acme")
    assert results(admin_client.get(USERS, {"q": "archer"})) == [alice]
    assert results(admin_client.get(USERS, {"is_staff__exact": "0"})) == [alice]
    assert alice in results(admin_client.get(USERS, {"is_active__exact": "1"}))


def test_users_filter_by_organization(superuser_client, alice, bob, acme):
    params = {"memberships__organization__id__exact": acme.pk}
    assert results(superuser_client.get(USERS, params)) == [alice]


def test_adding_a_user_to_an_organization(admin_client, acme):
    response = admin_client.get(ADD_USER)
    assert response.status_code == 200
    data = admin_form_data(
        response,
        username="dave",
        password1="a-long-Passphrase-42",
        password2="a-long-Passphrase-42",
        organization=acme.pk,
        role="member",
    )
    response = admin_client.post(ADD_USER, data)
    dave = User.objects.get(username="dave")
    assertRedirects(response, change_url(dave))
    assert dave.memberships.get().organization == acme


def test_changing_a_user(admin_client, alice):
    data = admin_form_data(admin_client.get(change_url(alice)), time_zone="Europe/Paris")
    assertRedirects(admin_client.post(change_url(alice), data), USERS)
    alice.refresh_from_db()
    assert alice.time_zone == "Europe/Paris"


def test_organization_admin_cannot_make_anyone_staff_or_superuser(acme_admin_client, alice):
    response = acme_admin_client.get(change_url(alice))
    assertNotContains(response, 'name="is_staff"')
    assertNotContains(response, 'name="is_superuser"')
    data = admin_form_data(response, is_staff="on", is_superuser="on")
    acme_admin_client.post(change_url(alice), data)
    alice.refresh_from_db()
    assert not alice.is_staff and not alice.is_superuser


def test_organization_admin_sees_only_their_organizations_members(acme_admin_client, alice, bob):
    assert set(results(acme_admin_client.get(USERS))) == {alice, User.objects.get(username="carol")}
    assertRedirects(acme_admin_client.get(change_url(bob)), INDEX)


def test_organization_admin_cannot_change_a_member_who_is_also_elsewhere(
    acme_admin_client, alice, globex
):
    Membership.objects.create(user=alice, organization=globex)
    response = acme_admin_client.get(change_url(alice))
    assertNotContains(response, 'name="first_name"')
    password_url = reverse("admin:auth_user_password_change", args=[quote(alice.pk)])
    assert acme_admin_client.get(password_url).status_code == 403


def test_organization_admin_cannot_add_a_user_elsewhere(acme_admin_client, globex):
    data = admin_form_data(
        acme_admin_client.get(ADD_USER),
        username="mole",
        password1="a-long-Passphrase-42",
        password2="a-long-Passphrase-42",
        organization=globex.pk,
    )
    response = acme_admin_client.post(ADD_USER, data)
    assert "organization" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="mole").exists()


def test_user_autocomplete_offers_only_the_organizations_members(acme_admin_client, alice, bob):
    response = acme_admin_client.get(
        AUTOCOMPLETE,
        {"app_label": "accounts", "model_name": "membership", "field_name": "user", "term": ""},
    )
    ids = {result["id"] for result in response.json()["results"]}
    assert alice.pk in ids
    assert bob.pk not in ids


# API keys


def test_api_key_changelist_shows_only_the_prefix(admin_client, api_key):
    response = admin_client.get(API_KEYS)
    assert results(response) == [api_key]
    assertContains(response, f"{api_key.prefix}…")
    assertNotContains(response, api_key.hashed_key)


def test_api_key_search_and_status_filter(admin_client, api_key, alice_membership):
    revoked, _ = ApiKey.issue(alice_membership, name="old laptop")
    revoked.revoke()
    assert results(admin_client.get(API_KEYS, {"q": "nightly"})) == [api_key]
    assert results(admin_client.get(API_KEYS, {"status": "active"})) == [api_key]
    assert results(admin_client.get(API_KEYS, {"status": "revoked"})) == [revoked]


def test_creating_an_api_key_shows_the_full_key_once(admin_client, alice_membership):
    response = admin_client.get(ADD_API_KEY)
    data = admin_form_data(response, membership=alice_membership.pk, name="zapier")
    response = admin_client.post(ADD_API_KEY, data)
    assert response.status_code == 200
    key = response.context["key"]
    assertContains(response, key)
    api_key = ApiKey.objects.get(name="zapier")
    assert ApiKey.objects.authenticate(key) == api_key
    assert key.startswith(api_key.prefix)
    assertNotContains(admin_client.get(change_url(api_key)), key)
    assertNotContains(admin_client.get(API_KEYS), key)


def test_the_new_key_is_labelled_and_its_copy_button_waits_for_its_script(
    admin_client, alice_membership
):
    data = admin_form_data(admin_client.get(ADD_API_KEY), membership=alice_membership.pk)

    response = admin_client.post(ADD_API_KEY, data)

    assertContains(response, '<label for="api-key">API key</label>', html=True)
    assertContains(response, '<button type="button" class="button" data-copy="api-key" hidden>')
    assertContains(response, '<script src="/static/js/copy.js" defer></script>', html=True)
    assert not re.search(r"<[^>]+\son\w+=", response.content.decode())  # no inline handler


def test_renaming_an_api_key(admin_client, api_key):
    data = admin_form_data(admin_client.get(change_url(api_key)), name="weekly export")
    assertRedirects(admin_client.post(change_url(api_key), data), API_KEYS)
    api_key.refresh_from_db()
    assert api_key.name == "weekly export"


def test_revoking_an_api_key_is_one_click(admin_client, api_key):
    response = admin_client.get(change_url(api_key))
    revoke_url = reverse("admin:accounts_apikey_revoke", args=[quote(api_key.pk)])
    assertContains(response, f'action="{revoke_url}"')
    assertRedirects(admin_client.post(revoke_url), change_url(api_key))
    api_key.refresh_from_db()
    assert api_key.date_revoked is not None


def test_revoking_needs_a_post(admin_client, api_key):
    revoke_url = reverse("admin:accounts_apikey_revoke", args=[quote(api_key.pk)])
    assert admin_client.get(revoke_url).status_code == 405
    api_key.refresh_from_db()
    assert api_key.date_revoked is None


def test_revoking_api_keys_in_bulk(admin_client, alice_membership):
    api_key, key = ApiKey.issue(alice_membership, name="nightly export")
    other, other_key = ApiKey.issue(alice_membership, name="zapier")
    assert ApiKey.objects.authenticate(key) == api_key

    response = admin_client.post(API_KEYS, {"action": "revoke", "_selected_action": [api_key.pk]})

    assertRedirects(response, API_KEYS)
    assert ApiKey.objects.authenticate(key) is None
    assert ApiKey.objects.authenticate(other_key) == other


def test_organization_admin_cannot_see_or_revoke_another_organizations_keys(
    acme_admin_client, api_key, bob, globex
):
    bobs_key, _ = ApiKey.issue(Membership.objects.get(user=bob))
    assert results(acme_admin_client.get(API_KEYS)) == [api_key]
    assertRedirects(acme_admin_client.get(change_url(bobs_key)), INDEX)
    revoke_url = reverse("admin:accounts_apikey_revoke", args=[quote(bobs_key.pk)])
    assert acme_admin_client.post(revoke_url).status_code == 404
    acme_admin_client.post(API_KEYS, {"action": "revoke", "_selected_action": [bobs_key.pk]})
    bobs_key.refresh_from_db()
    assert bobs_key.date_revoked is None


def test_organization_admin_cannot_issue_a_key_for_another_organizations_member(
    acme_admin_client, bob
):
    bobs = Membership.objects.get(user=bob)
    data = admin_form_data(acme_admin_client.get(ADD_API_KEY), membership=bobs.pk)
    response = acme_admin_client.post(ADD_API_KEY, data)
    assert "membership" in response.context["adminform"].form.errors
    assert not ApiKey.objects.exists()


# Who gets in


def test_organization_admin_sees_the_models_they_manage(acme_admin_client):
    response = acme_admin_client.get(INDEX)
    for name in ("Calls", "Leads", "Outcomes", "API keys", "Users"):
        assertContains(response, name)
    assertNotContains(response, "Groups")


@pytest.mark.parametrize("role", ["member", None])
def test_staff_who_administer_no_organization_see_nothing(client, acme, role):
    user = make_user(acme if role else None, role=role or "member", is_staff=True)
    client.force_login(user)
    response = client.get(INDEX)
    assertNotContains(response, "Calls")
    assert client.get(USERS).status_code == 403


def test_an_admin_of_two_organizations_sees_both(client, acme, globex, lead):
    user = make_user(acme, role="admin", is_staff=True)
    Membership.objects.create(user=user, organization=globex, role="admin")
    make_organization(name="Hooli")
    client.force_login(user)
    assert {o.name for o in results(client.get(ORGANIZATIONS))} == {"Acme", "Globex"}
