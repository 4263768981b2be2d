"""The test's PostgreSQL cluster is stopped under a live server, then started again.

While it is down the API answers 503 JSON (which Close's clients retry) and the pages a plain
"try again" page, never a stack trace; once it is back the same server process answers again,
without a restart. Needs the cluster of bin/with-postgres (PG_TEST_DATA_DIR, PG_TEST_BIN).
"""

import os
import shlex
import subprocess
import threading
from pathlib import Path

import pytest
import requests
from closeio_api import API
from django.conf import settings
from django.db import connections

from activities.models import Call
from tests.conftest import basic_auth

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (os.environ.get("PG_TEST_DATA_DIR") and os.environ.get("PG_TEST_BIN")),
        reason="needs the throwaway cluster of bin/with-postgres",
    ),
]


class Cluster:
    """The test cluster, stopped and started with pg_ctl as bin/with-postgres started it."""

    def __init__(self):
        self.data = Path(os.environ["PG_TEST_DATA_DIR"])
        self.pg_ctl = str(Path(os.environ["PG_TEST_BIN"]) / "pg_ctl")
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        # postmaster.opts holds the server's command line: keep its port, socket and settings.
        arguments = shlex.split((self.data / "postmaster.opts").read_text())[1:]
        at = arguments.index("-D")
        self.options = shlex.join(arguments[:at] + arguments[at + 2 :])
        self.running = True

    def _pg_ctl(self, *arguments):
        command = [*self.as_postgres, self.pg_ctl, "-D", str(self.data), *arguments]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def stop(self):
        self._pg_ctl("-m", "fast", "stop")
        self.running = False

    def start(self):
        log = self.data.parent / "server.log"
        self._pg_ctl("-l", str(log), "-o", self.options, "-w", "start")
        self.running = True


FAULTS = {"injected": 0, "survived": 0}


@pytest.fixture
def cluster():
    cluster = Cluster()
    try:
        yield cluster
    finally:
        if not cluster.running:
            cluster.start()
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
    cluster, api, browser_session, live_server, lead
):
    leads_page = f"{live_server.url}/leads/{lead.id}/"
    assert api.get(api.base + "lead/").status_code == 200
    assert browser_session.get(leads_page).status_code == 200

    cluster.stop()
    FAULTS["injected"] += 1
    assert_try_again(api.get(api.base + "activity/call/"), api=True)
    assert_try_again(api.get(api.base + f"lead/{lead.id}/"), api=True)
    logged = api.post(api.base + "activity/call/", json={"lead_id": lead.id, "duration": 5})
    assert_try_again(logged, api=True)
    assert_try_again(browser_session.get(leads_page), api=False)
    assert_try_again(browser_session.get(f"{live_server.url}/leads/"), api=False)

    cluster.start()
    connections.close_all()  # the test's own connection died with the server
    assert api.get(api.base + "activity/call/").json()["data"] == []
    assert api.post(api.base + "activity/call/", json={"lead_id": lead.id}).status_code == 200
    assert browser_session.get(leads_page).status_code == 200
    assert Call.objects.filter(lead=lead).count() == 1  # not the one sent during the outage
    FAULTS["survived"] += 1


def test_the_close_client_retries_through_an_outage(cluster, live_server, alice_key, lead):
    close = API(f"{live_server.url}/api/v1/", api_key=alice_key, max_retries=5)
    cluster.stop()
    FAULTS["injected"] += 1
    # Close's client sleeps 2 to 4 seconds after a 503: bring the database back meanwhile.
    restart = threading.Timer(1.0, cluster.start)
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
