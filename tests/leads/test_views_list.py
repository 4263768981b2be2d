from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tests.conftest import make_call, make_contact, make_lead, make_user

pytestmark = pytest.mark.django_db


def lead_names(response):
    return [lead.name for lead in response.context["page"].object_list]


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("leads:list"))
    assertRedirects(response, f"{reverse('login')}?next={reverse('leads:list')}")


def test_it_lists_only_the_organizations_leads(alice_browser, acme, globex):
    make_lead(acme, name="Acme's lead")
    make_lead(globex, name="Globex's lead")
    response = alice_browser.get(reverse("leads:list"))
    assertContains(response, "Acme&#x27;s lead")
    assertNotContains(response, "Globex")


def test_a_member_of_no_organization_is_told_so(client):
    client.force_login(make_user())
    response = client.get(reverse("leads:list"))
    assert response.status_code == 403
    assertContains(response, "not a member of any organization", status_code=403)


def test_it_searches_a_phone_typed_in_another_format(alice_browser, acme):
    make_contact(make_lead(acme, name="Wayne"), phones=[{"phone": "+16505551234"}])
    make_contact(make_lead(acme, name="Stark"), phones=[{"phone": "+16505559999"}])
    response = alice_browser.get(reverse("leads:list"), {"q": "(650) 555-1234"})
    assert lead_names(response) == ["Wayne"]


@pytest.mark.parametrize("query", ["wayne", "Bruce", "bruce@wayne.example"])
def test_it_searches_lead_name_contact_name_and_email(alice_browser, acme, query):
    lead = make_lead(acme, name="Wayne Enterprises")
    make_contact(lead, name="Bruce", emails=[{"email": "bruce@wayne.example"}])
    make_lead(acme, name="Stark Industries")
    response = alice_browser.get(reverse("leads:list"), {"q": query})
    assert lead_names(response) == ["Wayne Enterprises"]
    assertContains(response, f'value="{query}"')


def test_a_search_without_match_says_so(alice_browser, acme):
    make_lead(acme, name="Wayne")
    response = alice_browser.get(reverse("leads:list"), {"q": "nobody"})
    assertContains(response, "No lead matches")


def test_each_row_shows_main_contact_calls_count_and_last_call(alice_browser, alice, acme):
    lead = make_lead(acme, name="Wayne")
    make_contact(lead, name="Bruce Wayne", phones=[{"phone": "+16505551234"}])
    make_contact(lead, name="Alfred")
    make_call(lead, alice, disposition="no-answer", activity_at=timezone.now() - timedelta(days=2))
    make_call(lead, alice, disposition="answered", activity_at=timezone.now() - timedelta(hours=3))
    response = alice_browser.get(reverse("leads:list"))
    row = response.context["page"].object_list[0]
    assert row.main_contacts[0].name == "Bruce Wayne"
    assert row.calls_count == 2
    assert row.latest_calls[0].disposition == "answered"
    assertContains(
        response, '<a class="phone" href="tel:+16505551234">+1 650-555-1234</a>', html=True
    )
    assertContains(response, '<span class="badge badge--answered">Answered</span>', html=True)
    assertContains(response, "3\u00a0hours ago")
    assertContains(response, "Alice Archer")


def test_leads_are_sorted_by_latest_activity(alice_browser, alice, acme):
    now = timezone.now()
    old, recent = make_lead(acme, name="Old"), make_lead(acme, name="Recent")
    make_call(old, alice, activity_at=now - timedelta(days=10))
    make_call(recent, alice, activity_at=now - timedelta(hours=1))
    make_lead(acme, name="Never called")
    response = alice_browser.get(reverse("leads:list"))
    assert lead_names(response) == ["Recent", "Old", "Never called"]


def test_the_list_is_paginated(alice_browser, acme):
    for n in range(30):
        make_lead(acme, name=f"Lead {n:02d}")
    first = alice_browser.get(reverse("leads:list"))
    second = alice_browser.get(reverse("leads:list"), {"page": 2})
    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5
    assertContains(first, "Page 1 of 2")


def test_a_bad_page_number_shows_a_page_rather_than_an_error(alice_browser, acme):
    make_lead(acme)
    assert alice_browser.get(reverse("leads:list"), {"page": "x"}).status_code == 200
    assert alice_browser.get(reverse("leads:list"), {"page": "999"}).status_code == 200


def test_the_list_costs_the_same_queries_for_more_leads(
    alice_browser, alice, acme, django_assert_max_num_queries
):
    def fill(count):
        for _ in range(count):
            lead = make_lead(acme)
            make_contact(lead)
            make_call(lead, alice)

    fill(1)
    with django_assert_max_num_queries(9) as few:
        alice_browser.get(reverse("leads:list"))
    fill(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        alice_browser.get(reverse("leads:list"))


def test_a_phone_search_says_which_contact_matched(alice_browser, acme):
    lead = make_lead(acme, name="Wayne Enterprises")
    make_contact(lead, name="Bruce Wayne", phones=[{"phone": "+16505550000", "type": "office"}])
    make_contact(
        lead,
        name="Jane Doe",
        phones=[
            {"phone": "+16505559876", "type": "office"},
            {"phone": "+16505551234", "type": "mobile"},
        ],
    )

    response = alice_browser.get(reverse("leads:list"), {"q": "(650) 555-1234"})

    assert lead_names(response) == ["Wayne Enterprises"]
    assertContains(
        response,
        '<span class="match">matched Jane Doe\'s mobile, '
        '<a class="phone" href="tel:+16505551234">+1 650-555-1234</a></span>',
        html=True,
    )


def test_a_number_dialled_in_the_organizations_region_finds_its_contact(alice_browser, acme):
    acme.phone_region = "GB"
    acme.save()
    lead = make_lead(acme, name="Albion Software")
    make_contact(lead, name="Oliver Smith", phones=[{"phone": "+442079460000", "type": "office"}])

    response = alice_browser.get(reverse("leads:list"), {"q": "020 7946 0000"})

    assert lead_names(response) == ["Albion Software"]
    assertContains(response, "matched Oliver Smith&#x27;s office phone")


def test_a_search_by_name_says_nothing_of_phones(alice_browser, acme):
    make_contact(make_lead(acme, name="Wayne Enterprises"), name="Bruce Wayne")
    response = alice_browser.get(reverse("leads:list"), {"q": "Wayne"})
    assert lead_names(response) == ["Wayne Enterprises"]
    assertNotContains(response, "matched")
