"""Close's cursor paging, for the lists read as a stream: the event log.

Newest first by a date field, ties broken by id. Parameters: `_limit` (default 50, and larger
values are capped at 50, as Close does) and `_cursor`, an opaque token from the previous
page's `cursor_next` (older objects) or `cursor_previous` (newer ones); there is no `_skip`.
The answer is `{"data": [...], "cursor_next": "…" or null, "cursor_previous": "…" or null}`.

A cursor marks a position, the date and id of the object a page ended (or began) with, rather
than an offset: objects added meanwhile are newer and never shift the older pages, so paging
on through `cursor_next` loses none and repeats none. `cursor_next` is null on the last page;
`cursor_previous` is given on every page that has objects, so that a reader can come back later
for what is newer. A cursor is signed, and tied to the filters its page was read with, but for
the date filters (Close lets a reader narrow those as it pages): sent with other filters, or
altered, it is a 400.
"""

import datetime
import re

from django.core import signing
from django.db.models import F, Q
from rest_framework.exceptions import ParseError

from api.lists import requested_fields

DEFAULT_LIMIT = MAX_LIMIT = 50
_SALT = "api.cursors"
_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")
NEXT, PREVIOUS = "next", "previous"


def _limit(request):
    value = request.query_params.get("_limit")
    if value is None:
        return DEFAULT_LIMIT
    if not _WHOLE_NUMBER.fullmatch(value.strip()) or int(value) < 1:
        raise ParseError(f"_limit must be a whole number from 1 (at most {MAX_LIMIT} are sent).")
    return min(int(value), MAX_LIMIT)


def _token(direction, date, pk, bound):
    return signing.dumps(
        {"w": direction, "d": date.isoformat(), "i": pk, "f": bound}, salt=_SALT, compress=True
    )


def _position(token, bound):
    """Return (direction, date, pk) of a cursor made for the filters `bound`."""
    try:
        position = signing.loads(token, salt=_SALT)
        direction, date, pk = position["w"], position["d"], position["i"]
        date = datetime.datetime.fromisoformat(date)
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise ParseError("_cursor is not a cursor this list gave.") from None
    if position.get("f") != bound:
        made_with = " ".join(f"{name}={value}" for name, value in sorted(position["f"].items()))
        raise ParseError(
            "_cursor was given by a page read with other filters: send the same ones with it "
            f"({made_with or 'none'}, dates aside)."
        )
    return direction, date, pk


def cursor_page(queryset, request, representation, *, date_field, bound):
    """Return one page of `queryset` in Close's cursor envelope, newest first by `date_field`.

    `bound` is {filter name: value} of the filters the request was given, dates aside: its
    cursors are valid only with those.
    """
    limit = _limit(request)
    plan = representation.plan(request, requested_fields(request))
    token = request.query_params.get("_cursor", "").strip()
    direction, date, pk = _position(token, bound) if token else (NEXT, None, None)
    rows = plan.rows(queryset).annotate(_cursor_date=F(date_field))
    if direction == NEXT:
        if date is not None:
            older = Q(**{f"{date_field}__lt": date}) | Q(**{date_field: date, "pk__lt": pk})
            rows = rows.filter(**{f"{date_field}__lte": date}).filter(older)
        rows = list(rows.order_by(f"-{date_field}", "-pk")[: limit + 1])
        more_older, rows = len(rows) > limit, rows[:limit]
    else:
        newer = Q(**{f"{date_field}__gt": date}) | Q(**{date_field: date, "pk__gt": pk})
        rows = rows.filter(**{f"{date_field}__gte": date}).filter(newer)
        rows = list(reversed(rows.order_by(date_field, "pk")[:limit]))
        more_older = True  # at least the object the cursor was made from
    if rows:
        first, last = rows[0], rows[-1]
        cursor_next = _token(NEXT, last["_cursor_date"], last["id"], bound) if more_older else None
        cursor_previous = _token(PREVIOUS, first["_cursor_date"], first["id"], bound)
    else:
        cursor_next = None
        cursor_previous = _token(PREVIOUS, date, pk, bound) if date is not None else None
    return {
        "data": plan.build(rows),
        "cursor_next": cursor_next,
        "cursor_previous": cursor_previous,
    }
