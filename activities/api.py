"""Close's call API: `/api/v1/activity/call/`, `/api/v1/activity/` and `/api/v1/outcome/`."""

from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import NullIf
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status

from accounts import roles
from accounts.tenancy import current_membership, current_organization
from activities import services
from activities.costs import format_cost
from activities.filters import CallFilter
from activities.models import Call, Outcome, Transcript
from activities.serializers import CallSerializer, CallUpdateSerializer, OutcomeSerializer
from api import page_queries
from api.database_json import Joined, PerRequest
from api.json_schema import (
    array,
    boolean,
    choices,
    integer,
    nullable,
    number,
    object_schema,
    ref,
    string,
)
from api.registry import Route
from api.representations import (
    USER_ID,
    Column,
    Computed,
    Constant,
    DateTime,
    Representation,
    Selected,
    authorship,
    none_if_blank,
    user_name,
)
from api.viewsets import CloseModelViewSet, CloseViewSet, ListMixin
from core.expressions import JSONObject
from leads.phones import format_phone


def _audio_url(kind):
    """The `recording_url`/`voicemail_url` key: where `Call.audio_link` says it is heard."""
    file_column, url_column = f"{kind}_file", f"{kind}_url"

    def build(row, request):
        if not (row[file_column] or row[url_column]):
            return None
        call = Call(id=row["id"], **{file_column: row[file_column], url_column: row[url_column]})
        link = call.audio_link(kind)
        return request.build_absolute_uri(link) if link.startswith("/") else link

    def link_around_id(request):
        """The audio view's absolute URL, split where the call's id goes."""
        link = request.build_absolute_uri(reverse("activities:call_audio", args=["-id-", kind]))
        return link.split("-id-")

    def sql(model):
        """The same in the database."""
        before = PerRequest(lambda request: link_around_id(request)[0])
        after = PerRequest(lambda request: link_around_id(request)[1])
        return Case(
            When(~Q(**{file_column: ""}), then=Joined(before, F("id"), after)),
            default=NullIf(F(url_column), Value("")),
            output_field=TextField(),
        )

    return Computed(
        f"{kind}_url",
        ("id", file_column, url_column),
        build,
        sql=sql,
        schema=nullable(string(format="uri")),
    )


def _transcript(name):
    """The call's transcript named `name` as Close shows it, or null, read in the page's query."""
    transcript = Transcript.objects.filter(
        call=OuterRef("pk"), kind=services.TRANSCRIPT_FIELDS[name]
    ).values(as_api=JSONObject(**{field: field for field in Transcript.API_FIELDS}))
    return Selected(name, Subquery(transcript[:1]), opt_in=True, schema=nullable(ref("Transcript")))


def _nullable_text(**extra):
    return nullable(string(**extra))


def _cost_as_text(cost):
    """`format_cost` done by PostgreSQL: the decimal without trailing zeros, as text."""
    return Func(Func(cost, function="trim_scale"), template="(%(expressions)s)::text")


CALL = Representation(
    Column("id", schema=string(example="acti_3kTbnIe2UcMCKbFVrTdyu8")),
    Constant("_type", "Call", schema=string(enum=["Call"])),
    Column("organization_id"),
    Column("lead_id"),
    Column("contact_id", schema=_nullable_text()),
    Column("user_id", schema=USER_ID),
    user_name("user_name", "user"),
    *authorship(),
    DateTime("activity_at"),
    DateTime("date_answered", null=True),
    Column("direction", schema=choices(Call.Direction.choices)),
    Column("status", schema=choices(Call.Status.choices)),
    Column(
        "disposition", convert=none_if_blank, schema=nullable(choices(Call.Disposition.choices))
    ),
    Column("call_method", schema=choices(Call.Method.choices)),
    Column("source", schema=choices(Call.Source.choices)),
    Column("duration", schema=integer(minimum=0, description="Seconds.")),
    Column(
        "cost",
        convert=format_cost,
        sql=_cost_as_text,
        schema=_nullable_text(description="US cents, a decimal: `2.5`."),
    ),
    Column("phone", convert=none_if_blank, schema=_nullable_text(description="E.164.")),
    Column("remote_phone", "phone", convert=none_if_blank, schema=_nullable_text()),
    Column(
        "remote_phone_formatted",
        "phone",
        convert=lambda phone: format_phone(phone) or None,
        schema=_nullable_text(),
    ),
    Column("local_phone", convert=none_if_blank, schema=_nullable_text()),
    _audio_url("recording"),
    Computed(
        "has_recording",
        ("recording_file", "recording_url"),
        lambda row, request: bool(row["recording_file"] or row["recording_url"]),
        sql=lambda model: ExpressionWrapper(
            ~Q(recording_file="", recording_url=""), output_field=BooleanField()
        ),
        schema=boolean(),
    ),
    _audio_url("voicemail"),
    Column("voicemail_duration", schema=integer(minimum=0)),
    Column("note", schema=string(description="Plaintext, derived from note_html.")),
    Column("note_html", schema=string(description="Sanitized rich text in <body>…</body>.")),
    Column("outcome_id", schema=_nullable_text()),
    Constant("users", [], schema=array(string())),
    _transcript("recording_transcript"),
    _transcript("voicemail_transcript"),
    name="Call",
    description="A call activity.",
)


class CallReading:
    """What both call lists read: the organization's calls, as Close's Call objects."""

    queryset = Call.objects.all()
    representation = CALL
    filterset_class = CallFilter
    orderings = {"date_created": "date_created", "activity_at": "activity_at"}
    default_order = "-activity_at"

    def filter_queryset(self, queryset):
        """Run the FilterSet only when a filter is asked for; it costs more than the query."""
        if self.request.query_params.keys() & CallFilter.base_filters.keys():
            return super().filter_queryset(queryset)
        return queryset

    def bound_filters(self):
        if self.request.query_params.keys() & CallFilter.base_filters.keys():
            return page_queries.validated_filters(CallFilter, self.request)
        return {}


class CallViewSet(CallReading, CloseModelViewSet):
    """Your organization's calls, newest first: list and filter them, read one, log one, change
    one (a PUT changes only the fields it sends) or delete one. Members change the calls they
    made or logged; an organization admin changes any, and may log one for another rep
    (`user_id`).

    Every write goes through `activities.services`, which applies the note coupling and the
    rules in `Call.clean`; `accounts.roles` decides who may change which call, and who may
    name another rep (`user_id`).
    """

    def get_serializer_class(self):
        return CallSerializer if self.action == "create" else CallUpdateSerializer

    def get_object(self):
        """The call to update or delete, once found (404 first), if the caller may change it."""
        call = super().get_object()
        roles.require(roles.can_change_call, current_membership(self.request), call)
        return call

    def perform_create(self, serializer):
        fields, transcripts = _split_transcripts(serializer.validated_data)
        membership = current_membership(self.request)
        if "user" in fields:
            roles.require(roles.can_set_rep, membership, fields["user"])
        return services.call_create(
            organization=current_organization(self.request),
            created_by=self.request.user,
            fields=fields,
            transcripts=transcripts,
            membership=membership,
        )

    def perform_update(self, serializer):
        fields, transcripts = _split_transcripts(serializer.validated_data)
        if "user" in fields:
            membership = current_membership(self.request)
            roles.require(roles.can_set_rep, membership, fields["user"], serializer.instance)
        services.call_update(
            serializer.instance,
            updated_by=self.request.user,
            fields=fields,
            transcripts=transcripts,
        )

    def perform_destroy(self, call):
        services.call_delete(call, deleted_by=self.request.user)


def _split_transcripts(validated_data):
    fields = dict(validated_data)
    transcripts = {key: fields.pop(key) for key in services.TRANSCRIPT_FIELDS if key in fields}
    return fields, transcripts


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("_type", str, description="An activity type; only `Call` has any."),
            OpenApiParameter("_type__in", str, description="Comma-separated activity types."),
        ]
    )
)
class ActivityViewSet(CallReading, ListMixin, CloseViewSet):
    """Close's list of all activities. Calls are the only kind closecalls keeps, so asking
    for other types (`_type`, `_type__in`) gives an empty list rather than an error."""

    def filter_queryset(self, queryset):
        params = self.request.query_params
        types = {
            name.strip()
            for param in ("_type", "_type__in")
            for name in params.get(param, "").split(",")
            if name.strip()
        }
        if types and "Call" not in types:
            return queryset.none()
        return super().filter_queryset(queryset)

    def bound_filters(self):
        if self.request.query_params.keys() & {"_type", "_type__in"}:
            return None  # the ORM's path reads the types (filter_queryset)
        return super().bound_filters()


OUTCOME = Representation(
    Column("id", schema=string(example="outcome_2RyBEnWcs5g7Ns3uLNTb9v")),
    Column("name"),
    Column("description", schema=_nullable_text()),
    Column("type", schema=choices(Outcome.Type.choices)),
    Column("applies_to", schema=array(string(enum=["calls", "meetings"]))),
    Column("organization_id"),
    Column("created_by", "created_by_id", schema=USER_ID),
    Column("updated_by", "updated_by_id", schema=USER_ID),
    DateTime("date_created"),
    DateTime("date_updated"),
    name="Outcome",
    description="A user-defined result of a connected call.",
)


# A transcript as an object of its own: the event log's `activity.call.transcript` (events/).
CALL_TRANSCRIPT = Representation(
    Column("id", convert=str, schema=string(example="42")),
    Column("call_id"),
    Column("kind", schema=choices(Transcript.Kind.choices)),
    Column("organization_id"),
    Column("utterances", schema=array(ref("Utterance"))),
    Column("summary_text"),
    Column("summary_html"),
    DateTime("date_created"),
    DateTime("date_updated"),
    name="CallTranscript",
    description="A call's recording or voicemail transcript, as the event log shows it.",
)


class OutcomeViewSet(CloseModelViewSet):
    """Outcomes. Every member reads them; only an organization admin creates, changes or deletes
    them. Deleting one hides it but leaves it on the calls that have it."""

    queryset = Outcome.objects.live()
    representation = OUTCOME
    serializer_class = OutcomeSerializer
    create_status = status.HTTP_201_CREATED
    orderings = {"date_created": "date_created", "name": "name"}
    default_order = "name"

    def create(self, request):
        roles.require(roles.can_manage_outcomes, current_membership(request))
        return super().create(request)

    def get_object(self):
        """The outcome to update or delete, once found (404 first), if the caller manages them."""
        outcome = super().get_object()
        roles.require(roles.can_manage_outcomes, current_membership(self.request))
        return outcome

    def perform_create(self, serializer):
        return services.outcome_create(
            organization=current_organization(self.request),
            created_by=self.request.user,
            fields=serializer.validated_data,
        )

    def perform_update(self, serializer):
        services.outcome_update(
            serializer.instance, updated_by=self.request.user, fields=serializer.validated_data
        )

    def perform_destroy(self, outcome):
        services.outcome_delete(outcome, deleted_by=self.request.user)


ROUTES = [
    Route("activity/call", CallViewSet, "call"),  # before activity/{id}, which would match it
    Route("activity", ActivityViewSet, "activity"),
    Route("outcome", OutcomeViewSet, "outcome"),
]

COMPONENTS = {
    "Utterance": object_schema(
        {
            "speaker_label": string(),
            "speaker_side": string(enum=list(Transcript.SPEAKER_SIDES)),
            "start": number(minimum=0, description="Seconds from the start."),
            "end": number(minimum=0),
            "text": string(),
        },
        required=("speaker_label", "speaker_side", "start", "end", "text"),
        closed=False,  # the API stores what else an utterance carries
    ),
    "Transcript": object_schema(
        {
            "utterances": array(ref("Utterance")),
            "summary_text": string(),
            "summary_html": string(),
        },
        required=Transcript.API_FIELDS,
    ),
    "Call": CALL.schema(),
    "CallTranscript": CALL_TRANSCRIPT.schema(),
    "Outcome": OUTCOME.schema(),
}
