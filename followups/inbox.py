"""A rep's follow-up inbox, as the home shows it: overdue first, then today, then undated."""

from dataclasses import dataclass, field

from followups.models import DAY_ORDER, Task

INBOX_LIMIT = 50


@dataclass
class Inbox:
    overdue: list = field(default_factory=list)
    today: list = field(default_factory=list)
    dateless: list = field(default_factory=list)
    more: bool = False  # past INBOX_LIMIT: done or snoozed ones make room for the rest

    @property
    def count(self):
        return len(self.overdue) + len(self.today) + len(self.dateless)

    @property
    def groups(self):
        """The non-empty parts, each (heading, tasks)."""
        parts = [("Overdue", self.overdue), ("Today", self.today), ("No date", self.dateless)]
        return [(heading, tasks) for heading, tasks in parts if tasks]


def inbox_of(user, organization, *, today, zone, limit=INBOX_LIMIT):
    """Return `user`'s open tasks in `organization` due by the end of `today` in `zone`, and
    the undated ones, in one query."""
    tasks = list(
        Task.objects.for_organization(organization)
        .filter(assigned_to=user)
        .in_inbox(today, zone)
        .select_related("lead", "contact")
        .in_day_order(zone)
        .order_by(*DAY_ORDER, "id")[: limit + 1]
    )
    inbox = Inbox(more=len(tasks) > limit)
    for task in tasks[:limit]:
        task.day = task.day_in(zone)
        task.late = task.day is not None and task.day < today
        task.changeable = True  # their own
        if task.day is None:
            inbox.dateless.append(task)
        elif task.late:
            inbox.overdue.append(task)
        else:
            inbox.today.append(task)
    return inbox
