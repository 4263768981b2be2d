import functools
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import organization_members
from accounts.tenancy import current_membership
from activities.models import Outcome
from core.csv_files import csv_download
from insights import charts, tables
from insights.definitions import Totals, zone_name
from insights.forms import PeriodForm
from insights.periods import DEFAULT_PAGE_PERIOD, PAGE_PERIODS, Window, calendar_days, today_in
from insights.reports import Report, known_reps
from insights.tables import display

TABLES = ("reps", "days", "outcomes", "dispositions", "hours")


class InsightsPage:
    """What /insights/ shows the signed-in member, and what its CSV files hold.

    Days and hours are the member's own time zone's. An admin sees every rep, or the one they
    pick; a member sees their own row. Both see the team's totals. The charts are of the rep
    shown, or of the whole team.
    """

    def __init__(self, request):
        self.request = request
        self._tables = {}
        membership = current_membership(request)
        if membership is None:
            raise PermissionDenied("You are not a member of any organization.")
        self.organization = membership.organization
        self.zone = timezone.get_current_timezone()
        self.sees_team = roles.can_see_team_insights(membership)
        self.members = {
            user.id: user.display_name
            for user in organization_members(self.organization).only(
                "id", "first_name", "last_name", "username"
            )
        }
        choices = list(self.members.items()) if self.sees_team else None
        self.form = PeriodForm(request.GET or None, reps=choices)
        cleaned = self.form.cleaned_data if self.form.is_valid() else {}
        self.period = cleaned.get("period") or DEFAULT_PAGE_PERIOD
        if self.period == "custom":
            first, last = cleaned["start"], cleaned["end"]
        else:
            first, last = calendar_days(self.period, today_in(self.zone))
        self.window = Window.of_days(first, last, self.zone)
        self.rep = cleaned.get("rep") if self.sees_team else membership.user_id
        self.rep = self.rep or None
        self.team = Report(self.organization, self.window)
        self.shown = (
            self.team
            if self.rep is None
            else Report(self.organization, self.window, reps=[self.rep])
        )

    @property
    def zone_name(self):
        return zone_name(self.zone)

    @property
    def period_label(self):
        first, last = self.window.first_day, self.window.last_day
        span = (
            f"{first:%a %-d %b %Y}" if first == last else f"{first:%a %-d %b} – {last:%a %-d %b %Y}"
        )
        if self.period == "custom":
            return span
        return f"{PAGE_PERIODS[self.period]}: {span}"

    @functools.cached_property
    def filters(self):
        """The calls page's filters of the whole window, everyone's calls."""
        return {
            "activity_at__gte": self.window.first_day.isoformat(),
            "activity_at__lte": self.window.last_day.isoformat(),
            "user_id": "",
        }

    @functools.cached_property
    def shown_filters(self):
        return {**self.filters, "user_id": self.rep} if self.rep else self.filters

    @functools.cached_property
    def _reps(self):
        return known_reps(self.team.by_rep(), self.members)

    @property
    def by_rep(self):
        """{rep id: Totals}; ids of users who no longer exist count as no rep ("")."""
        return self._reps[0]

    @property
    def former(self):
        """{user id: name} of the reps with calls in the window who are no longer members."""
        return self._reps[1]

    @functools.cached_property
    def team_totals(self):
        totals = Totals()
        for rep in self.by_rep.values():
            totals.merge(rep)
        return totals

    @functools.cached_property
    def shown_totals(self):
        return self.team_totals if self.rep is None else self.by_rep.get(self.rep, Totals())

    @functools.cached_property
    def outcome_names(self):
        """{outcome id: name} of the outcomes counted in the window, deleted ones marked."""
        counted = {o for totals in self.by_rep.values() for o in totals.outcomes}
        if not counted:
            return {}
        outcomes = Outcome.objects.filter(organization=self.organization, pk__in=counted)
        return {
            outcome.id: outcome.name + (" (deleted)" if outcome.date_deleted else "")
            for outcome in outcomes.only("id", "name", "date_deleted")
        }

    def _rep_rows(self):
        names = {**self.former, **self.members}
        if self.rep is not None:
            reps = [self.rep]
        else:
            reps = list(dict.fromkeys([*self.members, *self.by_rep]))
        rows = []
        for rep_id in reps:
            totals = self.by_rep.get(rep_id, Totals())
            if rep_id == "":
                rows.append(tables.Row("No rep", totals, {**self.filters, "user_id": "none"}))
            else:
                label = names.get(rep_id, rep_id)
                if rep_id not in self.members:
                    label += " (former member)"
                rows.append(tables.Row(label, totals, {**self.filters, "user_id": rep_id}))
        return rows

    @functools.cached_property
    def sort(self):
        return self.request.GET.get("sort") or "rep"

    @functools.cached_property
    def reps_table(self):
        outcomes = sorted(self.outcome_names.items(), key=lambda item: item[1].casefold())
        table = tables.rep_table(
            self._rep_rows(), tables.Row("Team total", self.team_totals, self.filters), outcomes
        )
        table.rows = tables.sort_rows(table.rows, table.columns, self.sort)
        return table

    @functools.cached_property
    def days(self):
        return self.shown.by_day()

    @functools.cached_property
    def hours(self):
        return self.shown.by_hour_of_week()

    def table(self, name):
        """The table `name` (one of TABLES), built once."""
        if name not in self._tables:
            self._tables[name] = self._build_table(name)
        return self._tables[name]

    def _build_table(self, name):
        if name == "reps":
            return self.reps_table
        if name == "days":
            return tables.day_table(self.days, self.shown_filters)
        if name == "outcomes":
            return tables.outcome_table(self.shown_totals, self.outcome_names, self.shown_filters)
        if name == "dispositions":
            return tables.disposition_table(self.shown_totals, self.shown_filters)
        if name == "hours":
            return tables.hour_table(self.hours, self.shown_filters)
        raise Http404("No such table.")

    def query(self, **changes):
        """The page's query string with `changes`."""
        params = {key: value for key, value in self.request.GET.items() if value}
        params.update(changes)
        return "?" + urlencode({key: value for key, value in params.items() if value})

    def sort_links(self):
        """[(column, link, aria-sort)] of the reps table's headers."""
        current = self.sort.lstrip("-")
        descending = self.sort.startswith("-")
        links = []
        for column in self.reps_table.columns:
            if column.key == current:
                order = "descending" if descending else "ascending"
                target = column.key if descending else f"-{column.key}"
            else:
                order = None
                target = column.key if column.kind == "text" else f"-{column.key}"
            links.append((column, self.query(sort=target), order))
        return links

    @property
    def csv_links(self):
        """{table name: its CSV download, for the same period and rep}."""
        return {name: reverse("insights:csv", args=[name]) + self.query() for name in TABLES}

    @property
    def reps_title(self):
        if not self.sees_team:
            return "You and the team"
        return "Reps" if self.rep is None else "Rep and team"

    @property
    def rep_name(self):
        return self.members.get(self.rep) or self.former.get(self.rep, self.rep)

    @property
    def glance(self):
        """[(label, text)] of the shown rep's or team's main numbers."""
        totals = self.shown_totals
        return [
            ("Calls", display("count", totals.calls)),
            ("Connected", display("count", totals.connected_calls)),
            ("Connect rate", display("rate", totals.connect_rate)),
            ("Talk time", display("seconds", totals.total_talk_time)),
            ("Average call length", display("seconds", totals.average_call_length)),
            ("Voicemails left", display("count", totals.voicemails_left)),
        ]


@login_required
def insights(request):
    page = InsightsPage(request)
    calls = page.shown_totals.calls

    def share(n):
        return n / calls if calls else None

    outcomes, dispositions = page.table("outcomes"), page.table("dispositions")
    context = {
        "page": page,
        "tables": {name: page.table(name) for name in TABLES},
        "patterns": charts.pattern_definitions(),
        "legend": charts.legend(),
        "day_chart": charts.day_chart(page.days, "day-chart"),
        "heatmap": charts.heatmap(page.hours, "hour-chart"),
        "outcome_bars": charts.bars(
            [(row.label, row.data["calls"], share(row.data["calls"])) for row in outcomes.rows]
        ),
        "disposition_bars": charts.bars(
            [(row.label, row.data["calls"], share(row.data["calls"]), row.data["disposition"])
             for row in dispositions.rows],
            disposition_of=lambda rest: rest[0],
        ),
    }  # fmt: skip
    return render(request, "insights/insights.html", context)


@login_required
def insights_csv(request, name):
    if name not in TABLES:
        raise Http404("No such table.")
    page = InsightsPage(request)
    table = page.table(name)
    window = page.window
    return csv_download(
        table.csv_rows(), f"insights-{name}-{window.first_day}-to-{window.last_day}.csv"
    )
