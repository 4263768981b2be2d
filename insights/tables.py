"""The insights page's tables, as the page shows them and as their CSV files hold them.

Each `Table` is the one description of its numbers: the page renders its cells (formatted, each
linking to the calls it counts) and the CSV download writes the same values, raw (seconds,
rates from 0 to 1), through core/csv_files.py.
"""

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.utils.html import escape
from django.utils.safestring import mark_safe

from insights.definitions import (
    CONNECTED,
    DISPOSITION_LABELS,
    DISPOSITIONS,
    NO_OUTCOME,
    Totals,
    ratio,
)

# Every call of the organization, filtered by the timeline's parameters (activities/filters.py,
# TimelineFilter: user_id, direction, disposition, outcome_id, activity_at__gte/__lte as days and
# weekday/hour as the clock reads in the signed-in user's zone, the page's zone). `user_id=` with no
# value asks for everyone's calls, where a member would otherwise be shown their own;
# `user_id=none` the calls without a rep. The one place the page's links are made.
CALLS_PAGE = "/calls/"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
UNITS = {"seconds": " (seconds)", "rate": " (0-1)"}


def calls_link(filters):
    """The calls page filtered by `filters` ({parameter: value}, None values left out); None
    when `filters` is None."""
    if filters is None:
        return None
    return CALLS_PAGE + "?" + urlencode({k: v for k, v in filters.items() if v is not None})


def display(kind, value):
    """`value` as the page shows it."""
    if value is None:
        return "—"
    if kind == "rate":
        return f"{value:.0%}"
    if kind == "seconds":
        seconds = round(value)
        hours, rest = divmod(seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"
    if kind == "count":
        return f"{value:,}"
    return str(value)


@dataclass(frozen=True)
class Column:
    """A column: `value(row)` its number, `filters(row)` the calls page's filters of the calls
    that number counts (None: no link), `kind` how it reads (text, count, rate, seconds)."""

    key: str
    label: str
    value: Any
    kind: str = "count"
    filters: Any = None

    @property
    def numeric(self):
        return self.kind != "text"


@dataclass
class Row:
    """A row of a table: a label, the Totals it shows, and the calls page's filters that select
    its calls (None: its numbers link nowhere)."""

    label: str
    totals: Totals = None
    filters: dict = None
    data: dict = field(default_factory=dict)


@dataclass
class Cell:
    text: str
    link: str = None
    numeric: bool = True
    label: str = ""


@dataclass
class Table:
    name: str
    caption: str
    columns: list
    rows: list
    footer: list = field(default_factory=list)

    def csv_rows(self):
        """The header, then every row's raw values, the footer's last."""
        yield [column.label + UNITS.get(column.kind, "") for column in self.columns]
        for row in [*self.rows, *self.footer]:
            yield [column.value(row) for column in self.columns]

    def cells(self, row):
        cells = []
        for column in self.columns:
            value = column.value(row)
            filters = None
            if column.filters is not None and row.filters is not None:
                filters = {**row.filters, **column.filters(row)}
            cells.append(
                Cell(display(column.kind, value), calls_link(filters), column.numeric, column.label)
            )
        return cells

    @property
    def body(self):
        return [self.cells(row) for row in self.rows]

    @property
    def foot(self):
        return [self.cells(row) for row in self.footer]

    @property
    def body_html(self):
        return rows_html(self.body)

    @property
    def foot_html(self):
        return rows_html(self.foot)


def rows_html(rows):
    """Table rows of `rows` (lists of Cells): the first cell a row header, each linked to the
    calls it counts. Built here rather than by an include per row, which costs a page of 90 days
    and 50 reps most of its time."""
    html = []
    for cells in rows:
        html.append("<tr>")
        for n, cell in enumerate(cells):
            text = escape(cell.text)
            if cell.link:
                text = f'<a href="{escape(cell.link)}">{text}</a>'
            if n == 0:
                html.append(f'<th scope="row">{text}</th>')
            else:
                html.append(f'<td class="num" data-label="{escape(cell.label)}">{text}</td>')
        html.append("</tr>")
    return mark_safe("".join(html))  # every value escaped above


def _filter(**fixed):
    return lambda row: fixed


def rep_table(rows, team, outcomes):
    """Per rep: `rows` (a Row per rep), `team` (the team's Row), `outcomes` [(id, name)] that
    occur in the period, one column each."""
    columns = [
        Column("rep", "Rep", lambda row: row.label, kind="text"),
        Column("calls_out", "Calls out", lambda row: row.totals.calls_out,
               filters=_filter(direction="outbound")),
        Column("calls_in", "Calls in", lambda row: row.totals.calls_in,
               filters=_filter(direction="inbound")),
        Column("connected", "Connected", lambda row: row.totals.connected_calls,
               filters=_filter(disposition="answered")),
        Column("connect_rate", "Connect rate", lambda row: row.totals.connect_rate, kind="rate",
               filters=_filter(direction="outbound")),
        Column("talk_time", "Talk time", lambda row: row.totals.total_talk_time,
               kind="seconds", filters=_filter(disposition="answered")),
        Column("average_call_length", "Average call length",
               lambda row: row.totals.average_call_length, kind="seconds",
               filters=_filter(disposition="answered")),
        Column("voicemails_left", "Voicemails left", lambda row: row.totals.voicemails_left,
               filters=_filter(disposition="vm-left")),
    ]  # fmt: skip
    for outcome_id, name in outcomes:
        columns.append(
            Column(
                f"outcome-{outcome_id}",
                name,
                lambda row, o=outcome_id: row.totals.outcomes.get(o, 0),
                filters=_filter(outcome_id=outcome_id),
            )
        )
    return Table("reps", "Calls per rep", columns, rows, footer=[team])


def sort_rows(rows, columns, key):
    """`rows` sorted by the column `key` ("-key": descending); rows without a value last."""
    descending = key.startswith("-")
    column = next((c for c in columns if c.key == key.lstrip("-")), columns[0])
    if column.kind == "text":
        return sorted(rows, key=lambda row: column.value(row).casefold(), reverse=descending)
    known = [row for row in rows if column.value(row) is not None]
    unknown = [row for row in rows if column.value(row) is None]
    return sorted(known, key=column.value, reverse=descending) + unknown


def day_table(days, team_filters):
    """Per day: `days` {date: Totals}."""
    rows = [
        Row(
            f"{day:%a %-d %b %Y}",
            totals,
            {
                **team_filters,
                "activity_at__gte": day.isoformat(),
                "activity_at__lte": day.isoformat(),
            },
            {"day": day},
        )
        for day, totals in days.items()
    ]
    total = Row("Total", Totals(), team_filters)
    for row in rows:
        total.totals.merge(row.totals)
    columns = [
        Column("day", "Day", lambda row: row.data["day"].isoformat() if row.data else row.label,
               kind="text"),
        *(Column(x, DISPOSITION_LABELS[x], lambda row, x=x: row.totals.count(disposition=x),
                 filters=_filter(disposition=x)) for x in DISPOSITIONS),
        Column("calls", "All calls", lambda row: row.totals.calls, filters=_filter()),
    ]  # fmt: skip
    return Table("days", "Calls per day, by disposition", columns, rows, footer=[total])


def outcome_table(team, names, team_filters):
    """The outcome mix of `team` (Totals), "No outcome" last; `names` {outcome id: name}."""
    mix = team.outcome_mix()
    rows = [
        Row(names.get(outcome_id, outcome_id), data={"calls": n, "outcome_id": outcome_id},
            filters={**team_filters, "outcome_id": outcome_id})
        for outcome_id, n in sorted(
            ((o, n) for o, n in mix.items() if o != NO_OUTCOME), key=lambda item: -item[1]
        )
    ]  # fmt: skip
    rows.append(Row("No outcome", data={"calls": mix[NO_OUTCOME], "outcome_id": NO_OUTCOME}))
    return _mix_table("outcomes", "Outcome mix", ("outcome", "Outcome"), rows, team.calls)


def disposition_table(team, team_filters):
    """Calls of `team` (Totals) per disposition."""
    rows = [
        Row(DISPOSITION_LABELS[x], data={"calls": n, "disposition": x},
            filters={**team_filters, "disposition": x})
        for x, n in team.by_disposition().items()
    ]  # fmt: skip
    return _mix_table(
        "dispositions", "Calls per disposition", ("disposition", "Disposition"), rows, team.calls
    )


def _mix_table(name, caption, label, rows, calls):
    """A table of `rows` (each with its `data["calls"]`), their calls and share of `calls`;
    `label` (key, heading) of the first column."""
    columns = [
        Column(*label, lambda row: row.label, kind="text"),
        Column("calls", "Calls", lambda row: row.data["calls"], filters=_filter()),
        Column("share", "Share of calls", lambda row: ratio(row.data["calls"], calls),
               kind="rate"),
    ]  # fmt: skip
    return Table(name, caption, columns, rows)


def hour_table(hours, filters):
    """Outbound calls and connect rate per weekday and hour: `hours` {(weekday, hour): Totals},
    `filters` the calls page's of the calls shown (its weekday is ISO's, 1 for Monday)."""
    rows = []
    for weekday, name in enumerate(WEEKDAYS):
        for hour in range(24):
            totals = hours.get((weekday, hour)) or Totals()
            place = {"weekday": weekday + 1, "hour": hour}
            rows.append(Row(name, totals, {**filters, **place}, {"weekday": weekday, "hour": hour}))
    outbound = _filter(direction="outbound")
    columns = [
        Column("weekday", "Weekday", lambda row: row.label, kind="text"),
        Column("hour", "Hour", lambda row: f"{row.data['hour']:02}:00", kind="text"),
        Column("calls_out", "Outbound calls", lambda row: row.totals.calls_out, filters=outbound),
        Column("connected_out", "Connected outbound calls", lambda row: row.totals.connected_out,
               filters=_filter(direction="outbound", disposition=CONNECTED)),
        Column("connect_rate", "Connect rate", lambda row: row.totals.connect_rate, kind="rate",
               filters=outbound),
    ]  # fmt: skip
    return Table("hours", "Connect rate of outbound calls by weekday and hour", columns, rows)
