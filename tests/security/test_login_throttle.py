"""Sign-in is throttled per username and address, and per username: guessing soon stops working,
whatever the spelling of the name, the number of parallel guesses or the cache's other traffic."""

import re
import secrets
import threading

import pytest
import requests
from django.contrib.auth.signals import user_login_failed
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tests.conftest import api_client

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
ADMIN_LOGIN = reverse("admin:login")
REFUSED = "Too many failed sign-ins for this username. Wait"
WRONG = "correct username and password"
PROXY = "10.0.0.2"


@pytest.fixture(autouse=True)
def one_window(settings):
    """A day's window: counts of a test never straddle two windows."""
    settings.LOGIN_FAILURE_WINDOW = 24 * 3600


def sign_in(client, password, username="alice", address="203.0.113.7", url=LOGIN, **headers):
    data = {"username": username, "password": password}
    return client.post(url, data, REMOTE_ADDR=address, **headers)


def signed_in(response):
    return response.status_code == 302 and "_auth_user_id" in response.client.session


@pytest.fixture
def guessed(client, alice, settings):
    """Alice's password guessed wrong as many times as allowed, from one address."""
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assertContains(sign_in(client, "wrong"), WRONG)


def test_after_the_limit_even_the_right_password_is_refused(client, guessed):
    response = sign_in(client, "password")

    assertContains(response, REFUSED)
    assert "_auth_user_id" not in client.session


def test_the_refusal_says_how_long_until_the_window_ends(client, guessed):
    response = sign_in(client, "password")

    minutes = re.search(r"Wait (\d+) minutes? and try again\.", response.content.decode())
    assert 1 <= int(minutes[1]) <= 24 * 60


def test_the_admin_sign_in_shares_the_count(client, guessed, acme_admin):
    response = sign_in(client, "password", url=ADMIN_LOGIN)

    assertContains(response, REFUSED)


def test_other_usernames_and_addresses_still_sign_in(client, guessed, bob):
    assert signed_in(sign_in(client, "password", username="bob"))
    client.logout()
    assert signed_in(sign_in(client, "password", address="198.51.100.2"))


def test_the_username_is_counted_whatever_its_case(client, guessed):
    assertContains(sign_in(client, "password", username="ALICE "), REFUSED)


# Spellings the throttle must count as "alice": Django signs the full-width and the bold one in as
# "alice" (NFKC), and the others differ from it only in case once normalised.
LOOK_ALIKES = ["ａｌｉｃｅ", "𝐚𝐥𝐢𝐜𝐞", "ＡＬＩＣＥ", "𝐀lice"]


@pytest.mark.parametrize("url", [LOGIN, ADMIN_LOGIN])
@pytest.mark.parametrize("look_alike", LOOK_ALIKES)
def test_look_alikes_of_a_locked_username_are_refused(client, guessed, look_alike, url):
    response = sign_in(client, "password", username=look_alike, url=url)

    assertContains(response, REFUSED)
    assert "_auth_user_id" not in client.session


def test_guesses_under_look_alikes_count_for_the_one_username(client, alice, settings):
    for look_alike in LOOK_ALIKES + ["alice"]:
        assertContains(sign_in(client, "wrong", username=look_alike), WRONG)

    assertContains(sign_in(client, "password"), REFUSED)


def test_a_successful_sign_in_forgets_earlier_failures(client, alice, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        sign_in(client, "wrong")
    assert signed_in(sign_in(client, "password"))
    client.logout()

    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        sign_in(client, "wrong")
    assert signed_in(sign_in(client, "password"))


def test_a_flood_of_made_up_api_keys_does_not_lift_a_lockout(client, guessed):
    """The counters live where nothing else's traffic can push them out (the old bug: 400
    requests with random keys filled the cache and evicted Alice's counter)."""
    for _ in range(400):
        api_client(f"api_{secrets.token_urlsafe(16)}").get("/api/v1/me/")

    assertContains(sign_in(client, "password"), REFUSED)


def test_behind_a_proxy_each_client_has_its_own_count(client, alice, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.LOGIN_FAILURE_LIMIT + 3):
        sign_in(client, "wrong", address=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.9")

    response = sign_in(client, "password", address=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")

    assert signed_in(response)


def test_addresses_a_client_writes_into_x_forwarded_for_earn_no_fresh_guesses(
    client, alice, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        forwarded = f"192.0.2.{n}, 198.51.100.9"  # the proxy appended the last address
        sign_in(client, "wrong", address=PROXY, HTTP_X_FORWARDED_FOR=forwarded)

    response = sign_in(client, "password", address=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.9")

    assertContains(response, REFUSED)


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(client, guessed):
    response = sign_in(client, "password", HTTP_X_FORWARDED_FOR="198.51.100.2")

    assertContains(response, REFUSED)


@pytest.fixture
def username_limit(settings):
    settings.LOGIN_USERNAME_FAILURE_LIMIT = 8
    return 8


def test_guesses_spread_over_addresses_are_bounded_per_username(client, alice, username_limit):
    for n in range(username_limit):
        assertContains(sign_in(client, "wrong", address=f"198.51.100.{n}"), WRONG)

    response = sign_in(client, "password", address="203.0.113.200")

    assertContains(response, REFUSED)


def test_one_address_cannot_lock_a_username_out_for_everyone(client, alice, username_limit):
    for _ in range(username_limit * 3):
        sign_in(client, "wrong", address="198.51.100.9")

    assert signed_in(sign_in(client, "password", address="203.0.113.7"))


def test_sign_ins_that_succeed_do_not_count_towards_the_username_limit(
    client, alice, username_limit
):
    for n in range(username_limit + 2):
        assert signed_in(sign_in(client, "password", address=f"198.51.100.{n}"))
        client.logout()

    assertContains(sign_in(client, "wrong"), WRONG)


@pytest.fixture
def password_checks():
    """Every failed password check Django makes, counted from its own signal."""
    failures = []
    lock = threading.Lock()

    def count(**kwargs):
        with lock:
            failures.append(kwargs["credentials"]["username"])

    user_login_failed.connect(count, weak=False)
    yield failures
    user_login_failed.disconnect(count)


@pytest.fixture(params=["database", pytest.param("redis", marks=pytest.mark.redis)])
def security_store(request, settings):
    """The security cache as configured without Redis (a table of PostgreSQL) and with it."""
    if request.param == "redis":
        redis = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": request.getfixturevalue("redis_url"),
        }
        settings.CACHES = {**settings.CACHES, "security": redis}
    return request.param


@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_passwords_reach_the_password_check_at_most_the_limit(
    live_server, alice, settings, security_store, password_checks
):
    # Django's real hasher: each check takes long enough for all guesses to be in flight at once.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    alice.set_password("password")
    alice.save()
    guesses = 12
    start = threading.Barrier(guesses)
    pages = []

    def guess():
        session = requests.Session()
        session.get(f"{live_server.url}{LOGIN}", timeout=60)
        token = session.cookies["csrftoken"]
        start.wait()
        data = {"username": "alice", "password": "wrong", "csrfmiddlewaretoken": token}
        pages.append(session.post(f"{live_server.url}{LOGIN}", data, timeout=60).text)

    threads = [threading.Thread(target=guess) for _ in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(password_checks) == settings.LOGIN_FAILURE_LIMIT
    assert sum(WRONG in page for page in pages) == settings.LOGIN_FAILURE_LIMIT
    assert sum(REFUSED in page for page in pages) == guesses - settings.LOGIN_FAILURE_LIMIT


def test_a_form_without_a_password_is_not_an_attempt(client, alice, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT + 1):
        assertNotContains(sign_in(client, ""), REFUSED)

    assert signed_in(sign_in(client, "password"))
