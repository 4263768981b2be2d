"""Pages by keyset: newest first, "older" and "newer" links that carry where the page ends.

A page is the rows just past a cursor, the (time, id) of the row it starts after, in the order
(time descending, id descending); the id breaks ties between rows of the same time. Reading a
page is one indexed range scan of `size + 1` rows at any depth: no COUNT, no OFFSET. Rows added
or deleted meanwhile never make a page repeat or skip a row that stays.

A cursor is written `<microseconds since 1970 UTC>.<id>` in a link's query string (`before` for
the older page, `after` for the newer one); one that does not read as such is no cursor.
"""

import datetime
import re
from dataclasses import dataclass

from django.db.models import Q

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
CURSOR = re.compile(r"^(-?\d{1,18})\.([A-Za-z0-9_]{1,64})$")


@dataclass(frozen=True)
class Cursor:
    at: datetime.datetime
    id: str

    def __str__(self):
        micros = (self.at - EPOCH) // datetime.timedelta(microseconds=1)
        return f"{micros}.{self.id}"

    @classmethod
    def parse(cls, text):
        """Return the cursor `text` writes, or None."""
        match = CURSOR.match(text or "")
        if match is None:
            return None
        try:
            at = EPOCH + datetime.timedelta(microseconds=int(match[1]))
        except OverflowError:
            return None
        return cls(at, match[2])

    @classmethod
    def of(cls, row, field):
        return cls(getattr(row, field), row.pk)


@dataclass
class KeysetPage:
    object_list: list
    older: Cursor = None  # where the older page starts after; None: this is the oldest
    newer: Cursor = None  # where the newer page starts after; None: this is the newest

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def has_other_pages(self):
        return self.older is not None or self.newer is not None


def _past(cursor, field, direction):
    """Rows after `cursor` going `direction` ("lt": older, "gt": newer). The first condition
    alone is a range of the (time, id) index; the second drops the cursor's own time's rows
    on the wrong side of its id."""
    edge = "lte" if direction == "lt" else "gte"
    return Q(**{f"{field}__{edge}": cursor.at}) & (
        Q(**{f"{field}__{direction}": cursor.at}) | Q(**{f"id__{direction}": cursor.id})
    )


def keyset_page(queryset, *, size, before=None, after=None, field="activity_at"):
    """Return the `size` rows of `queryset` older than the cursor `before`, newer than the
    cursor `after`, or else the newest; newest first. `queryset` must be indexed on
    (`field` descending, id descending) after its filters, for the page to be a range scan."""
    if after is not None:
        rows = list(queryset.filter(_past(after, field, "gt")).order_by(field, "id")[: size + 1])
        if len(rows) > size:
            rows = rows[:size][::-1]
            older, newer = Cursor.of(rows[-1], field), Cursor.of(rows[0], field)
            return KeysetPage(rows, older=older, newer=newer)
        before = None  # back at the newest: the first page, full, as it is now
    newest_first = queryset.order_by(f"-{field}", "-id")
    if before is not None:
        newest_first = newest_first.filter(_past(before, field, "lt"))
    rows = list(newest_first[: size + 1])
    page = rows[:size]
    newer = None
    if before is not None:  # past the oldest row, the way back starts at the cursor itself
        newer = Cursor.of(page[0], field) if page else before
    return KeysetPage(
        page, older=Cursor.of(page[-1], field) if len(rows) > size else None, newer=newer
    )
