"""JSON built by the database comes back the same, decoded whole, on PostgreSQL and on SQLite."""

from django.db.models import OuterRef, Subquery

from core.expressions import JSONArray, JSONObject
from leads.models import Contact, Lead
from tests.conftest import make_contact

PHONES = [{"phone": "+16505551234", "type": "office"}]


def test_a_json_column_in_an_object_is_json_not_a_string(lead):
    make_contact(lead, phones=PHONES)

    row = Contact.objects.values(built=JSONObject(phones="phones")).get()

    assert row["built"] == {"phones": PHONES}


def test_a_json_column_in_an_array_is_json_not_a_string(lead):
    make_contact(lead, name="Bruce Wayne", phones=PHONES)

    row = Contact.objects.values(built=JSONArray("name", "phones")).get()

    assert row["built"] == ["Bruce Wayne", PHONES]


def test_an_object_read_through_a_subquery_nests_as_json(lead):
    make_contact(lead, phones=PHONES)
    contact = Contact.objects.filter(lead=OuterRef("pk")).values(built=JSONObject(phones="phones"))

    row = Lead.objects.values(built=JSONObject(contact=Subquery(contact[:1]))).get()

    assert row["built"] == {"contact": {"phones": PHONES}}


def test_a_subquery_that_finds_nothing_nests_as_null(lead):
    contact = Contact.objects.filter(lead=OuterRef("pk")).values(built=JSONObject(phones="phones"))

    row = Lead.objects.values(built=JSONObject(contact=Subquery(contact[:1]))).get()

    assert row["built"] == {"contact": None}


def test_a_text_value_inside_a_json_column_stays_text(lead):
    make_contact(lead, phones=PHONES)

    row = Contact.objects.values(built=JSONObject(phone="phones__0__phone")).get()

    assert row["built"] == {"phone": "+16505551234"}
