"""Close's activity report: `POST /api/v1/report/activity/` and its list of metrics.

An `overview` answers one row per day of the report's time zone, a `comparison` one row per
rep, both with the totals; `Accept: text/csv` answers the same rows as CSV. The numbers are the
insights page's (insights/definitions.py, insights/reports.py). Days are the organization's
time zone's unless `x-tz-offset` gives another offset: in hours, as Close documents it (`-4`,
`5.5`); a value beyond ±14 is read as minutes (`-240`).

An organization admin may ask for any rep (`users`) and sees everyone by default; a member sees
their own numbers, and the team's totals in a comparison (accounts/roles.py), as on the page.
"""

import datetime
import math
import zoneinfo

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import roles
from accounts.models import User
from accounts.tenancy import current_membership
from api.dates import parse_close_datetime
from api.json_schema import array, date_time, integer, nullable, number, object_schema, ref, string
from api.registry import Route
from api.renderers import ORJSONRenderer
from core.csv_files import csv_lines
from insights.definitions import (
    DAY,
    METRICS,
    RATIO_METRICS,
    Totals,
    day_start,
    fixed_offset_zone,
    hour_start,
    metric_values,
)
from insights.models import TeamTally
from insights.periods import RELATIVE_RANGES, Window, calendar_days, today_in
from insights.reports import Report, known_reps

MAX_DAYS = 36600  # a hundred years
MAX_OVERVIEW_DAYS = 3660  # rows of an overview


class DateTimeRangeSerializer(serializers.Serializer):
    start = serializers.CharField(help_text="A date-time in ISO 8601, or a date (its midnight).")
    end = serializers.CharField(help_text="Excluded: the report counts calls before it.")

    def validate(self, data):
        for key in ("start", "end"):
            try:
                parse_close_datetime(data[key])
            except (ValueError, OverflowError):
                message = "Enter a date (2026-11-24) or a date-time in ISO 8601."
                raise serializers.ValidationError({key: message}) from None
        return data


class ActivityReportSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["overview", "comparison"])
    metrics = serializers.ListField(
        child=serializers.CharField(),
        min_length=1,
        help_text="Names from /report/activity/metrics/.",
    )
    users = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="User ids; default: everyone."
    )
    datetime_range = DateTimeRangeSerializer(required=False)
    relative_range = serializers.ChoiceField(choices=RELATIVE_RANGES, required=False)
    query = serializers.JSONField(required=False, help_text="Not supported: a 400 if given.")

    def validate_metrics(self, metrics):
        unknown = [name for name in metrics if name not in METRICS]
        if unknown:
            raise serializers.ValidationError(
                f"Unknown metric: {', '.join(unknown)}. /api/v1/report/activity/metrics/ lists "
                "the metrics served."
            )
        return list(dict.fromkeys(metrics))

    def validate_query(self, query):
        raise serializers.ValidationError("Saved searches are not supported.")

    def validate(self, data):
        if ("datetime_range" in data) == ("relative_range" in data):
            raise serializers.ValidationError(
                "Give exactly one of datetime_range and relative_range."
            )
        return data


def request_zone(request, organization):
    """The report's time zone: the organization's, or the offset `x-tz-offset` gives."""
    header = request.headers.get("x-tz-offset", "").strip()
    if not header:
        try:
            return zoneinfo.ZoneInfo(organization.time_zone)
        except (ValueError, zoneinfo.ZoneInfoNotFoundError):
            return zoneinfo.ZoneInfo("UTC")
    try:
        value = float(header)
    except ValueError:
        value = math.nan
    minutes = value * 60 if abs(value) <= 14 else value
    if not math.isfinite(minutes) or minutes % 15 or abs(minutes) > 14 * 60:
        raise exceptions.ParseError(
            "x-tz-offset: give the hours from UTC, such as -4 or 5.5 (or minutes, such as -240)."
        )
    return fixed_offset_zone(int(minutes))


def _window(data, organization, zone):
    if "datetime_range" in data:
        bounds = []
        for key in ("start", "end"):
            text = data["datetime_range"][key].strip()
            if len(text) == 10:  # a plain date: its midnight in the report's zone
                bounds.append(day_start(parse_close_datetime(text).date(), zone))
            else:
                bounds.append(parse_close_datetime(text))
        start, end = bounds
        if start >= end:
            raise serializers.ValidationError({"datetime_range": "end must come after start."})
        window = Window(start, end, zone)
    elif data["relative_range"] == "all-time":
        window = Window.of_days(*_all_time(organization, zone), zone)
    else:
        window = Window.of_days(*calendar_days(data["relative_range"], today_in(zone)), zone)
    days = (window.end - window.start) / DAY
    if days > MAX_DAYS or (data["type"] == "overview" and days > MAX_OVERVIEW_DAYS):
        limit = MAX_OVERVIEW_DAYS if data["type"] == "overview" else MAX_DAYS
        raise serializers.ValidationError(
            {"datetime_range": f"A {data['type']} covers at most {limit} days."}
        )
    return window


def _all_time(organization, zone):
    """The first and last days with calls (today if later), in `zone`."""
    today = today_in(zone)
    hours = TeamTally.objects.filter(organization=organization).order_by("start")
    first = hours.values_list("start", flat=True).first()
    if first is None:
        return today, today
    last = hours.reverse().values_list("start", flat=True).first()
    end_of_last = hour_start(last + 1) - datetime.timedelta(microseconds=1)
    return (
        min(hour_start(first).astimezone(zone).date(), today),
        max(end_of_last.astimezone(zone).date(), today),
    )


class ReportCsvRenderer(BaseRenderer):
    """A report as CSV: a header, then one line per row of `data` (core/csv_files.py)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        view = renderer_context["view"]
        rows, key, metrics = data["data"], view.row_key, view.metrics
        lines = [[key, *metrics]] + [[row[key], *(row[m] for m in metrics)] for row in rows]
        return "".join(csv_lines(lines)).encode()


def _metric_schema(name):
    if name in RATIO_METRICS:
        return nullable(number(description=METRICS[name][0]))
    return integer(minimum=0, description=METRICS[name][0])


METRIC_PROPERTIES = {name: _metric_schema(name) for name in METRICS}
REPORT = object_schema(
    {
        "aggregations": object_schema(
            {"totals": object_schema(METRIC_PROPERTIES, required=())}, required=("totals",)
        ),
        "data": array(
            object_schema(
                {
                    "datetime": date_time(
                        description="overview: the first instant of the day, in the report's "
                        "time zone."
                    ),
                    "user_id": nullable(
                        string(description="comparison: the rep; null for calls without one.")
                    ),
                    **METRIC_PROPERTIES,
                },
                required=(),
            )
        ),
    },
    required=("aggregations", "data"),
    description="The metrics asked for: per day (overview) or per rep (comparison), and in all.",
)
TZ_OFFSET = OpenApiParameter(
    "x-tz-offset",
    str,
    location=OpenApiParameter.HEADER,
    description="The report's offset from UTC in hours (-4, 5.5); default: the organization's "
    "time zone.",
)


class ActivityReportView(APIView):
    """Close's activity report of calls, per day (`overview`) or per rep (`comparison`)."""

    renderer_classes = [ORJSONRenderer, ReportCsvRenderer]

    @extend_schema(
        request=ActivityReportSerializer,
        parameters=[TZ_OFFSET],
        responses={
            (200, "application/json"): OpenApiResponse(ref("ActivityReport")),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR),
        },
    )
    def post(self, request):
        serializer = ActivityReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        membership = current_membership(request)
        organization = membership.organization
        window = _window(data, organization, request_zone(request, organization))
        sees_team = roles.can_see_team_insights(membership)
        users = data.get("users") or None  # none named: everyone
        if users is not None:
            users = list(dict.fromkeys(users))
            known = set(
                User.objects.filter(memberships__organization=organization, pk__in=users)
                .values_list("pk", flat=True)
            )  # fmt: skip
            if set(users) - known:
                raise serializers.ValidationError({"users": "Object does not exist."})
            if not sees_team and set(users) != {membership.user_id}:
                roles.require(roles.can_see_team_insights, membership)
        if not sees_team:
            users = [membership.user_id]
        report = Report(organization, window, reps=users)
        if data["type"] == "overview":
            rows, totals = self._overview(report, data["metrics"])
        else:
            rows, totals = self._comparison(report, data["metrics"], users, organization)
            if not sees_team:
                totals = Report(organization, window).by_rep(outcomes=False).values()
        total = Totals()
        for part in totals:
            total.merge(part)
        self.row_key = "datetime" if data["type"] == "overview" else "user_id"
        self.metrics = data["metrics"]
        return Response(
            {"aggregations": {"totals": metric_values(total, data["metrics"])}, "data": rows}
        )

    def _overview(self, report, metrics):
        by_day = report.by_day()
        zone = report.window.zone
        rows = [
            {"datetime": day_start(day, zone).astimezone(zone).isoformat(),
             **metric_values(totals, metrics)}
            for day, totals in by_day.items()
        ]  # fmt: skip
        return rows, by_day.values()

    def _comparison(self, report, metrics, users, organization):
        """One row per rep: those named, else every member and whoever else has calls (the
        calls without a rep as `user_id` null)."""
        if users is None:
            members = list(
                User.objects.filter(memberships__organization=organization)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            by_rep, _ = known_reps(report.by_rep(outcomes=False), members)
            reps = list(dict.fromkeys([*members, *sorted(by_rep)]))
        else:
            by_rep, reps = report.by_rep(outcomes=False), users
        rows = [
            {"user_id": rep or None, **metric_values(by_rep.get(rep, Totals()), metrics)}
            for rep in reps
        ]
        return rows, [by_rep.get(rep, Totals()) for rep in reps]

    def handle_exception(self, exc):
        """Errors answer in JSON (Close's shapes), whatever the request accepts."""
        self.request.accepted_renderer = ORJSONRenderer()
        self.request.accepted_media_type = ORJSONRenderer.media_type
        return super().handle_exception(exc)


class ActivityMetricsView(APIView):
    """The metrics the activity report serves."""

    @extend_schema(responses=OpenApiResponse(ref("ActivityMetrics")))
    def get(self, request):
        return Response({"data": list(METRICS)})


ROUTES = [
    Route("report/activity/metrics", ActivityMetricsView, "report_activity_metrics"),
    Route("report/activity", ActivityReportView, "report_activity"),
]

COMPONENTS = {
    "ActivityReport": REPORT,
    "ActivityMetrics": object_schema(
        {
            "data": array(
                string(enum=list(METRICS)),
                description="; ".join(f"`{name}`: {text}" for name, (text, _) in METRICS.items()),
            )
        },
        required=("data",),
    ),
}
