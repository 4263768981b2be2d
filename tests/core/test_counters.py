"""Attempts counted in windows, in each store the app can be configured with: every attempt is
counted exactly once however many arrive together, and a store that does not answer says so."""

import threading

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.db import connection

from bench.cluster import free_port
from core import counters
from core.database_cache import CounterDatabaseCache


@pytest.fixture(
    params=[
        "memory",
        pytest.param("database", marks=pytest.mark.django_db(transaction=True)),
        pytest.param("redis", marks=pytest.mark.redis),
    ]
)
def store(request):
    """Each cache the counters can live in (closecalls/settings.py), empty."""
    if request.param == "memory":
        store = LocMemCache("counters", {})
    elif request.param == "database":
        store = CounterDatabaseCache("core_cache", {})
    else:
        store = RedisCache(request.getfixturevalue("redis_url"), {})
    store.clear()
    return store


def test_concurrent_attempts_are_each_counted_exactly_once(store):
    if isinstance(store, CounterDatabaseCache) and connection.vendor == "sqlite":
        pytest.skip("SQLite's test database locks tables, not rows: PostgreSQL is for servers")
    attempts = 30
    start = threading.Barrier(attempts)
    totals = []

    def attempt():
        start.wait()
        try:
            totals.append(counters.count(store, "login", window=3600).count)
        finally:
            connection.close()  # this thread's own database connection, if it opened one

    threads = [threading.Thread(target=attempt) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(totals) == list(range(1, attempts + 1))


def test_each_name_has_its_own_count(store):
    counters.count(store, "alice", window=3600)

    assert counters.count(store, "alice", window=3600).count == 2
    assert counters.count(store, "bob", window=3600).count == 1


def test_a_tally_says_when_its_window_ends(store):
    tally = counters.count(store, "alice", window=3600)

    assert 1 <= tally.reset <= 3600


def test_count_if_open_counts_only_in_a_window_already_opened(store):
    assert counters.count_if_open(store, "alice", window=3600) is None

    counters.count(store, "alice", window=3600)

    assert counters.count_if_open(store, "alice", window=3600).count == 2


def test_an_attempt_taken_back_is_no_longer_counted(store):
    counters.count(store, "alice", window=3600)
    tally = counters.count(store, "alice", window=3600)

    counters.uncount(store, tally)

    assert counters.count(store, "alice", window=3600).count == 2


def test_a_forgotten_window_counts_from_one_again(store):
    tally = counters.count(store, "alice", window=3600)

    counters.forget(store, tally)

    assert counters.count(store, "alice", window=3600).count == 1


def test_a_redis_that_does_not_answer_is_reported_as_such():
    nobody_listens = RedisCache(f"redis://127.0.0.1:{free_port()}/0", {})

    with pytest.raises(counters.StoreUnavailable):
        counters.count(nobody_listens, "alice", window=3600)
