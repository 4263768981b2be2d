"""The leads search can use trigram indexes on PostgreSQL (the migration skips them on SQLite)."""

import pytest
from django.db import connection

from leads.models import Lead
from tests.conftest import make_contact, make_lead

INDEXES = {"lead_name_trgm", "contact_name_trgm", "contact_email_trgm", "contact_phone_trgm"}


def plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def initech(acme):
    lead = make_lead(acme, name="Initech")
    make_contact(
        lead,
        name="Peter Gibbons",
        phones=[{"phone": "+14155550123"}],
        emails=[{"email": "gibbons@initech.com"}],
    )
    return lead


@pytest.mark.postgresql
def test_the_trigram_indexes_exist(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexdef LIKE '%gin_trgm_ops%'")
        assert {row[0] for row in cursor.fetchall()} == INDEXES


@pytest.mark.parametrize("query", ["4155550", "GIBBONS@init", "pete", "nitec"])
def test_the_search_finds_by_lead_name_contact_name_email_or_phone(acme, initech, query):
    assert list(Lead.objects.for_organization(acme).search(query)) == [initech]


def test_the_search_stays_within_the_organization(globex, initech):
    assert list(Lead.objects.for_organization(globex).search("4155550")) == []


@pytest.mark.postgresql
def test_the_search_can_use_every_trigram_index(acme, initech):
    used = plan(Lead.objects.for_organization(acme).search("4155550"))

    assert all(f"Bitmap Index Scan on {index}" in used for index in INDEXES)
