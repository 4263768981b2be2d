"""Prepared statements for the hot paths (core/postgresql/): the API key's lookup and the
API lists' page queries are bound by the server and prepared once per connection; no other
statement is; a schema change or a new connection breaks none of them."""

import pytest
from django.db import connection, connections

from accounts.models import User
from activities.models import Call
from tests.conftest import make_call, make_user

pytestmark = pytest.mark.postgresql

URL = "/api/v1/activity/call/"


def prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        return [statement for (statement,) in cursor.fetchall()]


def alter_from_elsewhere(sql):
    """Run `sql` on another connection, as a migration run by another process does."""
    other = connections.create_connection(connection.alias)
    try:
        with other.cursor() as cursor:
            cursor.execute(sql)
    finally:
        other.close()


@pytest.fixture
def calls(acme, alice, lead):
    return [make_call(lead, alice, note=f"Call {n}") for n in range(3)]


def test_the_key_lookup_and_the_page_query_are_the_only_statements_prepared(alice_api, calls):
    assert alice_api.get(URL).status_code == 200
    assert alice_api.get(f"{URL}?lead_id={calls[0].lead_id}").status_code == 200

    statements = prepared_statements()

    assert len(statements) == 3
    assert sum('"hashed_key" = $1' in statement for statement in statements) == 1
    assert sum(Call._meta.db_table in statement for statement in statements) == 2


def test_a_page_of_a_date_range_is_planned_for_its_values_not_prepared(alice_api, calls):
    """How many calls a range holds decides the plan: a plan made once for any range is not
    kept for it."""
    since = calls[0].activity_at.isoformat().replace("+00:00", "Z")
    page = alice_api.get(URL, {"user_id": calls[0].user_id, "activity_at__gte": since})

    assert page.status_code == 200
    assert {item["id"] for item in page.json()["data"]} == {call.pk for call in calls}
    assert not any(Call._meta.db_table in statement for statement in prepared_statements())


def test_a_page_of_a_prepared_shape_answers_for_its_own_values(alice_api, calls, acme):
    first = alice_api.get(f"{URL}?lead_id={calls[0].lead_id}&_limit=2").json()
    other = make_call(calls[0].lead, make_user(acme, username="carol"), note="Carol's")
    again = alice_api.get(f"{URL}?lead_id={calls[0].lead_id}&_limit=3").json()

    assert len(first["data"]) == 2 and first["has_more"]
    assert [item["id"] for item in again["data"]][0] == other.pk
    assert len(again["data"]) == 3 and again["has_more"]


@pytest.mark.django_db(transaction=True)
def test_a_prepared_page_query_answers_after_a_column_is_added_to_its_table(alice_api, calls):
    before = alice_api.get(URL)
    table = Call._meta.db_table
    alter_from_elsewhere(f'ALTER TABLE "{table}" ADD COLUMN "added_by_a_migration" integer')
    try:
        after = alice_api.get(URL)
    finally:
        alter_from_elsewhere(f'ALTER TABLE "{table}" DROP COLUMN "added_by_a_migration"')

    assert after.status_code == 200
    assert after.content == before.content


@pytest.mark.django_db(transaction=True)
def test_the_statements_are_prepared_again_on_a_new_connection(alice_api, calls):
    assert alice_api.get(URL).status_code == 200
    connection.close()

    response = alice_api.get(URL)

    assert response.status_code == 200
    assert len(response.json()["data"]) == len(calls)
    assert len(prepared_statements()) == 2


@pytest.mark.django_db(transaction=True)
def test_a_prepared_key_lookup_answers_after_a_column_it_reads_changes_type(alice_api, calls):
    """PostgreSQL refuses a prepared statement whose result changed type ("cached plan must
    not change result type"): the connection's statements are prepared again."""
    assert alice_api.get(URL).status_code == 200
    table = User._meta.db_table
    alter_from_elsewhere(f'ALTER TABLE "{table}" ALTER COLUMN "first_name" TYPE varchar(151)')
    try:
        responses = [alice_api.get(URL), alice_api.get(URL)]
    finally:
        alter_from_elsewhere(f'ALTER TABLE "{table}" ALTER COLUMN "first_name" TYPE varchar(150)')

    assert [response.status_code for response in responses] == [200, 200]
    assert len(responses[1].json()["data"]) == len(calls)
