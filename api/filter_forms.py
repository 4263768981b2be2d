"""A FilterSet's form class, built once per process.

django-filter builds a FilterSet's form class on every request (`get_form_class`), a field
per filter, and Django then copies every field of the form for the request: 22 fields for the
call filters, 24 for the search page's. The fields never depend on the request (a FilterSet
that gives a field a per-request queryset sets it on the form instance), so the class is
built once per set of fields: all of the FilterSet's, or only those of the filters a request
gives, which are all that can fail or filter (api/page_queries.py).
"""

import copy

from api.shapes import per_shape


@per_shape
def form_class(filterset_class, names=None):
    """The form of `filterset_class` with the fields of the filters `names` (a tuple), or of
    all its filters when None, as django-filter's `get_form_class` builds it."""
    filters = filterset_class.base_filters
    # From copies, as a FilterSet's own are: a filter builds its field once and keeps it, and
    # the class's filters are shared with its subclasses, which may give theirs per-request
    # querysets on their copies.
    fields = {
        name: copy.deepcopy(filters[name]).field for name in (filters if names is None else names)
    }
    return type(f"{filterset_class.__name__}Form", (filterset_class._meta.form,), fields)
