"""Django's PostgreSQL backend, its connection health check done without a statement.

With `CONN_HEALTH_CHECKS`, Django checks a kept connection before the first query of each
request, so that a connection PostgreSQL ended (a restart, `idle_session_timeout`, an
administrator) is opened again instead of failing that request. Django's check is a
`SELECT 1`: a round trip and a statement on every request, more than the API key's lookup
costs the database, and never counted among a request's statements (it bypasses the cursor).

A connection PostgreSQL ends is told so: the server sends a last error message and closes the
socket, which then has something to read. An idle connection otherwise has nothing to read
(closecalls does not LISTEN), so the check here asks the socket, without waiting: anything to
read, or a connection psycopg already knows is broken, and Django opens a new one. A peer
gone silently (a cut network) is caught by neither check before the operating system gives up
on it.

Prepared statements (`prepared_cursor()`): Django's cursors bind parameters in the client,
quoting each value into the SQL text, which PostgreSQL then parses and plans on every
execution. The hot paths' few statements, whose SQL is written once per process and whose
values are all parameters (the API key's lookup, the API lists' page queries), go through a
cursor the server binds instead: psycopg prepares each statement on a connection the first
time it runs there, and later executions send only its name and the values. Any other
statement stays on Django's cursor and is never prepared. A statement prepared before a
schema change is planned again by PostgreSQL, and prepared again when a column it reads
changed type (`PreparedCursor`); psycopg forgets the connection's statements after a
rollback or a DROP or ALTER it runs; a new connection prepares them again. Behind a
pooler that cannot keep prepared statements per client (PgBouncer in transaction mode before
1.21), `prepare_threshold=None` in the database's options turns preparing off: the
statements are still bound by the server.
"""

import select

from django.db.backends.postgresql import base, operations
from django.db.backends.postgresql.psycopg_any import register_tzloader
from django.utils.asyncio import async_unsafe
from psycopg import errors, pq
from psycopg.postgres import types

# psycopg prepares a statement once it has run this many times on a connection (its
# `prepare_threshold`); `PreparedCursor` asks for its own at once, and no other cursor binds
# on the server: in effect only the statements that ask are prepared.
ONLY_WHEN_ASKED = 2**31 - 1


class PreparedCursor(base.ServerBindingCursor):
    """A psycopg cursor whose statements the server binds and, unless `prepares` is False,
    keeps prepared."""

    prepares = True

    def execute(self, query, params=None, *, prepare=None, binary=None):
        prepare = self.prepares if prepare is None else prepare
        try:
            return super().execute(query, params, prepare=prepare, binary=binary)
        except errors.FeatureNotSupported:
            # "cached plan must not change result type": a column the statement reads changed
            # type since it was prepared (a migration). Outside a transaction, the
            # connection's statements are forgotten and this one is prepared again; in one,
            # the error stands and the transaction's rollback forgets them (psycopg does).
            if self.connection.info.transaction_status != pq.TransactionStatus.IDLE:
                raise
            # psycopg forgets its own record of them when it sees DEALLOCATE ALL succeed.
            super().execute("DEALLOCATE ALL", prepare=False)
            return super().execute(query, params, prepare=prepare, binary=binary)


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor, sql, params):
        """The statement with its values, as Django's logs and `django_assert_num_queries` show
        every statement, a prepared one too (whose text psycopg does not keep)."""
        if isinstance(cursor, PreparedCursor):
            return self.compose_sql(sql, params)
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def get_connection_params(self):
        params = super().get_connection_params()
        if "prepare_threshold" not in self.settings_dict["OPTIONS"]:
            params["prepare_threshold"] = ONLY_WHEN_ASKED
        return params

    @async_unsafe
    def prepared_cursor(self, prepare=True):
        """Django's cursor (its statements counted and logged, its errors Django's) over a
        `PreparedCursor`, for a statement whose SQL is the same on every execution and whose
        values are all parameters. With `prepare=False` the server binds the values but plans
        each execution for them, as it does Django's statements."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            cursor = PreparedCursor(self.connection)
            cursor.prepares = prepare
            # As Django's `create_cursor`: dates in the connection's time zone.
            loader = self.connection.adapters.get_loader(types["timestamptz"].oid, pq.Format.TEXT)
            if self.timezone != loader.timezone:
                register_tzloader(self.timezone, cursor)
            return self._prepare_cursor(cursor)

    def is_usable(self):
        if self.connection is None or self.connection.closed:
            return False
        pgconn = self.connection.pgconn
        if pgconn.status != pq.ConnStatus.OK:
            return False
        poll = select.poll()
        poll.register(pgconn.socket, select.POLLIN)
        return not poll.poll(0)
