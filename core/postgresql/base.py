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
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        if self.connection is None or self.connection.closed:
            return False
        pgconn = self.connection.pgconn
        if pgconn.status != pq.ConnStatus.OK:
            return False
        poll = select.poll()
        poll.register(pgconn.socket, select.POLLIN)
        return not poll.poll(0)
