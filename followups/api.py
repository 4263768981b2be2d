"""Close's task API, the part a call log keeps: `/api/v1/task/`, and the lead's `tasks` key.

Days are counted in the caller's zone (`api.dates.caller_zone`): Close's `x-tz-offset` header
(hours), else the caller's own time zone. It decides which tasks are overdue (`view`), what
`date__…` filters compare with, where a timed task's day is when ordering by `date`, and
what "today" is for a task created without a date.
"""

from functools import partial

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.response import Response

from accounts import roles
from accounts.tenancy import current_membership, current_organization
from api.dates import TZ_OFFSET_HEADER, caller_zone, format_close_datetime
from api.json_schema import array, boolean, choices, nullable, ref, string
from api.registry import Route
from api.representations import (
    USER_ID,
    Column,
    Computed,
    Loaded,
    Representation,
    authorship,
    none_if_blank,
    user_name,
)
from api.viewsets import CloseModelViewSet
from followups import services
from followups.days import start_of, today_in
from followups.filters import TaskFilter
from followups.models import DAY_ORDER, ONE_DAY, Task
from followups.serializers import TaskBulkUpdateSerializer, TaskSerializer, TaskUpdateSerializer


class CallerDay:
    """Where the caller's today ends, read once per request, for the `view` of each task."""

    def __init__(self, request):
        zone = caller_zone(request)
        self.today = today_in(zone)
        self.tomorrow_starts = start_of(self.today + ONE_DAY, zone)

    @classmethod
    def of(cls, request):
        if not hasattr(request, "_caller_day"):
            request._caller_day = cls(request)
        return request._caller_day

    def view(self, row):
        if row["is_complete"]:
            return Task.View.ARCHIVE
        if row["due_at"] is not None:
            due = row["due_at"] < self.tomorrow_starts
        else:
            due = row["date"] is None or row["date"] <= self.today
        return Task.View.INBOX if due else Task.View.FUTURE


def _date(row, request):
    if row["due_at"] is not None:
        return format_close_datetime(row["due_at"])
    return row["date"].isoformat() if row["date"] is not None else None


def _due_date(row, request):
    date = _date(row, request)
    return date[:10] if date is not None else None


DATE_COLUMNS = ("date", "due_at")
DATE_DESCRIPTION = (
    "A date (due that day, `2026-12-02`) or a date-time (due at that moment); null when dateless."
)

TASK = Representation(
    Column("id", schema=string(example="task_5bWkWq0UfXJo7O3RlmKT0X")),
    Column("_type", "type", schema=choices(Task.Type.choices)),
    Column("organization_id"),
    Column("lead_id"),
    Column("lead_name", "lead__name"),
    Column("contact_id", schema=nullable(string())),
    Column("contact_name", "contact__name", convert=none_if_blank, schema=nullable(string())),
    Column("assigned_to", "assigned_to_id", schema=USER_ID),
    user_name("assigned_to_name", "assigned_to"),
    Column("text"),
    Computed("date", DATE_COLUMNS, _date, schema=nullable(string(description=DATE_DESCRIPTION))),
    Computed(
        "due_date",
        DATE_COLUMNS,
        _due_date,
        schema=nullable(string(format="date", description="Deprecated: the date's day.")),
    ),
    Computed(
        "is_dateless",
        DATE_COLUMNS,
        lambda row, request: row["date"] is None and row["due_at"] is None,
        schema=boolean(),
    ),
    Column("is_complete", schema=boolean()),
    Computed(
        "view",
        (*DATE_COLUMNS, "is_complete"),
        lambda row, request: CallerDay.of(request).view(row),
        schema=choices(
            Task.View.choices,
            description="inbox: due by the end of today in the caller's zone, or dateless; "
            "future: later; archive: complete.",
        ),
    ),
    Column(
        "object_type",
        convert=none_if_blank,
        schema=nullable(string(description="`call` for the task a call left.")),
    ),
    Column("object_id", convert=none_if_blank, schema=nullable(string())),
    *authorship(),
    name="Task",
    description="A follow-up: something to do about a lead, by a day or a moment.",
)


def _load_lead_tasks(leads, names, request):
    """Fill in the incomplete tasks of a page of leads, in one query, soonest first."""
    by_id = {lead["id"]: lead for lead in leads}
    for lead in leads:
        lead["tasks"] = []
    plan = TASK.plan(request)
    tasks = (
        Task.objects.filter(lead_id__in=by_id, is_complete=False)
        .in_day_order(caller_zone(request))
        .order_by(*DAY_ORDER, "id")
    )
    for task in plan.build(plan.rows(tasks)):
        by_id[task["lead_id"]]["tasks"].append(task)


# The lead object's `tasks` (settings.LEAD_API_KEYS, read by leads/api.py).
LEAD_TASKS = Loaded(
    "tasks",
    _load_lead_tasks,
    schema=array(ref("Task"), description="Its incomplete tasks, soonest first."),
)

TZ_OFFSET = OpenApiParameter(
    TZ_OFFSET_HEADER,
    float,
    OpenApiParameter.HEADER,
    description="Your offset from UTC in hours (`-4`, `5.5`): the days `view`, `date__…`, the "
    "order by `date` and a new task's default date are counted in. Default: your own time zone.",
)


@extend_schema_view(
    **{
        action: extend_schema(parameters=[TZ_OFFSET])
        for action in ("list", "create", "retrieve", "update", "partial_update", "bulk_update")
    }
)
class TaskViewSet(CloseModelViewSet):
    """Follow-up tasks: list, get, create (`lead` and `outgoing_call` tasks; the others come
    from calls), update (partial PUT), delete, and update every task the filters find (PUT on
    the list). The list has only `lead` tasks unless `_type` (a type, or `all`) or `_type__in`
    asks for others, as in Close. Anyone in the organization creates tasks, for anyone in it;
    only the assignee, whoever created a task, or an organization admin changes or deletes it.
    """

    queryset = Task.objects.all()
    representation = TASK
    filterset_class = TaskFilter
    orderings = {"date": DAY_ORDER, "date_created": "date_created"}

    def get_serializer_class(self):
        if self.action == "create":
            return TaskSerializer
        if self.action == "bulk_update":
            return TaskBulkUpdateSerializer
        return TaskUpdateSerializer

    def get_object(self):
        """The task to update or delete, once found (404 first), if the caller may change it."""
        task = super().get_object()
        roles.require(roles.can_change_task, current_membership(self.request), task)
        return task

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action == "list":
            queryset = queryset.in_day_order(caller_zone(self.request))
        return queryset

    def perform_create(self, serializer):
        fields = dict(serializer.validated_data)
        if "date" not in fields:
            fields["date"] = today_in(caller_zone(self.request))
        fields.setdefault("assigned_to", self.request.user)
        return services.task_create(
            organization=current_organization(self.request),
            created_by=self.request.user,
            fields=fields,
        )

    def perform_update(self, serializer):
        services.task_update(
            serializer.instance, updated_by=self.request.user, fields=serializer.validated_data
        )

    def perform_destroy(self, task):
        services.task_delete(task, deleted_by=self.request.user)

    def bulk_update(self, request):
        """Apply the body to every task the filters find; answer how many there were. Nothing
        is changed if the caller may not change one of them."""
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        count = services.tasks_update(
            self.filter_queryset(self.get_queryset()),
            updated_by=request.user,
            fields=serializer.validated_data,
            check=partial(roles.require, roles.can_change_task, current_membership(request)),
        )
        return Response({"count": count})


ROUTES = [Route("task", TaskViewSet, "task")]

COMPONENTS = {"Task": TASK.schema()}
