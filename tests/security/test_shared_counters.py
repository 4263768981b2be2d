"""With REDIS_URL, every server counts in one Redis; without Redis, the app keeps answering.

Two gunicorn servers (two workers each) run against the test's PostgreSQL database and a
throwaway redis-server, as two servers of a deployment would behind a load balancer. Requests
alternate between them: they share one API rate-limit count and one sign-in lockout. Then Redis
is killed under them: the API is still served, uncounted, with a warning in the log (the rate
limit fails open); sign-in is refused with a "try again" message, never a 500 (it fails
closed), and works again once Redis is back, without a restart.
"""

import os
import secrets
from urllib.parse import quote

import pytest
import requests
from django.conf import global_settings
from django.db import connections

from bench.serve import Server
from tests.conftest import basic_auth

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

CALLS = "/api/v1/activity/call/"
LOGIN = "/accounts/login/"
REFUSED = "Too many failed sign-ins for this username."
UNAVAILABLE = "Signing in is unavailable for a moment. Try again in a few minutes."


def database_url_of_the_tests():
    """The URL of the test database, for processes outside this one."""
    db = connections["default"].settings_dict
    user = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{user}@{db['HOST']}:{db['PORT']}/{quote(db['NAME'])}"


@pytest.fixture(scope="module")
def servers(django_db_setup, redis_server, tmp_path_factory):
    if connections["default"].vendor != "postgresql":
        pytest.skip("the servers share the test's PostgreSQL database")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "closecalls.settings",
        "DATABASE_URL": database_url_of_the_tests(),
        "REDIS_URL": redis_server.url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),  # one for both: a form from one posts to the other
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "API_RATE_LIMIT": "5/h",
        "LOGIN_FAILURE_WINDOW": "86400",  # one window for the whole test
    }
    logs = tmp_path_factory.mktemp("servers")
    started = []
    try:
        for name in ("first", "second"):
            started.append(Server(name, "closecalls.wsgi:application", env, logs).start())
        yield started
    finally:
        for server in started:
            server.stop()


@pytest.fixture
def alice(alice, settings):
    """Alice, her password hashed as the servers hash passwords (Django's default hasher)."""
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    alice.set_password("password")
    alice.save()
    return alice


@pytest.fixture
def redis(redis_server, redis_url):
    """The throwaway Redis, running and empty at the start of the test."""
    return redis_server


def get_calls(server, key):
    return requests.get(server.url(CALLS), headers={"Authorization": basic_auth(key)}, timeout=30)


def sign_in(server, password, username="alice"):
    session = requests.Session()
    session.get(server.url(LOGIN), timeout=30)
    data = {
        "username": username,
        "password": password,
        "csrfmiddlewaretoken": session.cookies["csrftoken"],
    }
    return session.post(server.url(LOGIN), data, allow_redirects=False, timeout=30)


def test_two_servers_share_one_api_rate_limit_count(servers, redis, alice_key):
    first, second = servers

    responses = [get_calls(server, alice_key) for server in (first, second) * 3]

    assert [response.status_code for response in responses] == [200] * 5 + [429]
    assert [response.headers["RateLimit"].split(", ")[:2] for response in responses] == [
        ["limit=5", f"remaining={remaining}"] for remaining in (4, 3, 2, 1, 0, 0)
    ]


def test_two_servers_share_one_sign_in_lockout(servers, redis, alice):
    first, second = servers
    for server in (first, second, first, second, first):
        assert "correct username and password" in sign_in(server, "wrong").text

    for server in servers:
        response = sign_in(server, "password")
        assert response.status_code == 200
        assert REFUSED in response.text


def test_without_redis_the_api_is_served_uncounted_and_logged(servers, redis, alice_key):
    assert "RateLimit" in get_calls(servers[0], alice_key).headers

    redis.stop()

    for server in servers:
        response = get_calls(server, alice_key)
        assert response.status_code == 200
        assert response.json()["data"] == []
        assert "RateLimit" not in response.headers
        assert "Rate limit not applied to /api/v1/activity/call/" in server.log.read_text()


def test_without_redis_sign_in_is_refused_until_redis_is_back(servers, redis, alice):
    redis.stop()

    for server in servers:
        response = sign_in(server, "password")
        assert response.status_code == 200
        assert UNAVAILABLE in response.text
        assert "Sign-in refused: the security cache does not answer" in server.log.read_text()

    redis.start()

    assert sign_in(servers[0], "password").status_code == 302
    assert sign_in(servers[1], "password").status_code == 302
