"""The header's menu on every page: the organization, Settings, the admin for those it serves."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import Membership, User
from tests.conftest import make_organization, make_user

pytestmark = pytest.mark.django_db

SETTINGS_LINK = f'<a href="{reverse("account_settings")}">Settings</a>'
ADMIN_LINK = '<a href="/admin/">Admin</a>'


def menu_of(client, user):
    client.force_login(user)
    return client.get(reverse("leads:list"))


def test_a_member_sees_a_settings_link_and_no_admin_link(client, alice):
    response = menu_of(client, alice)

    assertContains(response, SETTINGS_LINK, html=True)
    assertNotContains(response, ADMIN_LINK, html=True)


def test_the_settings_link_says_when_it_is_the_current_page(alice_browser):
    response = alice_browser.get(reverse("account_settings"))

    assertContains(response, 'href="/accounts/settings/" aria-current="page">Settings</a>')


def test_a_staff_organization_admin_sees_the_admin_link(client, acme_admin):
    assertContains(menu_of(client, acme_admin), ADMIN_LINK, html=True)


def test_an_organization_admin_who_is_not_staff_sees_no_admin_link(client, acme):
    admin = make_user(acme, role=Membership.Role.ADMIN)

    assertNotContains(menu_of(client, admin), ADMIN_LINK, html=True)


def test_a_staff_member_who_administers_nothing_sees_no_admin_link(client, acme):
    assertNotContains(menu_of(client, make_user(acme, is_staff=True)), ADMIN_LINK, html=True)


def test_a_staff_admin_of_another_organization_sees_the_admin_link_everywhere(client, acme):
    user = make_user(acme, is_staff=True)
    Membership.objects.create(
        user=user, organization=make_organization(), role=Membership.Role.ADMIN
    )

    assertContains(menu_of(client, user), ADMIN_LINK, html=True)


def test_a_superuser_sees_the_admin_link(client, acme):
    root = User.objects.create_superuser("root", "root@example.com", "password")
    Membership.objects.create(user=root, organization=acme)

    assertContains(menu_of(client, root), ADMIN_LINK, html=True)
