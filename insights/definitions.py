"""What the numbers mean: the one module the insights page, the activity report API and their
CSV files all take their definitions from.

- A call counts once, on the day and hour of its `activity_at` in the report's time zone (the
  organization's; the API's `x-tz-offset` shifts it; a signed-in user sees their own zone). A day
  is the local calendar day, so a day on which the clocks change has 23 or 25 hours.
- **connected**: disposition `answered`. **voicemail left**: `vm-left`.
- **talk time**: the sum of `duration` over connected calls. **average call length**: talk time
  ÷ connected calls.
- **connect rate**: connected outbound calls ÷ outbound calls; None when there were none.
- **outcome mix**: calls per outcome, "no outcome" for the calls without one, and calls per
  disposition.

A call adds `call_sums()` to a handful of sums (`SUM_COLUMNS`): its count under its direction
and disposition, its duration, and its duration again as talk time when it connected. The
tallies keep those sums per rep and hour (insights/tallies.py); a report adds them up into
`Totals`, whose properties are the definitions above, and the API's metrics (`METRICS`) and the
page's columns are read from those properties.
"""

import datetime

from activities.models import Call

UTC = datetime.UTC
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=UTC)
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)

DIRECTIONS = tuple(Call.Direction.values)
DISPOSITIONS = tuple(Call.Disposition.values)
DISPOSITION_LABELS = dict(Call.Disposition.choices)
CONNECTED = Call.Disposition.ANSWERED
VOICEMAIL_LEFT = Call.Disposition.VM_LEFT
NO_OUTCOME = ""  # how "no outcome" is keyed among the outcomes


def count_column(direction, disposition):
    return f"{direction}_{disposition.replace('-', '_')}"


def duration_column(direction):
    return f"{direction}_duration"


def talk_time_column(direction):
    return f"{direction}_talk_time"


COUNT_COLUMNS = tuple(count_column(d, x) for d in DIRECTIONS for x in DISPOSITIONS)
DURATION_COLUMNS = tuple(duration_column(d) for d in DIRECTIONS)
TALK_TIME_COLUMNS = tuple(talk_time_column(d) for d in DIRECTIONS)
SUM_COLUMNS = COUNT_COLUMNS + DURATION_COLUMNS + TALK_TIME_COLUMNS


def call_sums(direction, disposition, duration, calls=1):
    """Return what a call adds to each of the SUM_COLUMNS it counts in (or `calls` calls of
    that direction and disposition, of `duration` seconds between them)."""
    sums = {count_column(direction, disposition): calls, duration_column(direction): duration}
    if disposition == CONNECTED:
        sums[talk_time_column(direction)] = duration
    return sums


def ratio(numerator, denominator):
    """numerator ÷ denominator, or None when there is nothing to divide by."""
    return numerator / denominator if denominator else None


class Totals:
    """The sums of a set of calls (a rep's, a day's, the team's), and what they mean.

    `sums` holds every SUM_COLUMNS value; `outcomes` the calls per outcome id, for the calls
    that have one.
    """

    __slots__ = ("sums", "outcomes")

    def __init__(self, sums=None, outcomes=None):
        self.sums = dict.fromkeys(SUM_COLUMNS, 0)
        if sums:
            self.add(sums)
        self.outcomes = dict(outcomes or {})

    def add(self, sums):
        """Add `sums` ({column: value}, or a sequence in SUM_COLUMNS order) to these."""
        mine = self.sums
        if isinstance(sums, dict):
            for column, value in sums.items():
                mine[column] += value
        else:
            for column, value in zip(SUM_COLUMNS, sums, strict=True):
                mine[column] += value
        return self

    def add_outcome(self, outcome_id, calls):
        self.outcomes[outcome_id] = self.outcomes.get(outcome_id, 0) + calls

    def merge(self, other):
        self.add(other.sums)
        for outcome_id, calls in other.outcomes.items():
            self.add_outcome(outcome_id, calls)
        return self

    def count(self, direction=None, disposition=None):
        """Calls of `direction` and `disposition` (None: any)."""
        directions = DIRECTIONS if direction is None else (direction,)
        dispositions = DISPOSITIONS if disposition is None else (disposition,)
        sums = self.sums
        return sum(sums[count_column(d, x)] for d in directions for x in dispositions)

    def duration(self, direction=None):
        directions = DIRECTIONS if direction is None else (direction,)
        return sum(self.sums[duration_column(d)] for d in directions)

    def talk_time(self, direction=None):
        directions = DIRECTIONS if direction is None else (direction,)
        return sum(self.sums[talk_time_column(d)] for d in directions)

    def connected(self, direction=None):
        return self.count(direction, CONNECTED)

    @property
    def calls(self):
        return self.count()

    @property
    def calls_out(self):
        return self.count(Call.Direction.OUTBOUND)

    @property
    def calls_in(self):
        return self.count(Call.Direction.INBOUND)

    @property
    def connected_calls(self):
        return self.connected()

    @property
    def connected_out(self):
        return self.connected(Call.Direction.OUTBOUND)

    @property
    def connect_rate(self):
        """Connected outbound ÷ outbound; None when there was no outbound call."""
        return ratio(self.connected_out, self.calls_out)

    @property
    def total_talk_time(self):
        return self.talk_time()

    @property
    def average_call_length(self):
        """Talk time ÷ connected calls, in seconds; None when none connected."""
        return ratio(self.talk_time(), self.connected())

    @property
    def voicemails_left(self):
        return self.count(disposition=VOICEMAIL_LEFT)

    def by_disposition(self):
        """{disposition: calls}, every disposition."""
        return {disposition: self.count(disposition=disposition) for disposition in DISPOSITIONS}

    def outcome_mix(self):
        """{outcome id: calls}, with NO_OUTCOME for the calls without one."""
        with_outcome = sum(self.outcomes.values())
        return {**self.outcomes, NO_OUTCOME: self.calls - with_outcome}


def _metrics():
    """Close's call metrics where Close has them, ours in the same
    `calls.<direction>.<subset>.<aggregate>` pattern: {name: (description, value of Totals)}."""
    metrics = {}
    for scope in ("all", *DIRECTIONS):
        direction = None if scope == "all" else scope
        calls = "calls" if direction is None else f"{direction} calls"
        metrics |= {
            f"calls.{scope}.all.count": (
                f"Number of {calls}.",
                lambda t, d=direction: t.count(d),
            ),
            f"calls.{scope}.all.sum_duration": (
                f"Seconds of {calls}, all of them.",
                lambda t, d=direction: t.duration(d),
            ),
            f"calls.{scope}.all.avg_duration": (
                f"Average seconds of {calls}; null when there were none.",
                lambda t, d=direction: ratio(t.duration(d), t.count(d)),
            ),
            f"calls.{scope}.connected.count": (
                f"Connected (answered) {calls}.",
                lambda t, d=direction: t.connected(d),
            ),
            f"calls.{scope}.connected.sum_duration": (
                f"Talk time of {calls}: seconds of the connected ones.",
                lambda t, d=direction: t.talk_time(d),
            ),
            f"calls.{scope}.connected.avg_duration": (
                f"Average call length of {calls}: talk time ÷ connected; null when none connected.",
                lambda t, d=direction: ratio(t.talk_time(d), t.connected(d)),
            ),
        }
    metrics["calls.outbound.all.connect_rate"] = (
        "Connect rate: connected outbound calls ÷ outbound calls, from 0 to 1; null when there "
        "was no outbound call.",
        lambda t: t.connect_rate,
    )
    metrics["calls.all.vm_left.count"] = ("Voicemails left.", lambda t: t.voicemails_left)
    for disposition in DISPOSITIONS:
        metrics[f"calls.all.{disposition}.count"] = (
            f"Calls whose disposition is {disposition}.",
            lambda t, x=disposition: t.count(disposition=x),
        )
    return metrics


METRICS = _metrics()
# Metrics that are a ratio (a number, or null), the others are whole numbers.
RATIO_METRICS = frozenset(
    name for name in METRICS if name.endswith((".avg_duration", ".connect_rate"))
)


def metric_values(totals, names):
    """{name: value} of the metrics `names` for `totals`."""
    return {name: METRICS[name][1](totals) for name in names}


# Days and hours in a time zone


def hour_index(moment):
    """The UTC hour `moment` falls in, counted from the epoch (negative before 1970)."""
    return (moment - EPOCH) // HOUR


def hour_start(index):
    return EPOCH + index * HOUR


def offset_is_whole_hours(zone, start, end):
    """Whether `zone` is a whole number of hours from UTC throughout [start, end).

    Zones change offset at most a few times a year and never for less than a day, so looking
    once a day (and at the end) sees every offset the range has.
    """
    moment = start
    while moment < end:
        if moment.astimezone(zone).utcoffset() % HOUR:
            return False
        moment += DAY
    last = end - datetime.timedelta(microseconds=1)
    return not last.astimezone(zone).utcoffset() % HOUR


def local_place(moment, zone):
    """(local date, weekday 0=Monday, hour 0-23) of the instant `moment` in `zone`."""
    local = moment.astimezone(zone)
    return local.date(), local.weekday(), local.hour


def day_start(day, zone):
    """The first instant of the local calendar day `day` in `zone`, in UTC.

    When midnight does not exist there (the clocks jump forward at 00:00), the day starts at
    the first instant that does: Python's fold=0 reads a skipped time with the offset before
    the jump, which is that instant.
    """
    return datetime.datetime.combine(day, datetime.time(), tzinfo=zone).astimezone(UTC)


def fixed_offset_zone(minutes):
    """A time zone `minutes` east of UTC, as the API's `x-tz-offset` gives one."""
    return datetime.timezone(datetime.timedelta(minutes=minutes))


def zone_name(zone):
    """How the page names `zone`: its IANA name, or UTC±hh:mm for a fixed offset."""
    return getattr(zone, "key", None) or zone.tzname(None)
