"""Work done once per shape of request and remembered by the process.

The API's hot paths compile what depends only on a request's shape (the keys `_fields` asks
for, which filters are given, the order), never on its values: the JSON pieces of an object
(api/representations.py), a page's SQL (api/page_queries.py), a form of the given filters
(api/filter_forms.py). Clients use few shapes, so each is kept in one LRU of `SHAPES` per
function: a client sending ever new shapes costs the compiling again, never memory.
"""

from functools import lru_cache

# Shapes kept per process and per function: the `_fields`, filter sets and orders clients use.
SHAPES = 256


def per_shape(function):
    """`function`, its answers remembered for the last `SHAPES` distinct arguments (which
    must be hashable and say only the shape, never a request's values)."""
    return lru_cache(maxsize=SHAPES)(function)
