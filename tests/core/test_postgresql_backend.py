"""The PostgreSQL backend's health check (core/postgresql/): no statement, yet a connection
PostgreSQL ended is opened again before the next request instead of failing it."""

import pytest
from django.db import close_old_connections, connection, connections

from tests.conftest import api_client

pytestmark = pytest.mark.postgresql


def end_from_elsewhere(pid):
    """End the backend `pid` as a restart or an administrator does."""
    other = connections.create_connection(connection.alias)
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 10000)", [pid])
    finally:
        other.close()


@pytest.fixture
def kept_connection(transactional_db):
    connection.ensure_connection()
    yield connection
    connection.close()


def test_a_healthy_idle_connection_is_usable(kept_connection):
    assert kept_connection.is_usable()


def test_a_connection_postgresql_ended_is_not_usable(kept_connection):
    end_from_elsewhere(kept_connection.connection.info.backend_pid)

    assert not kept_connection.is_usable()


def test_the_request_after_postgresql_ended_the_connection_succeeds(kept_connection, alice_key):
    api = api_client(alice_key)
    assert api.get("/api/v1/activity/call/").status_code == 200
    pid = kept_connection.connection.info.backend_pid

    end_from_elsewhere(pid)
    close_old_connections()  # what a server does as a request starts (the test client doesn't)
    response = api.get("/api/v1/activity/call/")

    assert response.status_code == 200
    assert kept_connection.connection.info.backend_pid != pid
