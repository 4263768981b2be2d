"""Close's lead `query`: the subset that ETL connectors and Close's own scripts send.

`parse(text)` reads the `query` parameter of `GET /api/v1/lead/` into a `LeadQuery`, which
`LeadQuery.filter(leads)` turns into a queryset filter and whose `order` names the sort. Terms
are separated by spaces, and every term must hold::

    query      := term ( " "+ term )*
    term       := comparison | "sort:" sort | "has:calls" | '"' phrase '"' | word
    comparison := field " "* op " "* ( '"' moment '"' | moment )
    field      := "date_updated" | "date_created"
    op         := ">=" | ">" | "<=" | "<"
    moment     := YYYY-MM-DD [ "T" hh:mm [ ":" ss [ "." fraction ] ] [ offset ] ]
    offset     := "Z" | ( "+" | "-" | " " ) hh [ ":" ] mm
    sort       := [ "-" ] ( "date_updated" | "updated" | "date_created" | "created" )
    word       := any characters but spaces and " : < > = ( )

A moment without an offset is UTC, and a date alone is its midnight. An offset after a space
(`...09.151000 00:00`) is a `+` that URL-decoding turned into a space: some connectors do not
escape it. Words and phrases match a lead's name, or a contact's name, email or phone, as the
leads page's search does; the word `and` is the default and skipped, and a run of words made
only of phone characters (`+1 650 555 1234`) is one phone number. Anything else (another
field, operator or keyword, `or`, `not`, parentheses, an unclosed quote) is a `QueryError`
naming the term: never a silently wider list.

`parse_search_body(body)` reads the JSON body that Airbyte's Close source (0.6) sends with its
GET: Close's Advanced Filtering tree with a `sort` and a `moment_range` on `date_updated`.
"""

import datetime
import re
from dataclasses import dataclass

import orjson
from django.db.models import Q

from api.dates import parse_close_datetime

FIELDS = ("date_updated", "date_created")
LOOKUPS = {">=": "gte", ">": "gt", "<=": "lte", "<": "lt"}
SORTS = {
    "date_updated": "date_updated",
    "updated": "date_updated",
    "date_created": "date_created",
    "created": "date_created",
}
MAX_TERMS = 20

_TIME = r"\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?"
_MOMENT = re.compile(
    rf"(?P<date>\d{{4}}-\d{{2}}-\d{{2}})"
    rf"(?:T(?P<time>{_TIME})(?P<offset>Z|[+ -]\d{{2}}:?\d{{2}})?)?"
)
_SYNTAX = '"<>=:()'
_TERM = re.compile(
    rf"""
    (?P<term>
    (?P<comparison>
        (?P<field>[^\s{_SYNTAX}]+) \s* (?P<op>[<>=!]+) \s*
        (?P<value>"[^"]*" | \d{{4}}-\d{{2}}-\d{{2}}T{_TIME}\ \d{{2}}:?\d{{2}}(?=\s|$) | \S*)
    )
    | (?P<keyword>(?P<key>[^\s{_SYNTAX}]+) : (?P<argument>\S*))
    | "(?P<phrase>[^"]*)"
    | (?P<unclosed>"[^"]*$)
    | (?P<word>\S+)
    )
    (?P<glued>\S*) \s*
    """,
    re.VERBOSE,
)
_PHONE_WORD = re.compile(r"\+?\d[\d.-]*")


class QueryError(ValueError):
    """A term of the query that closecalls does not support; the message names it."""


@dataclass(frozen=True)
class Comparison:
    field: str
    lookup: str
    moment: datetime.datetime

    def q(self):
        return Q(**{f"{self.field}__{self.lookup}": self.moment})


@dataclass(frozen=True)
class LeadQuery:
    """What a query asks for: comparisons, searched words, `has:calls`, and an order."""

    comparisons: tuple = ()
    searches: tuple = ()
    has_calls: bool = False
    order: str | None = None

    def filter(self, leads):
        """Return `leads` narrowed to those the query matches (all its terms)."""
        for comparison in self.comparisons:
            leads = leads.filter(comparison.q())
        if self.has_calls:
            leads = leads.filter(calls_count__gt=0)
        for text in self.searches:
            leads = leads.search(text)
        return leads

    def combined(self, other):
        """Return the query asking for all that this one and `other` ask; this order first."""
        return LeadQuery(
            self.comparisons + other.comparisons,
            self.searches + other.searches,
            self.has_calls or other.has_calls,
            self.order or other.order,
        )


def parse(text):
    """Return the `LeadQuery` of the query `text`; raise `QueryError` naming a bad term."""
    comparisons, searches, has_calls, order = [], [], False, None
    text = (text or "").strip()
    position, terms, phone_run = 0, 0, False
    while position < len(text):
        match = _TERM.match(text, position)
        term, position = match["term"], match.end()
        if match["glued"]:  # terms are separated by spaces
            raise QueryError(_unsupported(term + match["glued"]))
        terms += 1
        if terms > MAX_TERMS:
            raise QueryError(f"A lead query holds at most {MAX_TERMS} terms.")
        phone_word = False
        if match["comparison"]:
            comparisons.append(_comparison(match, term))
        elif match["keyword"]:
            key, argument = match["key"].lower(), match["argument"]
            if key == "sort" and order is not None:
                raise QueryError(f"`{term}`: a lead query takes one sort.")
            if key == "sort":
                order = _order(argument, term)
            elif key == "has" and argument.lower() == "calls":
                has_calls = True
            else:
                raise QueryError(_unsupported(term))
        elif match["unclosed"]:
            raise QueryError(f"`{term}`: the quote is never closed.")
        elif match["phrase"] is not None:
            if match["phrase"].strip():
                searches.append(match["phrase"].strip())
        elif _word(term):
            phone_word = bool(_PHONE_WORD.fullmatch(term))
            if phone_word and phone_run:
                searches[-1] = f"{searches[-1]} {term}"
            else:
                searches.append(term)
        phone_run = phone_word
    return LeadQuery(tuple(comparisons), tuple(searches), has_calls, order)


def _word(word):
    """Return whether `word` is a word to search for (`and` is not); raise for Close syntax."""
    if any(character in _SYNTAX for character in word):
        raise QueryError(_unsupported(word))
    if word.lower() in FIELDS:
        raise QueryError(f"`{word}` needs an operator (>=, >, <= or <) and a date.")
    if word.lower() in ("or", "not"):
        raise QueryError(f"`{word}` is not supported: every term of a lead query must hold.")
    return word.lower() != "and"


def _unsupported(term):
    return (
        f"`{term}` is not supported. A lead query takes date_updated or date_created with "
        ">=, >, <= or < and a date, sort:date_updated or sort:date_created (- for "
        "descending), has:calls, and words or quoted phrases to search for."
    )


def _comparison(match, term):
    field, op, value = match["field"].lower(), match["op"], match["value"]
    if field not in FIELDS:
        raise QueryError(_unsupported(term))
    if op not in LOOKUPS:
        raise QueryError(f"`{term}`: the operator must be one of >=, >, <= or <.")
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    moment = _moment(value)
    if moment is None:
        raise QueryError(
            f"`{term}`: give a date (2026-01-31), a minute (2026-01-31T09:15) or an ISO 8601 "
            "date-time (2026-01-31T09:15:00.000000+00:00)."
        )
    return Comparison(field, LOOKUPS[op], moment)


def _moment(value):
    """Return the UTC date-time written `value`, or None when it is not a moment."""
    match = _MOMENT.fullmatch(value)
    if match is None:
        return None
    offset = match["offset"] or ""
    if offset.startswith(" "):
        value = value[: match.start("offset")] + "+" + offset[1:]
    try:
        return parse_close_datetime(value)
    except ValueError:
        return None


def _order(argument, term):
    field = SORTS.get(argument.removeprefix("-").lower())
    if field is None:
        raise QueryError(
            f"`{term}`: sort by date_updated, updated, date_created or created, with an "
            "optional - for descending."
        )
    return f"-{field}" if argument.startswith("-") else field


def parse_search_body(body):
    """Return the `LeadQuery` of an Advanced Filtering body sent with a GET, or None.

    Airbyte's Close source (0.6) sends a `sort` on `date_updated` and, inside `and` queries, a
    `field_condition` whose `moment_range` bounds `date_updated` (`on_or_after`, `before`).
    Close itself ignores a GET's body, so this reading never narrows more than the body asks:
    a body that is not JSON, and any part of one that is not such a sort or range (an `or`, a
    negation, another field or condition), are left out, which can only widen the list.
    """
    try:
        tree = orjson.loads(body) if body else None
    except orjson.JSONDecodeError:
        return None
    if not isinstance(tree, dict):
        return None
    comparisons = tuple(_body_comparisons(tree.get("query")))
    order = _body_order(tree.get("sort"))
    if not comparisons and order is None:
        return None
    return LeadQuery(comparisons=comparisons, order=order)


def _body_order(sort):
    for item in sort if isinstance(sort, list) else []:
        field = _regular_field(item.get("field")) if isinstance(item, dict) else None
        direction = item.get("direction") if isinstance(item, dict) else None
        if field is not None and direction in ("asc", "desc"):
            return f"-{field}" if direction == "desc" else field
    return None


def _regular_field(field):
    """Return the lead date field that an Advanced Filtering `field` names, or None."""
    if (
        isinstance(field, dict)
        and field.get("type") == "regular_field"
        and field.get("object_type", "lead") == "lead"
        and field.get("field_name") in FIELDS
    ):
        return field["field_name"]
    return None


def _body_comparisons(query):
    """Yield the comparisons that every lead matching `query` satisfies (those we can read)."""
    nodes = [query]
    while nodes:
        node = nodes.pop()
        if not isinstance(node, dict) or node.get("negate"):
            continue
        if node.get("type") == "and" and isinstance(node.get("queries"), list):
            nodes.extend(node["queries"])
            continue
        field = _regular_field(node.get("field")) if node.get("type") == "field_condition" else None
        condition = node.get("condition")
        if field is None or not isinstance(condition, dict):
            continue
        if condition.get("type") != "moment_range":
            continue
        for bound, lookup in (("on_or_after", "gte"), ("before", "lt")):
            moment = _body_moment(condition.get(bound))
            if moment is not None:
                yield Comparison(field, lookup, moment)


def _body_moment(bound):
    """A fixed date or date-time of a `moment_range`; a date alone is its start or its end."""
    if not isinstance(bound, dict) or bound.get("type") not in ("fixed_local_date", "fixed_utc"):
        return None
    value = bound.get("value")
    moment = _moment(value) if isinstance(value, str) else None
    if moment is not None and len(value) == 10 and bound.get("which") == "end":
        moment += datetime.timedelta(days=1)
    return moment
