"""Writing follow-up tasks: the one path the API, the rep's pages, the admin, the call form's
follow-up and the automatic tasks of calls (followups.receivers) take.

Each function runs in one transaction (the caller's, when there is one: a follow-up is saved in
the call's own), validates with the model's rules (`full_clean()`) and announces each change,
with who made it (core/changes.py).
"""

from django.db import transaction
from django.utils import timezone

from core import changes
from core.changes import announce_deleted
from core.writes import create_announced, full_clean_loaded, update_announced
from followups.models import Task

# The fields a task's date is made of: a day, a moment, or neither (dateless).
DATE_FIELDS = ("date", "due_at")


def _dated(fields):
    """A date given as one of `date` and `due_at` clears the other."""
    if "date" in fields and "due_at" not in fields and fields["date"] is not None:
        return {**fields, "due_at": None}
    if "due_at" in fields and "date" not in fields and fields["due_at"] is not None:
        return {**fields, "date": None}
    return fields


@transaction.atomic
def task_create(*, organization, created_by, fields):
    """Create a task of `organization` with `fields` (model field names to values)."""
    task = Task(organization=organization, created_by=created_by, updated_by=created_by)
    for name, value in _dated(fields).items():
        setattr(task, name, value)
    return create_announced(task, actor=created_by)


@transaction.atomic
def tasks_create(*, organization, created_by, fields):
    """Create tasks of `organization`, one for each item of `fields` (a list of what
    `task_create` takes), validated as it validates each, in one INSERT, announced together
    (`announce_all`): the automatic tasks of an import's batch of calls."""
    tasks = []
    for item in fields:
        task = Task(organization=organization, created_by=created_by, updated_by=created_by)
        for name, value in _dated(item).items():
            setattr(task, name, value)
        full_clean_loaded(task)  # the calls' leads and contacts, loaded: not looked up again
        tasks.append(task)
    Task.objects.bulk_create(tasks)
    changes.announce_all(changes.created(task, actor=created_by) for task in tasks)
    return tasks


@transaction.atomic
def task_update(task, *, updated_by, fields):
    """Change the given `fields` of `task`; moving it to another lead moves its contact off."""
    fields = _dated(fields)
    if "lead" in fields and fields["lead"].pk != task.lead_id and "contact" not in fields:
        fields = {**fields, "contact": None}
    return update_announced(task, {**fields, "updated_by": updated_by}, actor=updated_by)


@transaction.atomic
def task_delete(task, *, deleted_by):
    announce_deleted(task, actor=deleted_by)
    task.delete()


def task_complete(task, *, completed_by):
    return task_update(task, updated_by=completed_by, fields={"is_complete": True})


@transaction.atomic
def tasks_complete(tasks, *, completed_by):
    """Complete each of `tasks` as `task_complete` does, each validated as it validates one,
    in one UPDATE, announced together (`announce_all`): the tasks a batch of connected calls
    completes. The tasks come with their relations read (`full_clean_loaded` looks none up
    again)."""
    tasks = list(tasks)
    before = [changes.field_values(task) for task in tasks]
    for task in tasks:
        task.is_complete = True
        task.updated_by = completed_by
        full_clean_loaded(task)
    now = timezone.now()
    Task.objects.filter(pk__in=[task.pk for task in tasks]).update(
        is_complete=True, updated_by=completed_by, date_updated=now
    )
    for task in tasks:
        task.date_updated = now
    updates = [
        changes.updated(task, old, actor=completed_by)
        for task, old in zip(tasks, before, strict=True)
    ]
    changes.announce_all(change for change in updates if change is not None)
    return tasks


def task_snooze(task, *, until, snoozed_by):
    """Move `task` to the day `until` (a date): out of the inbox until then."""
    return task_update(task, updated_by=snoozed_by, fields={"date": until})


@transaction.atomic
def tasks_update(tasks, *, updated_by, fields, check=None):
    """Apply `fields` to each of the `tasks` (a queryset), each change announced; return how
    many there were. `check(task)`, if given, runs on every task before any is written: what it
    raises leaves them all as they were."""
    tasks = list(tasks.select_for_update())
    for task in tasks if check is not None else ():
        check(task)
    for task in tasks:
        task_update(task, updated_by=updated_by, fields=fields)
    return len(tasks)
