"""Django's database cache, made fit to hold security counters when there is no Redis.

Two differences from `django.core.cache.backends.db.DatabaseCache`:

- `incr` (and `decr`) is atomic: Django's reads the value and writes it back, so concurrent
  increments are lost; this one locks the row first (PostgreSQL's row lock, SQLite's database
  lock) and keeps the entry's expiry, where Django's resets it to the default timeout.
- It never evicts a live entry. Django's culls a fraction of the table once it holds more than
  MAX_ENTRIES rows, live or not, so anyone who can make entries could flush a lockout; here
  passing MAX_ENTRIES only deletes the expired rows (CULL_FREQUENCY is forced so high that
  the fraction of live rows culled is zero). MAX_ENTRIES (default 10,000) is then only how large
  the table may grow before expired rows are cleared.

Its table is `core.models.CacheEntry`, created by migration (no `createcachetable` needed).
Values are stored as Django stores them (base64 of a pickle), so `get`/`add`/`delete` are
Django's own.
"""

import base64
import pickle
import sys

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.utils.timezone import now


class CounterDatabaseCache(DatabaseCache):
    def __init__(self, table, params):
        options = {"MAX_ENTRIES": 10_000, **params.get("OPTIONS", {})}
        options["CULL_FREQUENCY"] = sys.maxsize  # cull 1/maxsize of the live rows: none
        super().__init__(table, {**params, "OPTIONS": options})

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table, cache_key = quote_name(self._table), quote_name("cache_key")
        value, expires = quote_name("value"), quote_name("expires")
        with transaction.atomic(using=db), connection.cursor() as cursor:
            # Writing the row first takes its lock: a concurrent incr waits here until this
            # transaction commits, then reads the value this one wrote.
            cursor.execute(
                f"UPDATE {table} SET {value} = {value} WHERE {cache_key} = %s AND {expires} >= %s",
                [key, connection.ops.adapt_datetimefield_value(now())],
            )
            if cursor.rowcount == 0:
                raise ValueError(f"Key '{key}' not found.")
            cursor.execute(f"SELECT {value} FROM {table} WHERE {cache_key} = %s", [key])
            stored = connection.ops.process_clob(cursor.fetchone()[0])
            total = pickle.loads(base64.b64decode(stored.encode())) + delta
            encoded = base64.b64encode(pickle.dumps(total, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {value} = %s WHERE {cache_key} = %s", [encoded, key]
            )
        return total
