"""What the benchmark asks of the server: one request per scenario, repeated under load.

A scenario's path and body are built from the dataset's fixtures (ids of the hot lead, the rep,
...). The first two are also served by the references (the floor and the usual way), under the
same path. `indexed` scenarios are the ones whose cost should not grow with the number of calls.
"""

import os
from dataclasses import dataclass, field
from urllib.parse import quote, quote_plus

CALLS = "/api/v1/activity/call/"
# What the search scenarios look for (bench/dataset.py makes the transcripts say them): two
# words said together in about a thousand utterances at 1M calls, and a word said four times.
SEARCH_WORDS = "fleet budget"
SEARCH_RARE = "zeppelin"
SEARCH_PAGE = "/search/?q="
SEARCH_API = "/api/v1/activity/call/search/?query="
# Singer's tap-closeio reads leads changed since its bookmark, oldest first (leads/query.py).
LEAD_STREAM = "/api/v1/lead/?query=" + quote('date_updated>="2000-01-01T00:00" sort:date_updated')

NOTE_HTML = (
    "<h2>Discovery call</h2><p>Spoke with the <strong>VP of Sales</strong> about replacing "
    "their spreadsheet. They have <em>40 reps</em> in two offices and review calls weekly.</p>"
    "<ul><li>Send the pricing sheet</li><li>Book a demo with their manager</li>"
    '<li>Ask about the dialer</li></ul><p>Deck: <a href="https://example.com/deck" '
    'onclick="steal()">example.com/deck</a></p><script>alert("x")</script>'
    "<blockquote>We decide after the board meeting in March.</blockquote>"
)

REPORT_METRICS = [
    "calls.all.all.count", "calls.outbound.all.count", "calls.inbound.all.count",
    "calls.all.connected.count", "calls.outbound.all.connect_rate",
    "calls.all.connected.sum_duration", "calls.all.connected.avg_duration",
    "calls.all.vm_left.count",
]  # fmt: skip


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    path: str  # a str.format template over the fixtures
    method: str = "GET"
    # "api": Basic with the rep's API key; "session": the signed-in rep's cookie; "admin_api",
    # "admin_session": the same for the organization's admin (a manager, who sees the team).
    auth: str = "api"
    references: bool = False
    indexed: bool = True
    body: dict = field(default=None, hash=False)
    # Another path whose query count must equal this one's (a lead with fewer calls).
    same_queries_as: str = None
    # The SQL statements an API read needs, none a COUNT: the key and the page, and the
    # contacts nested in a page of leads.
    queries: int = 2
    # A POST that only reads (a report): measured with the reads, its queries explained.
    read_only: bool = False
    # How many times slower it may be at the largest size than at the smallest (`indexed` ones).
    growth_limit: float = 1.3

    @property
    def writes(self):
        return self.method != "GET" and not self.read_only

    def url(self, fixtures):
        return self.path.format(**fixtures)

    def json_body(self, fixtures):
        if self.body is None:
            return None
        return _filled(self.body, fixtures)


SCENARIOS = [
    Scenario(
        "lead_calls",
        "calls of one lead (50 calls)",
        CALLS + "?lead_id={hot_lead_id}",
        references=True,
    ),
    Scenario(
        "org_newest",
        "newest 100 calls of the organization",
        CALLS + "?_limit=100",
        references=True,
    ),
    Scenario(
        "rep_range",
        "one rep's calls in a 60-day range",
        # What a rep's report asks for: when the calls happened, in the default -activity_at
        # order, which index call_org_user serves (a date_created range would sort the range).
        CALLS + "?user_id={rep_id}&activity_at__gte={range_start}&activity_at__lt={range_end}",
    ),
    Scenario(
        "deep_page",
        "organization list at _skip=100000",
        CALLS + "?_skip=100000&_limit=100",
        indexed=False,
    ),
    Scenario("lead_stream", "leads changed since a date, oldest first", LEAD_STREAM, queries=3),
    Scenario(
        "lead_stream_deep",
        "leads changed since a date, at _skip=10000",
        LEAD_STREAM + "&_skip=10000",
        indexed=False,
        queries=3,
    ),
    Scenario(
        "lead_transcripts",
        "calls of one lead with _fields=recording_transcript",
        CALLS + "?lead_id={hot_lead_id}&_fields=recording_transcript",
    ),
    Scenario(
        "lead_page",
        "lead page (timeline HTML)",
        "/leads/{hot_lead_id}/",
        auth="session",
        same_queries_as="/leads/{quiet_lead_id}/",
    ),
    Scenario(
        "lead_search",
        "leads search by phone digits",
        "/leads/?q={search_digits}",
        auth="session",
        indexed=False,
    ),
    # All calls, the team's (a member's default is their own): newest first, and a page the
    # older links reach CALLS_DEEP calls down (a cursor, not an offset: as fast as the first).
    Scenario("calls_page", "all calls page (HTML, 50 calls)", "/calls/?user_id=", auth="session"),
    Scenario(
        "calls_page_deep",
        "all calls page, 100,000 calls deep",
        "/calls/?user_id=&before={calls_deep_cursor}",
        auth="session",
    ),
    Scenario(
        "home_page",
        "the rep's home (a full follow-up inbox, recent leads)",
        "/",
        auth="session",
    ),
    Scenario(
        "search_page",
        f"search page: {SEARCH_WORDS!r}, ~1,000 utterances at 1M calls",
        SEARCH_PAGE + quote_plus(SEARCH_WORDS),
        auth="session",
        indexed=False,
    ),
    Scenario(
        "search_page_rare",
        f"search page: {SEARCH_RARE!r}, a rare word",
        SEARCH_PAGE + SEARCH_RARE,
        auth="session",
        indexed=False,
    ),
    # The API key, the page of calls, their matching utterances, the calls as the API has them.
    Scenario(
        "search_api",
        f"search API: {SEARCH_WORDS!r}, ~1,000 utterances at 1M calls",
        SEARCH_API + quote_plus(SEARCH_WORDS),
        indexed=False,
        queries=4,
    ),
    Scenario(
        "search_api_rare",
        f"search API: {SEARCH_RARE!r}, a rare word",
        SEARCH_API + SEARCH_RARE,
        indexed=False,
        queries=4,
    ),
    Scenario(
        "transcript_page",
        "transcript page",
        "/calls/{transcript_call_id}/transcript/",
        auth="session",
    ),
    Scenario(
        "insights_page",
        "insights page: the whole team, 90 days",
        "/insights/?period=custom&start={insights_first_day}&end={insights_last_day}",
        auth="admin_session",
        growth_limit=1.5,
    ),
    Scenario(
        "report_activity",
        "activity report: comparison of every rep, 90 days (POST)",
        "/api/v1/report/activity/",
        method="POST",
        auth="admin_api",
        read_only=True,
        queries=3,  # the key, the members, the tallies
        growth_limit=1.5,
        body={
            "type": "comparison",
            "metrics": REPORT_METRICS,
            "datetime_range": {"start": "{insights_first_day}", "end": "{insights_end_day}"},
        },
    ),
    # Last: the calls it logs on the sink lead are deleted before the next run.
    Scenario(
        "create_call",
        "create a call with a rich-text note (POST)",
        CALLS,
        method="POST",
        body={
            "lead_id": "{sink_lead_id}",
            "contact_id": "{sink_contact_id}",
            "direction": "outbound",
            "status": "completed",
            "call_method": "regular",
            "duration": 312,
            "cost": "1.5",
            "phone": "+16505550123",
            "outcome_id": "{outcome_id}",
            "note_html": NOTE_HTML,
        },
    ),
]

DEPTHS = [0, 1_000, 10_000, 100_000, 500_000]
# How deep the deep page of all calls is (less where the organization has fewer calls).
CALLS_DEEP = 100_000


def depth_scenarios(organization_calls):
    """The organization list at each `_skip` depth the organization's calls reach (none when
    BENCH_SCENARIOS leaves the curve out)."""
    if not chosen()[1]:
        return []
    return [
        Scenario(
            f"depth_{depth}", f"_skip={depth}", CALLS + f"?_skip={depth}&_limit=100", indexed=False
        )
        for depth in DEPTHS
        if depth < organization_calls
    ]


def chosen():
    """The scenarios to run: all, or those BENCH_SCENARIOS names (comma-separated; `depth` for
    the curve of `_skip` depths)."""
    names = {name.strip() for name in os.environ.get("BENCH_SCENARIOS", "").split(",")}
    names.discard("")
    if not names:
        return SCENARIOS, True
    unknown = names - {scenario.name for scenario in SCENARIOS} - {"depth"}
    if unknown:
        raise SystemExit(f"bench: no scenario named {', '.join(sorted(unknown))}")
    return [scenario for scenario in SCENARIOS if scenario.name in names], "depth" in names


def _filled(value, fixtures):
    """`value` with the fixtures formatted into its strings, nested ones too."""
    if isinstance(value, str):
        return value.format(**fixtures)
    if isinstance(value, dict):
        return {key: _filled(item, fixtures) for key, item in value.items()}
    if isinstance(value, list):
        return [_filled(item, fixtures) for item in value]
    return value
