"""Finding calls by what was said in them or written in their notes, a page at a time.

`find_calls` groups the matching index rows by call, orders the calls (best match or newest
first) and returns one page of them, each with its matching utterances and note fragment, in
two queries whatever the number of matches: the page of calls, then the rows shown on it with
their fragments. The callers load the calls themselves, as their page or the API shows them.
"""

from dataclasses import dataclass, field

from django.db.models import Count, F, Max, Window
from django.db.models.functions import RowNumber
from django.urls import reverse

from search.backends import backend
from search.models import Entry

# Orders of the calls: by their best-matching row (ties: newest first), or newest first, by
# the rows' copy of their call's time (no call is read before the page is chosen).
ORDERS = {
    "rank": ("rank", "activity_at", "call_id"),
    "activity_at": ("activity_at", "call_id"),
}


@dataclass
class Match:
    """An utterance or a note that says what was searched for."""

    call_id: str
    kind: str
    position: int
    speaker_side: str
    speaker_label: str
    start: float
    end: float
    text: str
    fragment: str  # safe HTML: the text, escaped, the matched words in <mark>
    url: str = None  # an utterance's moment: its transcript page, playing from its start

    @property
    def is_note(self):
        return self.kind == Entry.Kind.NOTE

    @property
    def said_by(self):
        return {"contact": "contact", "close-user": "rep"}.get(self.speaker_side, "")


@dataclass
class CallMatches:
    """A call of the page, with what in it matches: `count` rows in all (0: not counted), some
    of them shown."""

    call_id: str
    rank: float
    count: int
    utterances: list = field(default_factory=list)
    note: Match = None
    call: object = None  # the Call, when the caller loads it

    @property
    def more(self):
        """How many matching utterances are not shown."""
        return max(0, self.count - len(self.utterances) - (self.note is not None))


def find_calls(
    entries, search, *, order="rank", descending=True, skip=0, limit=20, per_call=3, count=True
):
    """Return (the page of CallMatches, whether more calls match) for `search` over `entries`
    (Entry rows, scoped to an organization and filtered). Each call shows at most `per_call`
    matching utterances of each of its transcripts, in the order they were said; with `count`,
    how many rows of each call match in all (else 0)."""
    engine = backend()
    matching = entries.filter(engine.matches(search))
    sign = "-" if descending else ""
    counted = {"count": Count("pk")} if count else {}
    calls = list(
        matching.values("call_id", "activity_at")
        .annotate(rank=Max(engine.rank(search)), **counted)
        .order_by(*(sign + name for name in ORDERS[order]))[skip : skip + limit + 1]
    )
    page = [CallMatches(row["call_id"], row["rank"], row.get("count", 0)) for row in calls[:limit]]
    by_call = {result.call_id: result for result in page}
    if by_call:
        for match in _shown(matching, search, list(by_call), per_call, engine):
            result = by_call[match.call_id]
            if match.is_note:
                result.note = match
            else:
                result.utterances.append(match)
    return page, len(calls) > limit


def moment_url(transcript_page, kind, position, start):
    """The transcript page at an utterance: scrolled to it (its id), playing from `start`."""
    return f"{transcript_page}?t={round(start, 2)}#{kind}-{position}"


def _shown(matching, search, call_ids, per_call, engine):
    """The matching rows of `call_ids` to show, with their fragments, in transcript order."""
    place = Window(RowNumber(), partition_by=[F("call_id"), F("kind")], order_by="position")
    shown = (
        matching.filter(call_id__in=call_ids)
        .annotate(place=place)
        .filter(place__lte=per_call)
        .values("pk")
    )
    rows = (
        Entry.objects.filter(pk__in=shown)
        .annotate(fragment=engine.fragment(search))
        .order_by("call_id", "kind", "position")
        .values(
            "call_id",
            "kind",
            "position",
            "speaker_side",
            "speaker_label",
            "start",
            "end",
            "text",
            "fragment",
        )  # fmt: skip
    )
    before, after = reverse("activities:call_transcript", args=["__id__"]).split("__id__")
    for row in rows:
        row["fragment"] = engine.fragment_html(row["fragment"])
        match = Match(**row)
        if not match.is_note:
            page = f"{before}{match.call_id}{after}"
            match.url = moment_url(page, match.kind, match.position, match.start)
        yield match
