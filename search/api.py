"""closecalls' own extension of Close's API: `GET /api/v1/activity/call/search/?query=…`, the
calls that say what was searched for, each with where: its matching utterances and its note's
fragment. The words are matched as on the search page (search/query.py, search/results.py)."""

from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework.exceptions import ParseError
from rest_framework.response import Response

from activities.api import CALL
from activities.models import Call, Transcript
from api import lists
from api.json_schema import array, nullable, number, object_schema, ref, string
from api.registry import Route
from api.representations import Key, Representation
from api.viewsets import CloseViewSet, request_organization
from search.filters import SearchFilter
from search.models import Entry
from search.query import QueryError, parse
from search.results import find_calls

UTTERANCES_PER_TRANSCRIPT = 10


class Given(Key):
    """A key whose value the view puts in each row, under the key's name, before building."""

    def getter(self, request):
        name = self.name
        return lambda row: row[name]


CALL_SEARCH_RESULT = Representation(
    *CALL.keys,
    Given(
        "matching_utterances",
        schema=array(
            ref("UtteranceMatch"),
            description=f"The utterances that match, in the order they were said: at most "
            f"{UTTERANCES_PER_TRANSCRIPT} of each transcript.",
        ),
    ),
    Given(
        "note_fragment",
        schema=nullable(
            string(description="The note around the matched words (HTML), if the note matches.")
        ),
    ),
    name="CallSearchResult",
    description="A call (as `/activity/call/` has it) that says what was searched for, and where.",
)

QUERY_PARAMETER = OpenApiParameter(
    "query",
    str,
    required=True,
    description="The words to find in what was said in calls (their transcripts) and written "
    'in their notes: every word must be there; `"in this order"`; `this or that`; `-word` '
    "leaves out what says it. Other forms of a word count too (priced finds pricing).",
    examples=[OpenApiExample("words", value="pricing")],
)


def _search(request):
    """The request's `query`, parsed; ParseError (400) when missing, empty or too long."""
    try:
        asked = parse(request.query_params.get("query", ""))
    except QueryError as error:
        raise ParseError(f"query: {error}") from None
    if not asked.finds_anything:
        raise ParseError("query must have a word to find (words after - are left out).")
    return asked


def _match(match, request):
    return {
        "transcript": match.kind,
        "start": match.start,
        "end": match.end,
        "speaker_side": match.speaker_side,
        "speaker_label": match.speaker_label,
        "text": match.text,
        "fragment": str(match.fragment),
        "url": request.build_absolute_uri(match.url),
    }


@extend_schema_view(list=extend_schema(parameters=[QUERY_PARAMETER], operation_id="call_search"))
class CallSearchViewSet(CloseViewSet):
    """Calls by the words said in them or written in their notes, best match first (or
    `_order_by=-activity_at`), narrowed by every filter of `/activity/call/` and by
    `speaker_side`. Each comes with its matching utterances and note fragment, the matched
    words in `<mark>` and everything else escaped."""

    queryset = Call.objects.all()
    representation = CALL_SEARCH_RESULT
    filterset_class = SearchFilter
    filter_backends = [DjangoFilterBackend]
    orderings = {"rank": "rank", "activity_at": "activity_at"}
    default_order = "-rank"

    def list(self, request):
        asked = _search(request)
        limit, skip = lists.limit_and_skip(request)
        order = lists.ordering(request, self.orderings, self.default_order)[0]
        calls = self.get_queryset()
        entries = Entry.objects.filter(organization=request_organization(request))
        if request.query_params.keys() & SearchFilter.base_filters.keys():
            filters = SearchFilter(request.query_params, queryset=calls, request=request)
            if not filters.is_valid():
                raise translate_validation(filters.errors)
            entries = filters.narrow(entries)
        results, has_more = find_calls(
            entries,
            asked,
            order=order.removeprefix("-"),
            descending=order.startswith("-"),
            skip=skip,
            limit=limit,
            per_call=UTTERANCES_PER_TRANSCRIPT,
            count=False,  # the API does not say how many more
        )
        plan = self.representation.plan(request, lists.requested_fields(request))
        ids = [result.call_id for result in results]
        rows = {row["id"]: row for row in plan.rows(calls.filter(pk__in=ids))}
        for result in results:
            if result.call_id in rows:  # else deleted since
                row = rows[result.call_id]
                row["matching_utterances"] = [_match(m, request) for m in result.utterances]
                row["note_fragment"] = str(result.note.fragment) if result.note else None
        data = plan.build([rows[call_id] for call_id in ids if call_id in rows])
        return Response({"has_more": has_more, "data": data})


ROUTES = [Route("activity/call/search", CallSearchViewSet, "call-search")]

COMPONENTS = {
    "UtteranceMatch": object_schema(
        {
            "transcript": string(enum=list(Transcript.Kind.values)),
            "start": number(minimum=0, description="Seconds from the start."),
            "end": number(minimum=0),
            "speaker_side": string(enum=list(Transcript.SPEAKER_SIDES)),
            "speaker_label": string(),
            "text": string(),
            "fragment": string(
                description="The text around the matched words, as HTML: the words in <mark>, "
                "everything else escaped."
            ),
            "url": string(
                format="uri",
                description="The transcript page at this moment, playing from `start`.",
            ),
        },
        required=(
            "transcript",
            "start",
            "end",
            "speaker_side",
            "speaker_label",
            "text",
            "fragment",
            "url",
        ),  # fmt: skip
    ),
    "CallSearchResult": CALL_SEARCH_RESULT.schema(),
}
