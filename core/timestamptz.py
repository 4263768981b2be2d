"""A faster timestamptz loader for psycopg 3 (Django ticket #36960, psycopg issue #1273).

Django loads every timestamptz through a subclass of psycopg's pure-Python loader, because the
C loader cannot be subclassed: about 5 µs per value, most of a call list's parsing time. This
loader hands the parsing to psycopg's C loader and then sets the time zone as Django's does, so
the values are the same. Finding the C loader needs psycopg's private `_get_optimised`
(psycopg is pinned in requirements.txt); without it, Django's own loader stays in place.
"""

from psycopg.types.datetime import TimestamptzLoader


def _optimised_loader(adapters):
    get_optimised = getattr(adapters, "_get_optimised", None)
    if get_optimised is None:
        return None
    optimised = get_optimised(TimestamptzLoader)
    return None if optimised is TimestamptzLoader else optimised


def install(sender, connection, **kwargs):
    """`connection_created` receiver: load the new connection's timestamptz values in C."""
    if connection.vendor != "postgresql":
        return
    adapters = connection.connection.adapters
    optimised = _optimised_loader(adapters)
    if optimised is None:
        return

    class FastTzLoader(TimestamptzLoader):
        # Django's cursors compare this with the connection's time zone and register their own
        # loader when they differ.
        timezone = connection.timezone

        def __init__(self, oid, context=None):
            super().__init__(oid, context)
            self._load = optimised(oid, context).load

        def load(self, data):
            return self._load(data).replace(tzinfo=self.timezone)

    adapters.register_loader("timestamptz", FastTzLoader)
