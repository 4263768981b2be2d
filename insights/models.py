"""The tallies: the sums of the calls (insights/definitions.py), kept per rep and UTC hour or day
in the calls' own write path (insights/tallies.py), so that a report reads a few rows per rep
and day however many years of calls there are.

A tally row is keyed by hour indexes (hours since the epoch, UTC): `start` is the first hour of
the row and `span` its length in hours, 1 (an hour) or 24 (a UTC day). Hours in UTC keep every
time zone that is a whole number of hours from UTC exact, on both sides of a DST change; reports
in the other zones (UTC+5:30, UTC+5:45...) read the calls table instead (insights/reports.py).

Reps are kept by id (`rep_id`, "" for calls without one), not by a foreign key: a user deleted
by a superuser leaves their calls without a rep (SET_NULL) and the tallies with an id no user has
any more, which the reports read as "no rep" too.
"""

from django.db import models

from accounts.models import Organization
from insights.definitions import SUM_COLUMNS

HOUR_SPAN, DAY_SPAN = 1, 24


class Sums(models.Model):
    """The SUM_COLUMNS of insights/definitions.py, one integer column each."""

    class Meta:
        abstract = True


for _column in SUM_COLUMNS:
    Sums.add_to_class(_column, models.BigIntegerField(default=0, db_default=0))


class RepTally(Sums):
    """A rep's calls of one UTC hour (`span` 1) or day (`span` 24)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    rep_id = models.CharField(max_length=64, blank=True, help_text='The user\'s id; "" for none.')
    span = models.PositiveSmallIntegerField(help_text="Hours: 1 or 24.")
    start = models.BigIntegerField(help_text="The first hour, counted from the epoch in UTC.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "span", "rep_id", "start"], name="rep_tally_key"
            )
        ]
        indexes = [models.Index(fields=["organization", "span", "start"], name="rep_tally_time")]

    def __str__(self):
        return f"{self.rep_id or 'no rep'} at hour {self.start} (+{self.span})"


class TeamTally(Sums):
    """The whole organization's calls of one UTC hour: the days and hours of its charts."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    start = models.BigIntegerField(help_text="The hour, counted from the epoch in UTC.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "start"], name="team_tally_key")
        ]

    def __str__(self):
        return f"team at hour {self.start}"


class OutcomeTally(models.Model):
    """A rep's calls with one outcome, in one UTC hour or day."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    rep_id = models.CharField(max_length=64, blank=True)
    span = models.PositiveSmallIntegerField()
    start = models.BigIntegerField()
    outcome_id = models.CharField(max_length=64)
    calls = models.BigIntegerField(default=0, db_default=0)
    duration = models.BigIntegerField(default=0, db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "span", "rep_id", "start", "outcome_id"],
                name="outcome_tally_key",
            )
        ]
        indexes = [
            models.Index(fields=["organization", "span", "start"], name="outcome_tally_time")
        ]

    def __str__(self):
        return f"{self.outcome_id} of {self.rep_id or 'no rep'} at hour {self.start}"
