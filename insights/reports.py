"""Reading a window's numbers, per rep, per day and per hour of the week.

From the tallies (insights/models.py) wherever they are exact, which is a few rows per rep and
day however many calls there are:

- per rep: the UTC days inside the window from the day rows, the hours at its ends from the hour
  rows;
- per day and hour: the team's hour rows (or the chosen reps'), each placed on its local day
  and hour. A zone a whole number of hours from UTC puts every UTC hour inside one local hour,
  either side of a DST change.

From the calls table, grouped by quarter of an hour, for what the tallies cannot say exactly:
the parts of an hour at the ends of a window that does not start or end on the hour (the API's
`datetime_range`), and whole windows in zones that are not a whole number of hours from UTC at
some point (UTC+5:30, UTC+5:45, an `x-tz-offset` of -2.5...). Those cost what the calls of the
window cost, not what the years of calls before it do.
"""

import datetime
import functools
from collections import defaultdict

from django.db.models import Count, Q, Sum

from accounts.models import User
from activities.models import Call
from insights.definitions import (
    EPOCH,
    SUM_COLUMNS,
    Totals,
    call_sums,
    hour_index,
    hour_start,
    local_place,
    offset_is_whole_hours,
)
from insights.models import DAY_SPAN, HOUR_SPAN, OutcomeTally, RepTally, TeamTally
from insights.tallies import TimeBucket

QUARTER_SECONDS = 900


def _ceil_hour(moment):
    index = hour_index(moment)
    return index if hour_start(index) == moment else index + 1


def _ceil_day(hour):
    return -(-hour // DAY_SPAN) * DAY_SPAN


class Report:
    """The numbers of `organization`'s calls in `window` (insights/periods.py), of the reps
    `reps` (ids, "" for calls without one) or of everyone (None)."""

    def __init__(self, organization, window, reps=None):
        self.organization = organization
        self.window = window
        self.reps = None if reps is None else list(reps)
        start, end = window.start, window.end
        self.hours = None  # (first, end) hour indexes the tallies answer for
        self.pieces = []  # [start, end) instants the calls table answers for
        if offset_is_whole_hours(window.zone, start, end):
            first, last = _ceil_hour(start), hour_index(end)
            if first < last:
                self.hours = (first, last)
                if start < hour_start(first):
                    self.pieces.append((start, hour_start(first)))
                if hour_start(last) < end:
                    self.pieces.append((hour_start(last), end))
        if self.hours is None and start < end:
            self.pieces = [(start, end)]

    # Per rep

    def by_rep(self, outcomes=True):
        """{rep id: Totals}, with their outcomes unless `outcomes` is False, for the reps who
        have calls in the window."""
        totals = defaultdict(Totals)
        if self.hours is not None:
            for rep_id, *sums in (
                self._tallies(RepTally)
                .values("rep_id")
                .annotate(**{column: Sum(column) for column in SUM_COLUMNS})
                .values_list("rep_id", *SUM_COLUMNS)
            ):
                totals[rep_id].add(sums)
            if outcomes:
                for rep_id, outcome_id, calls in (
                    self._tallies(OutcomeTally)
                    .values("rep_id", "outcome_id")
                    .annotate(outcome_calls=Sum("calls"))
                    .values_list("rep_id", "outcome_id", "outcome_calls")
                ):
                    if calls:
                        totals[rep_id].add_outcome(outcome_id, calls)
        if self.pieces:
            keys = ("user_id", "direction", "disposition", *(("outcome_id",) if outcomes else ()))
            grouped = (
                self._calls().values(*keys).annotate(calls=Count("id"), seconds=Sum("duration"))
            )
            for row in grouped:
                rep = totals[row["user_id"] or ""]
                rep.add(
                    call_sums(row["direction"], row["disposition"], row["seconds"], row["calls"])
                )
                if row.get("outcome_id"):
                    rep.add_outcome(row["outcome_id"], row["calls"])
        # Tally rows whose calls all moved away or were deleted are left at zero: no calls.
        return {rep_id: rep for rep_id, rep in totals.items() if rep.calls or rep.outcomes}

    def _tallies(self, model):
        """`model`'s rows of the window's hours: whole UTC days from the day rows, the hours
        before the first and after the last whole day from the hour rows."""
        first, end = self.hours
        first_day, end_day = _ceil_day(first), end // DAY_SPAN * DAY_SPAN
        if first_day < end_day:
            when = (
                Q(span=DAY_SPAN, start__gte=first_day, start__lt=end_day)
                | Q(span=HOUR_SPAN, start__gte=first, start__lt=first_day)
                | Q(span=HOUR_SPAN, start__gte=end_day, start__lt=end)
            )
        else:
            when = Q(span=HOUR_SPAN, start__gte=first, start__lt=end)
        rows = model.objects.filter(when, organization=self.organization).order_by()
        return rows if self.reps is None else rows.filter(rep_id__in=self.reps)

    def _calls(self):
        """The calls of the window's pieces, of the reps asked for."""
        within = Q()
        for start, end in self.pieces:
            within |= Q(activity_at__gte=start, activity_at__lt=end)
        calls = Call.objects.filter(within, organization=self.organization).order_by()
        if self.reps is None:
            return calls
        whose = Q(user_id__in=[rep for rep in self.reps if rep])
        if "" in self.reps:
            whose |= Q(user__isnull=True)
        return calls.filter(whose)

    # Per day and hour

    @functools.cached_property
    def _series(self):
        """[(instant, sums in SUM_COLUMNS order)], each sums of one hour or quarter of an hour
        that lies within one local hour."""
        series = []
        if self.hours is not None:
            first, end = self.hours
            if self.reps is None:
                rows = TeamTally.objects.filter(organization=self.organization)
            else:
                rows = (
                    RepTally.objects.filter(
                        organization=self.organization, span=HOUR_SPAN, rep_id__in=self.reps
                    )
                    .values("start")
                    .annotate(**{column: Sum(column) for column in SUM_COLUMNS})
                )
            rows = rows.filter(start__gte=first, start__lt=end).order_by("start")
            series += [(hour_start(start), sums) for start, *sums in rows.values_list(
                "start", *SUM_COLUMNS
            )]  # fmt: skip
        if self.pieces:
            quarters = defaultdict(Totals)
            grouped = (
                self._calls()
                .values(quarter=TimeBucket("activity_at", QUARTER_SECONDS))
                .values("quarter", "direction", "disposition")
                .annotate(calls=Count("id"), seconds=Sum("duration"))
            )
            for row in grouped:
                sums = call_sums(row["direction"], row["disposition"], row["seconds"], row["calls"])
                quarters[row["quarter"]].add(sums)
            quarter = datetime.timedelta(seconds=QUARTER_SECONDS)
            series += [
                (EPOCH + index * quarter, [totals.sums[c] for c in SUM_COLUMNS])
                for index, totals in quarters.items()
            ]
        return series

    def _binned(self, key):
        """{key(local date, weekday, hour): Totals} over the series."""
        zone = self.window.zone
        bins = defaultdict(Totals)
        for moment, sums in self._series:
            bins[key(*local_place(moment, zone))].add(sums)
        return bins

    def by_day(self):
        """{local date: Totals}, every day of the window (zeros included), in order."""
        bins = self._binned(lambda day, weekday, hour: day)
        return {day: bins.get(day) or Totals() for day in self.window.days()}

    def by_hour_of_week(self):
        """{(weekday 0=Monday, hour 0-23): Totals}, for the hours that had calls."""
        return dict(self._binned(lambda day, weekday, hour: (weekday, hour)))


def known_reps(by_rep, names):
    """`by_rep` ({rep id: Totals}) with the ids of users who no longer exist counted as no rep
    (""), as their calls are (SET_NULL), and {id: name} of the reps not in `names` (members)
    who still exist: former members."""
    others = set(by_rep) - set(names) - {""}
    former = {}
    if others:
        users = User.objects.filter(pk__in=others).only("id", "first_name", "last_name", "username")
        former = {user.id: user.display_name for user in users}
    merged = dict(by_rep)
    for rep_id in others - set(former):
        merged.setdefault("", Totals()).merge(merged.pop(rep_id))
    return merged, former
