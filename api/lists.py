"""Close's list protocol, the one implementation every list endpoint uses.

Parameters: `_limit` (default 100, at most 1000), `_skip` (default 0), `_fields` (comma-separated
names; `id` always comes back) and `_order_by` (a field, `-` for descending). The answer is
`{"has_more": bool, "data": [...]}`, where `has_more` comes from fetching one row more than
asked for: a list never costs a COUNT.
"""

import re

import orjson
from django.db.models import Subquery
from rest_framework.exceptions import ParseError

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_SKIP = 2**63 - 1  # PostgreSQL's OFFSET is a bigint
_WHOLE_NUMBER = re.compile(r"[0-9]{1,19}")


def requested_fields(request):
    """Return the set of names in `_fields`, or None when it is absent or empty."""
    names = {name.strip() for name in request.query_params.get("_fields", "").split(",")}
    names.discard("")
    return names or None


def _whole_number(request, name, default, maximum):
    value = request.query_params.get(name)
    if value is None:
        return default
    if not _WHOLE_NUMBER.fullmatch(value.strip()) or int(value) > maximum:
        raise ParseError(f"{name} must be a whole number from 0 to {maximum}.")
    return int(value)


def limit_and_skip(request):
    """Return the request's `_limit` and `_skip`; ParseError (400) if either is out of range."""
    return (
        _whole_number(request, "_limit", DEFAULT_LIMIT, MAX_LIMIT),
        _whole_number(request, "_skip", 0, MAX_SKIP),
    )


def ordering(request, orderings, default):
    """Return the order_by() arguments for `_order_by`, ties broken by id in the same direction.

    `orderings` maps the names a client may sort by to a model field, or to a tuple of fields
    (and annotations) sorted on one after the other, all in the same direction.
    """
    value = request.query_params.get("_order_by", "").strip() or default
    descending = value.startswith("-")
    field = orderings.get(value.removeprefix("-"))
    if field is None:
        choices = ", ".join(sorted(orderings))
        raise ParseError(f"_order_by must be one of {choices}, with an optional leading -.")
    sign = "-" if descending else ""
    fields = (field,) if isinstance(field, str) else field
    return [sign + name for name in (*fields, "id")]


def _deferred_join(ordered, skip, count):
    """Return `ordered` narrowed to its rows `skip` to `skip + count`, still one query.

    The OFFSET then walks only the index (an index-only scan for the page's ids) and the full
    rows are read for those ids alone, instead of reading and throwing away `skip` whole rows.
    """
    return ordered.filter(pk__in=Subquery(ordered.values("pk")[skip : skip + count]))


def page(queryset, request, representation, *, orderings, default_order):
    """Return one page of `queryset` in Close's list envelope, objects built by `representation`."""
    limit, skip = limit_and_skip(request)
    order = ordering(request, orderings, default_order)
    plan = representation.plan(request, requested_fields(request))
    ordered = queryset.order_by(*order)
    if skip:
        ordered = _deferred_join(ordered, skip, limit + 1)
    if renders_plain_json(request) and plan.writes_json_in_database(ordered):
        return envelope(plan.json_texts(ordered[: limit + 1]), limit)
    rows = list(plan.rows(ordered)[: limit + 1])
    return {"has_more": len(rows) > limit, "data": plan.build(rows[:limit])}


def envelope(texts, limit):
    """Return Close's envelope around the JSON `texts` of a page's objects, one more than
    `limit` when there are more."""
    data = orjson.Fragment("[" + ",".join(texts[:limit]) + "]")
    return {"has_more": len(texts) > limit, "data": data}


def renders_plain_json(request):
    """Whether the answer is rendered as compact JSON (not the browsable API, not indented):
    then the page's objects may come as JSON text already written (`Plan.json_texts`)."""
    renderer = getattr(request, "accepted_renderer", None)
    return (
        renderer is not None
        and renderer.format == "json"
        and "indent" not in (request.accepted_media_type or "")
    )
