"""Keeping the tallies (insights/models.py) equal to the calls, in the calls' own write path.

Every change the services make to a call is announced inside their transaction
(core/changes.py); `tally_change` (a `settings.CHANGE_RECEIVERS` entry) takes what the call
counted for before the change away from the tallies and adds what it counts for after it, in
that same transaction, so a call created, moved in time, handed to another rep, given another
disposition, outcome or duration, or deleted leaves the tallies exact, and a rolled-back change
leaves them as they were. A lead deleted takes its calls with it (one announcement, the lead's):
those calls are taken away too, locked first so that none moves off the lead meanwhile.

The services lock a call before reading what it was (activities/services.py), so the "before"
of two simultaneous updates of one call is never stale. Each change is written as one upsert
per table, `INSERT ... ON CONFLICT DO UPDATE SET x = x + excluded.x`, the tables always in the
same order (reps, team, outcomes) and each table's rows in key order, so two transactions never
wait for each other's tally rows in opposite orders. On PostgreSQL the three upserts are one
statement (`_upsert_in_order`).

`rebuild()` (`manage.py rebuild_insights`) recomputes every tally from the calls table.
"""

from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.models import Case, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from activities.models import Call
from core.changes import CREATED, DELETED, UPDATED, batch_form
from insights.definitions import (
    CONNECTED,
    DIRECTIONS,
    DISPOSITIONS,
    SUM_COLUMNS,
    call_sums,
    count_column,
    duration_column,
    hour_index,
    talk_time_column,
)
from insights.models import DAY_SPAN, HOUR_SPAN, OutcomeTally, RepTally, TeamTally
from leads.models import Lead

# The fields of a call a tally reads: a change of any other field leaves the tallies alone.
TALLIED_FIELDS = frozenset(
    {"organization_id", "user_id", "activity_at", "direction", "disposition", "duration",
     "outcome_id"}
)  # fmt: skip
ROWS_PER_STATEMENT = 500


class TimeBucket(models.Func):
    """The `seconds`-long slice of time since the epoch (UTC) a date-time falls in: its hour
    index with 3600. Rounded down, before 1970 too; the same number on PostgreSQL and SQLite."""

    output_field = models.BigIntegerField()

    def __init__(self, expression, seconds):
        super().__init__(expression)
        self.seconds = int(seconds)

    def as_postgresql(self, compiler, connection, **extra_context):
        template = f"floor(extract(epoch from %(expressions)s) / {self.seconds})::bigint"
        return self.as_sql(compiler, connection, template=template, **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        # Django keeps SQLite's date-times as UTC text; strftime('%s') reads them as seconds.
        epoch = "CAST(strftime('%%%%s', %(expressions)s) AS INTEGER)"
        s = self.seconds
        template = f"(({epoch}) - ((({epoch}) %%%% {s}) + {s}) %%%% {s}) / {s}"
        return self.as_sql(compiler, connection, template=template, **extra_context)


@dataclass(frozen=True)
class Counted:
    """What one call counts for: whose, when (the UTC hour), and what."""

    organization_id: str
    rep_id: str
    hour: int
    direction: str
    disposition: str
    duration: int
    outcome_id: str | None

    @classmethod
    def of(cls, values):
        """From a call's field values by attname (`field_values()`, a `.values()` row)."""
        return cls(
            organization_id=values["organization_id"],
            rep_id=values["user_id"] or "",
            hour=hour_index(values["activity_at"]),
            direction=values["direction"],
            disposition=values["disposition"],
            duration=values["duration"] or 0,
            outcome_id=values["outcome_id"] or None,
        )


class Deltas:
    """Changes to the tallies, merged by row, then written in one statement per table."""

    def __init__(self):
        self.rep, self.team, self.outcome = {}, {}, {}

    def add(self, counted, sign):
        """Count `counted` in (sign +1) or take it out (-1)."""
        sums = {column: sign * value for column, value in call_sums(
            counted.direction, counted.disposition, counted.duration
        ).items()}  # fmt: skip
        day = counted.hour - counted.hour % DAY_SPAN
        org, rep = counted.organization_id, counted.rep_id
        for span, start in ((HOUR_SPAN, counted.hour), (DAY_SPAN, day)):
            _merge(self.rep, (org, span, rep, start), sums)
            if counted.outcome_id is not None:
                key = (org, span, rep, start, counted.outcome_id)
                _merge(self.outcome, key, {"calls": sign, "duration": sign * counted.duration})
        _merge(self.team, (org, counted.hour), sums)

    def write(self):
        _upsert_in_order(
            [
                *_upserts(RepTally, ("organization_id", "span", "rep_id", "start"), self.rep),
                *_upserts(TeamTally, ("organization_id", "start"), self.team),
                *_upserts(
                    OutcomeTally,
                    ("organization_id", "span", "rep_id", "start", "outcome_id"),
                    self.outcome,
                ),
            ]
        )


def _merge(rows, key, sums):
    row = rows.setdefault(key, {})
    for column, value in sums.items():
        row[column] = row.get(column, 0) + value


@dataclass(frozen=True)
class _Upsert:
    """Adding each of `rows` ([(key tuple, {column: delta})], in key order) to the row of
    `model` with that key, creating it when missing."""

    model: type
    keys: tuple
    rows: list

    def sql(self, after=None):
        """Return (sql, params) of its `INSERT … ON CONFLICT DO UPDATE`; with `after`, the name
        of a WITH query, the rows are written only once that query's have all been written."""
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        columns = sorted({column for _, values in self.rows for column in values})
        names = ", ".join(quote(name) for name in (*self.keys, *columns))
        row = "(" + ", ".join(["%s"] * (len(self.keys) + len(columns))) + ")"
        source = f"VALUES {', '.join([row] * len(self.rows))}"
        if after is not None:
            source = f"SELECT * FROM ({source}) AS v WHERE (SELECT count(*) FROM {after}) >= 0"
        updates = ", ".join(
            f"{quote(c)} = {table}.{quote(c)} + excluded.{quote(c)}" for c in columns
        )
        sql = (
            f"INSERT INTO {table} ({names}) {source} "
            f"ON CONFLICT ({', '.join(quote(key) for key in self.keys)}) DO UPDATE SET {updates}"
        )
        params = [
            value
            for key, values in self.rows
            for value in (*key, *(values.get(column, 0) for column in columns))
        ]
        return sql, params


def _upserts(model, keys, rows):
    """The upserts adding `rows` ({key tuple: {column: delta}}) to `model`, in key order, at
    most ROWS_PER_STATEMENT rows each; rows whose deltas are all zero are left out."""
    ordered = sorted((key, values) for key, values in rows.items() if any(values.values()))
    for first in range(0, len(ordered), ROWS_PER_STATEMENT):
        yield _Upsert(model, keys, ordered[first : first + ROWS_PER_STATEMENT])


def _upsert_in_order(upserts):
    """Write `upserts` one after the other, each in key order: the one lock order of every
    transaction, so that two never wait for each other's tally rows in opposite orders.

    On PostgreSQL, in one statement for up to ROWS_PER_STATEMENT rows (a call's change is one):
    each upsert but the last a WITH query, and each after the first waits for the one before it
    by counting its written rows before writing its own. (PostgreSQL runs a statement's
    data-modifying WITH queries in no set order otherwise.) SQLite has no data-modifying WITH
    queries: one statement per upsert.
    """
    chained = connection.vendor == "postgresql"
    statements = []
    for upsert in upserts:
        if chained and statements and _rows(statements[-1]) + _rows([upsert]) <= ROWS_PER_STATEMENT:
            statements[-1].append(upsert)
        else:
            statements.append([upsert])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(*_chained(statement))


def _rows(upserts):
    return sum(len(upsert.rows) for upsert in upserts)


def _chained(upserts):
    """One statement writing `upserts` in their order (see `_upsert_in_order`)."""
    queries, params = [], []
    for n, upsert in enumerate(upserts):
        sql, upsert_params = upsert.sql(after=f"written_{n - 1}" if n else None)
        queries.append(sql)
        params += upsert_params
    *first, last = queries
    if not first:
        return last, params
    written = ", ".join(f"written_{n} AS ({sql} RETURNING 1)" for n, sql in enumerate(first))
    return f"WITH {written} {last}", params


def tally_changes(changes):
    """`tally_change` for a batch (core.changes.announce_all): the calls' deltas merged and
    written once for the whole batch (`_upsert_in_order`)."""
    deltas = Deltas()
    for change in changes:
        if change.model is Call:
            _add_call_change(deltas, change)
    deltas.write()
    for change in changes:
        if change.model is Lead and change.action == DELETED:
            forget_calls(Call.objects.filter(lead_id=change.pk))


@batch_form(tally_changes)
def tally_change(change):
    """The CHANGE_RECEIVERS entry: move the tallies with every change of a call, and take a
    deleted lead's calls out of them."""
    tally_changes([change])


def _add_call_change(deltas, change):
    after = {name: getattr(change.instance, name) for name in TALLIED_FIELDS}
    if change.action == CREATED:
        deltas.add(Counted.of(after), +1)
    elif change.action == DELETED:
        deltas.add(Counted.of(after), -1)
    elif change.action == UPDATED and change.changed & TALLIED_FIELDS:
        deltas.add(Counted.of({**after, **change.previous}), -1)
        deltas.add(Counted.of(after), +1)


def forget_calls(calls):
    """Take the calls of the queryset `calls` out of the tallies, before they are deleted
    without being announced one by one (a lead's, by the cascade; the benchmark's).

    The calls are locked first: one moved off the lead meanwhile is then either already gone
    from the set or waits for this transaction, so it is taken out exactly when it is deleted.
    """
    rows = (
        calls.select_for_update()
        .order_by("pk")
        .values("organization_id", "user_id", "activity_at", "direction", "disposition",
                "duration", "outcome_id")
    )  # fmt: skip
    deltas = Deltas()
    for row in rows:
        deltas.add(Counted.of(row), -1)
    deltas.write()


# Rebuilding from the calls


def _sum_where(value, **conditions):
    return Sum(Case(When(then=value, **conditions), default=Value(0)))


def _call_sums():
    """{column: aggregate over calls} for every SUM_COLUMNS column, as `call_sums()` says."""
    aggregates = {}
    for direction in DIRECTIONS:
        for disposition in DISPOSITIONS:
            aggregates[count_column(direction, disposition)] = _sum_where(
                Value(1), direction=direction, disposition=disposition
            )
        aggregates[duration_column(direction)] = _sum_where(F("duration"), direction=direction)
        aggregates[talk_time_column(direction)] = _sum_where(
            F("duration"), direction=direction, disposition=CONNECTED
        )
    assert set(aggregates) == set(SUM_COLUMNS)
    return aggregates


def _insert_select(model, columns, queryset):
    """INSERT INTO `model` (`columns`) the rows `queryset` (a `.values_list()` of those
    columns, in that order) selects, in one statement."""
    sql, params = queryset.query.sql_with_params()
    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(name).column) for name in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({names}) {sql}", params)


def _day(start):
    """The first hour of the UTC day of the hour index `start`, rounded down before 1970 too."""
    return F(start) - ((F(start) % DAY_SPAN) + DAY_SPAN) % DAY_SPAN


@transaction.atomic
def rebuild(organization=None):
    """Recompute every tally (of `organization`, else of all) from the calls table.

    On PostgreSQL the tally tables are locked against writes first, so a call written meanwhile
    is counted exactly once: either its change committed before (the calls read here have it)
    or its receiver waits for this transaction and adds it after.
    """
    tallies = (RepTally, TeamTally, OutcomeTally)
    if connection.vendor == "postgresql":
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in tallies)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")
    scope = {} if organization is None else {"organization": organization}
    for model in tallies:
        model.objects.filter(**scope).delete()

    calls = Call.objects.filter(**scope).order_by()
    hour = TimeBucket("activity_at", 3600)
    rep = Coalesce("user_id", Value(""))
    sums = _call_sums()
    _insert_select(
        RepTally,
        ("organization", "rep_id", "span", "start", *sums),
        calls.values("organization_id")
        .annotate(rep_key=rep, span_key=Value(HOUR_SPAN), hour_key=hour)
        .values_list("organization_id", "rep_key", "span_key", "hour_key")
        .annotate(**sums)
        .values_list("organization_id", "rep_key", "span_key", "hour_key", *sums),
    )
    _insert_select(
        TeamTally,
        ("organization", "start", *sums),
        calls.values("organization_id")
        .annotate(hour_key=hour)
        .values_list("organization_id", "hour_key")
        .annotate(**sums)
        .values_list("organization_id", "hour_key", *sums),
    )
    _insert_select(
        OutcomeTally,
        ("organization", "rep_id", "span", "start", "outcome_id", "calls", "duration"),
        calls.filter(outcome_id__isnull=False)
        .annotate(rep_key=rep, span_key=Value(HOUR_SPAN), hour_key=hour)
        .values_list("organization_id", "rep_key", "span_key", "hour_key", "outcome_id")
        .annotate(calls_sum=Sum(Value(1)), duration_sum=Sum("duration"))
        .values_list(
            "organization_id", "rep_key", "span_key", "hour_key", "outcome_id", "calls_sum",
            "duration_sum",
        ),
    )  # fmt: skip
    # Days are the sums of their hours.
    hours = RepTally.objects.filter(span=HOUR_SPAN, **scope).order_by()
    day_sums = {column: Sum(column) for column in SUM_COLUMNS}
    _insert_select(
        RepTally,
        ("organization", "rep_id", "span", "start", *day_sums),
        hours.annotate(span_key=Value(DAY_SPAN), day_key=_day("start"))
        .values_list("organization_id", "rep_id", "span_key", "day_key")
        .annotate(**{f"{c}_day": s for c, s in day_sums.items()})
        .values_list(
            "organization_id", "rep_id", "span_key", "day_key", *(f"{c}_day" for c in day_sums)
        ),
    )
    outcome_hours = OutcomeTally.objects.filter(span=HOUR_SPAN, **scope).order_by()
    _insert_select(
        OutcomeTally,
        ("organization", "rep_id", "span", "start", "outcome_id", "calls", "duration"),
        outcome_hours.annotate(span_key=Value(DAY_SPAN), day_key=_day("start"))
        .values_list("organization_id", "rep_id", "span_key", "day_key", "outcome_id")
        .annotate(calls_day=Sum("calls"), duration_day=Sum("duration"))
        .values_list(
            "organization_id", "rep_id", "span_key", "day_key", "outcome_id", "calls_day",
            "duration_day",
        ),
    )  # fmt: skip


def nonzero_rows():
    """Every tally row with a value other than zero, as comparable tuples: what `rebuild()`
    must reproduce (the live tallies may also keep rows that went back to zero)."""
    found = set()
    for model, keys, values in (
        (RepTally, ("organization_id", "span", "rep_id", "start"), SUM_COLUMNS),
        (TeamTally, ("organization_id", "start"), SUM_COLUMNS),
        (OutcomeTally, ("organization_id", "span", "rep_id", "start", "outcome_id"),
         ("calls", "duration")),
    ):  # fmt: skip
        nonzero = Q()
        for column in values:
            nonzero |= ~Q(**{column: 0})
        for row in model.objects.filter(nonzero).values_list(*keys, *values):
            found.add((model.__name__, *row))
    return found
