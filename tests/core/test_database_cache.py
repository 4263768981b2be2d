"""The database cache of the security counters never evicts a live entry and counts in place."""

import pytest
from django.core.cache import caches

from core.database_cache import CounterDatabaseCache
from core.models import CacheEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def store():
    return CounterDatabaseCache("core_cache", {"OPTIONS": {"MAX_ENTRIES": 10}})


def test_live_entries_outlast_any_number_of_new_ones(store):
    store.add("locked-out", 5, timeout=3600)

    for n in range(100):
        store.add(f"made-up-{n}", 1, timeout=3600)

    assert store.get("locked-out") == 5
    assert len(store.get_many([f"made-up-{n}" for n in range(100)])) == 100


def test_expired_entries_are_cleared_once_past_max_entries(store):
    for n in range(11):  # one more than MAX_ENTRIES
        store.add(f"expired-{n}", 1, timeout=0)  # stored already expired

    store.add("live", 1, timeout=3600)

    assert list(CacheEntry.objects.values_list("cache_key", flat=True)) == [":1:live"]


def test_incr_keeps_the_entry_expiry(store):
    store.add("attempts", 0, timeout=3600)
    expires = CacheEntry.objects.get().expires

    assert store.incr("attempts") == 1
    assert store.decr("attempts") == 0
    assert CacheEntry.objects.get().expires == expires


def test_incr_of_a_missing_or_expired_entry_is_a_value_error(store):
    store.add("expired", 1, timeout=0)

    for key in ("missing", "expired"):
        with pytest.raises(ValueError):
            store.incr(key)


def test_the_security_cache_is_this_backend_on_the_migrated_table():
    security = caches["security"]
    security.add("created-by-migrate", 1)

    assert isinstance(security, CounterDatabaseCache)
    assert CacheEntry.objects.filter(cache_key__endswith="created-by-migrate").exists()
