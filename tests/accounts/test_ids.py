"""Public ids: no LIKE ("_like", varchar_pattern_ops) indexes on PostgreSQL for keys and FKs."""

import re

import pytest
from django.db import connection

from activities.models import Call
from tests.conftest import make_call, make_lead

pytestmark = pytest.mark.postgresql

ID_PATTERN_INDEX = re.compile(r"\((\w+_)?id varchar_pattern_ops\)")


def test_id_and_foreign_key_columns_get_no_like_index(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'")
        definitions = [row[0] for row in cursor.fetchall()]

    assert [d for d in definitions if ID_PATTERN_INDEX.search(d)] == []
    assert any("varchar_pattern_ops" in d for d in definitions)  # as for a unique username


def test_foreign_keys_have_the_type_of_the_ids_they_point_to(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type, character_maximum_length "
            "FROM information_schema.columns WHERE table_name = %s",
            [Call._meta.db_table],
        )
        columns = {name: (kind, length) for name, kind, length in cursor.fetchall()}

    keys = ("id", "lead_id", "organization_id", "user_id", "contact_id", "outcome_id")
    assert {columns[key] for key in keys} == {("character varying", 64)}


def test_id_lookups_use_the_primary_key_index(acme, alice):
    call = make_call(make_lead(acme), alice)
    table = Call._meta.db_table
    with connection.cursor() as cursor:
        # Copies of the call under other ids, so that the planner costs the indexes as on a real
        # table: on a table of one row, any index that holds `id` costs the same.
        cursor.execute(
            f'INSERT INTO "{table}" SELECT (jsonb_populate_record(c, jsonb_build_object('
            f"'id', 'acti_copy' || n))).* FROM \"{table}\" c, generate_series(1, 3000) n"
        )
        cursor.execute(f'ANALYZE "{table}"')
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f'EXPLAIN SELECT * FROM "{table}" WHERE id = %s', [call.id])
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "activities_call_pkey" in plan
