"""Close's rate limit per API key: RateLimit headers, the 429, and clients that wait and retry."""

import base64
import re
import secrets
import subprocess
import sys

import pytest
from closeio_api import API
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from closecalls.throttling import parse_rate
from tests.conftest import api_client

CALLS = "/api/v1/activity/call/"
RATE_LIMIT = re.compile(r"^limit=(\d+), remaining=(\d+), reset=(\d+)$")


def rate_limit(response):
    limit, remaining, reset = RATE_LIMIT.match(response["RateLimit"]).groups()
    return int(limit), int(remaining), int(reset)


@pytest.fixture
def limited(settings):
    settings.API_RATE_LIMIT = "3/h"  # one window for the whole test


@pytest.mark.django_db
def test_successful_responses_count_down_the_remaining_requests(alice_api, limited):
    first, second = alice_api.get(CALLS), alice_api.get(CALLS)

    assert first.status_code == second.status_code == 200
    assert rate_limit(first)[:2] == (3, 2)
    assert rate_limit(second)[:2] == (3, 1)
    assert 1 <= rate_limit(second)[2] <= 3600


@pytest.mark.django_db
def test_the_request_after_the_limit_gets_closes_429(alice_api, limited):
    for _ in range(3):
        assert alice_api.get(CALLS).status_code == 200

    response = alice_api.get(CALLS)

    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    limit, remaining, reset = rate_limit(response)
    assert (limit, remaining) == (3, 0)
    assert response["Retry-After"] == str(reset)
    assert response.json() == {
        "error": {
            "message": "API call count exceeded for this 3600 second window",
            "rate_reset": reset,
            "rate_limit": 3,
            "rate_window": 3600,
        },
        "rate_reset": reset,
    }


@pytest.mark.django_db
def test_each_api_key_has_its_own_count(alice_api, bob_api, limited):
    for _ in range(4):
        alice_api.get(CALLS)

    assert alice_api.get(CALLS).status_code == 429
    assert bob_api.get(CALLS).status_code == 200


@pytest.mark.django_db
def test_refused_requests_never_reach_the_view(alice_api, limited, django_assert_num_queries):
    for _ in range(3):
        alice_api.get(CALLS)

    with django_assert_num_queries(0):
        assert alice_api.post(CALLS, {}, content_type="application/json").status_code == 429


@pytest.mark.django_db
def test_requests_without_an_api_key_are_not_counted(client, limited):
    for _ in range(5):
        assert client.get(CALLS).status_code == 401


def header(credentials, separator=" ", scheme="Basic"):
    return f"{scheme}{separator}{base64.b64encode(credentials.encode()).decode()}"


# How a request's Authorization header is written, how the API answers it, and whether the rate
# limit counts it: whatever the API serves under a key, the limit counted.
HEADER_FORMS = {
    "one space": (lambda key: header(f"{key}:"), 200, True),
    "tab": (lambda key: header(f"{key}:", "\t"), 200, True),
    "several spaces": (lambda key: header(f"{key}:", "   "), 200, True),
    "tab and spaces around": (lambda key: " " + header(f"{key}:", " \t ") + " ", 200, True),
    "lowercase scheme": (lambda key: header(f"{key}:", scheme="basic"), 200, True),
    "with a password": (lambda key: header(f"{key}:password"), 200, True),
    "padding missing": (lambda key: header(f"{key}:x").rstrip("="), 401, False),
    "non-ASCII in the base64": (lambda key: header(f"{key}:") + "\u00e9", 401, False),
    "empty username": (lambda key: header(f":{key}"), 401, False),
    "unknown non-ASCII key": (lambda key: header("clé:"), 401, True),
}


@pytest.mark.django_db
@pytest.mark.parametrize("form", HEADER_FORMS)
def test_every_header_form_the_api_serves_is_counted(alice_key, limited, form):
    build, status, counted = HEADER_FORMS[form]

    response = Client(HTTP_AUTHORIZATION=build(alice_key)).get(CALLS)

    assert response.status_code == status
    assert ("RateLimit" in response) is counted


@pytest.mark.django_db
def test_made_up_keys_share_one_count_per_address(limited):
    statuses = [
        api_client(f"api_{secrets.token_urlsafe(8)}").get(CALLS, REMOTE_ADDR="198.51.100.9")
        for _ in range(5)
    ]

    assert [response.status_code for response in statuses] == [401, 401, 401, 429, 429]
    assert api_client("api_another").get(CALLS, REMOTE_ADDR="203.0.113.1").status_code == 401


@pytest.mark.django_db
def test_made_up_keys_never_hold_back_a_real_key_from_the_same_address(alice_api, limited):
    for _ in range(4):
        api_client(f"api_{secrets.token_urlsafe(8)}").get(CALLS, REMOTE_ADDR="198.51.100.9")

    response = alice_api.get(CALLS, REMOTE_ADDR="198.51.100.9")

    assert response.status_code == 200
    assert rate_limit(response)[:2] == (3, 2)


@pytest.mark.django_db
def test_behind_a_proxy_made_up_keys_are_counted_per_client(limited, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(3):
        api_client("api_made-up").get(CALLS, HTTP_X_FORWARDED_FOR="198.51.100.9", **proxy)

    response = api_client("api_made-up").get(CALLS, HTTP_X_FORWARDED_FOR="203.0.113.1", **proxy)

    assert response.status_code == 401
    assert rate_limit(response)[:2] == (3, 2)


@pytest.mark.parametrize(
    ("rate", "parsed"),
    [("40/s", (40, 1)), ("600/m", (600, 60)), ("1000/h", (1000, 3600)), ("100/10s", (100, 10)),
     ("", None)],
)  # fmt: skip
def test_the_rate_setting_reads_requests_per_window(rate, parsed):
    assert parse_rate(rate) == parsed


@pytest.mark.parametrize("rate", ["40", "0/s", "40/d", "x/s", "10/0s"])
def test_a_bad_rate_setting_is_a_configuration_error(rate):
    with pytest.raises(ImproperlyConfigured):
        parse_rate(rate)


@pytest.mark.django_db(transaction=True)
def test_the_close_client_waits_out_the_limit_and_succeeds(live_server, alice_key, settings):
    settings.API_RATE_LIMIT = "2/2s"
    close = API(f"{live_server.url}/api/v1/", api_key=alice_key, max_retries=5)
    statuses = []
    close.session.hooks["response"].append(
        lambda response, **_: statuses.append(response.status_code)
    )

    # Five requests fall in at most two 2-second windows, where only four are allowed.
    pages = [close.get("activity/call") for _ in range(5)]

    assert [page["data"] for page in pages] == [[]] * 5
    assert 429 in statuses
    assert statuses.count(200) == 5


def test_redis_url_puts_the_counts_in_redis():
    settings_of = (
        "import django; django.setup(); from django.conf import settings; "
        "print(*(settings.CACHES[a][k] for a in ('default', 'security') "
        "for k in ('BACKEND', 'LOCATION')))"
    )
    env = {"DJANGO_SETTINGS_MODULE": "closecalls.settings", "REDIS_URL": "redis://cache:6379/1"}

    result = subprocess.run(
        [sys.executable, "-c", settings_of], env=env, capture_output=True, text=True, check=True
    )

    assert (
        result.stdout.split()
        == [
            "django.core.cache.backends.redis.RedisCache",
            "redis://cache:6379/1",
        ]
        * 2
    )
