"""The test's database goes away under a live server, then comes back.

While it is down the API answers 503 JSON (which Close's clients retry) and the pages a plain
"try again" page, never a stack trace; once it is back the same server process answers again,
without a restart. The outage is what a server restart looks like to the app: PostgreSQL ends
every connection to the database and refuses new ones until it is back. Only this test's
database goes away, so other test processes (pytest -n) on the same cluster carry on.
"""

import threading

import psycopg
import pytest
import requests
from closeio_api import API
from django.conf import settings
from django.db import connection, connections
from psycopg import sql

from activities.models import Call
from tests.conftest import basic_auth

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


class Database:
    """The test's database, cut off and brought back by a superuser on another database."""

    def __init__(self):
        options = connection.settings_dict
        self.name = options["NAME"]
        self.admin = psycopg.connect(
            dbname="postgres",
            host=options["HOST"],
            port=options["PORT"],
            user=options["USER"],
            password=options["PASSWORD"],
            autocommit=True,
        )
        superuser = "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        if not self.admin.execute(superuser).fetchone()[0]:
            pytest.skip("cutting a database off needs a PostgreSQL superuser")
        self.running = True

    def _allow_connections(self, allow):
        statement = sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS {}")
        self.admin.execute(statement.format(sql.Identifier(self.name), sql.Literal(allow)))

    def stop(self):
        self._allow_connections(False)
        self.admin.execute(
            "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = %s",
            [self.name],
        )
        self.running = False

    def start(self):
        self._allow_connections(True)
        self.running = True


FAULTS = {"injected": 0, "survived": 0}


@pytest.fixture
def database():
    database = Database()
    try:
        yield database
    finally:
        if not database.running:
            database.start()
        database.admin.close()
        connections.close_all()


@pytest.fixture
def api(live_server, alice_key):
    session = requests.Session()
    session.headers["Authorization"] = basic_auth(alice_key)
    session.base = f"{live_server.url}/api/v1/"
    return session


@pytest.fixture
def browser_session(live_server, client, alice):
    client.force_login(alice)
    session = requests.Session()
    session.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[
        settings.SESSION_COOKIE_NAME
    ].value
    return session


def assert_try_again(response, *, api):
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    if api:
        assert response.headers["Content-Type"] == "application/json"
        assert set(response.json()) == {"error"}
    else:
        assert response.headers["Content-Type"].startswith("text/html")
        assert "Try again in a moment" in response.text
        assert "Traceback" not in response.text


def test_an_outage_is_a_503_and_the_server_recovers(
    database, api, browser_session, live_server, lead
):
    leads_page = f"{live_server.url}/leads/{lead.id}/"
    assert api.get(api.base + "lead/").status_code == 200
    assert browser_session.get(leads_page).status_code == 200

    database.stop()
    FAULTS["injected"] += 1
    assert_try_again(api.get(api.base + "activity/call/"), api=True)
    assert_try_again(api.get(api.base + f"lead/{lead.id}/"), api=True)
    logged = api.post(api.base + "activity/call/", json={"lead_id": lead.id, "duration": 5})
    assert_try_again(logged, api=True)
    assert_try_again(browser_session.get(leads_page), api=False)
    assert_try_again(browser_session.get(f"{live_server.url}/leads/"), api=False)

    database.start()
    connections.close_all()  # the test's own connection was ended with the others
    assert api.get(api.base + "activity/call/").json()["data"] == []
    assert api.post(api.base + "activity/call/", json={"lead_id": lead.id}).status_code == 200
    assert browser_session.get(leads_page).status_code == 200
    assert Call.objects.filter(lead=lead).count() == 1  # not the one sent during the outage
    FAULTS["survived"] += 1


def test_the_close_client_retries_through_an_outage(database, live_server, alice_key, lead):
    close = API(f"{live_server.url}/api/v1/", api_key=alice_key, max_retries=5)
    database.stop()
    FAULTS["injected"] += 1
    # Close's client sleeps 2 to 4 seconds after a 503: bring the database back meanwhile.
    restart = threading.Timer(1.0, database.start)
    restart.start()
    try:
        found = close.get(f"lead/{lead.id}")
    finally:
        restart.join()
        connections.close_all()

    assert found["id"] == lead.id
    FAULTS["survived"] += 1


@pytest.fixture(scope="module", autouse=True)
def report_figures(request):
    yield
    with request.config.pluginmanager.getplugin("capturemanager").global_and_fixture_disabled():
        print(
            f"\ndatabase faults: {FAULTS['injected']} outages injected, "
            f"{FAULTS['survived']} survived"
        )
