"""What the follow-ups hear of the write path (settings.CHANGE_RECEIVERS): the tasks calls make.

An inbound call nobody answered leaves a `missed_call` task, one where the contact left a
message a `voicemail` task, both due at the moment of the call, for the call's rep (or else the
lead's last rep, or no one), with `object_type` "call" and the call's id. A later outbound call
to the lead that connects completes them.

When such a call changes, its task follows it while it is still open: it becomes the other kind
(a voicemail found on a missed call), goes away (the call was answered after all, or was
outbound), moves with the call to another lead, and goes to the call's new rep unless someone
had given it to another. A deleted call takes its open task with it. A completed task is
history: it stays as it is whatever happens to its call.

Everything runs inside the call's own transaction, through followups.services, so the tasks
are written (and announced) or rolled back with the call.
"""

from collections import defaultdict

from django.db.models import Max, OuterRef, Subquery

from accounts.models import Membership
from activities.models import Call
from core.changes import DELETED, UPDATED, batch_form
from followups import services
from followups.models import Task

CALL = "call"
# A call's fields its task depends on.
WATCHED = frozenset({"direction", "disposition", "lead_id", "contact_id", "user_id", "activity_at"})
# What an inbound call left: unanswered, whether it reached voicemail or not (a number the
# team blocked on purpose leaves nothing to follow up).
MISSED = {
    Call.Disposition.NO_ANSWER,
    Call.Disposition.VM_ANSWER,
    Call.Disposition.BUSY,
    Call.Disposition.ABANDONED,
    Call.Disposition.ERROR,
}


def task_type_for(call):
    """Return the type of task `call` leaves (None if none)."""
    if call.direction != Call.Direction.INBOUND:
        return None
    if call.disposition == Call.Disposition.VM_LEFT:
        return Task.Type.VOICEMAIL
    if call.disposition in MISSED:
        return Task.Type.MISSED_CALL
    return None


def follow_calls_of(changes):
    """`follow_calls` for a batch (core.changes.announce_all): the open tasks of deleted calls
    found in one query, whether a later call already completes the new calls' tasks in another,
    and those the batch's new connected calls complete in a third."""
    calls = [change for change in changes if change.model is Call]
    deleted = {change.pk: change for change in calls if change.action == DELETED}
    if deleted:
        tasks = Task.objects.filter(object_type=CALL, object_id__in=deleted, is_complete=False)
        for task in tasks:
            services.task_delete(task, deleted_by=deleted[task.object_id].actor)
    created = [change.instance for change in calls if change.action not in (UPDATED, DELETED)]
    last_connected = _last_connected([call for call in created if task_type_for(call)])
    new_tasks, connected = defaultdict(list), []
    for change in calls:
        if change.action == UPDATED:
            _follow_change(change)
        elif change.action != DELETED:
            call = change.instance
            fields = _task_fields(call, connected_at=last_connected.get(call.lead_id))
            if fields is not None:
                new_tasks[call.organization, change.actor].append(fields)
            if _connects(call):
                connected.append(change)
    for (organization, actor), fields in new_tasks.items():
        services.tasks_create(organization=organization, created_by=actor, fields=fields)
    if connected:
        _complete_earlier_tasks(connected)


@batch_form(follow_calls_of)
def follow_calls(change):
    """Keep the automatic tasks of calls in step with them (see the module's docstring)."""
    follow_calls_of([change])


def _follow_change(change):
    """Bring the task of a changed call in step with it."""
    if not change.changed & WATCHED:
        return
    call = change.instance
    task = Task.objects.filter(object_type=CALL, object_id=call.pk).first()
    if task is None:
        _create_task(call, change.actor)
    elif not task.is_complete:
        _follow(task, call, change)
    if _connects(call):
        _complete_earlier_tasks([change])


def _create_task(call, actor):
    """Give `call` the task it leaves, if any."""
    last_connected = _last_connected([call])
    fields = _task_fields(call, connected_at=last_connected.get(call.lead_id))
    if fields is not None:
        services.task_create(organization=call.organization, created_by=actor, fields=fields)


def _task_fields(call, *, connected_at):
    """The fields of the task `call` leaves (None if none): already complete when a later call
    connected (`connected_at`: when the last outbound call of its lead connected, or None)."""
    type_ = task_type_for(call)
    if type_ is None:
        return None
    return {
        "type": type_,
        "lead": call.lead,
        "contact": call.contact,
        **_rep_field(call),
        "due_at": call.activity_at,
        "object_type": CALL,
        "object_id": call.pk,
        "is_complete": connected_at is not None and connected_at > call.activity_at,
    }


def _follow(task, call, change):
    """Bring the open `task` of `call` in step with what changed of the call."""
    type_ = task_type_for(call)
    if type_ is None:
        services.task_delete(task, deleted_by=change.actor)
        return
    previous = {"activity_at": call.activity_at, "user_id": call.user_id, **change.previous}
    fields = {}
    if task.type != type_:
        fields["type"] = type_
    if task.lead_id != call.lead_id:
        fields["lead"] = call.lead
    if task.contact_id != call.contact_id:
        fields["contact"] = call.contact
    moved = call.activity_at != previous["activity_at"]
    if moved and task.due_at == previous["activity_at"]:
        fields["due_at"] = call.activity_at  # unless someone snoozed it
    handed_over = call.user_id != previous["user_id"]
    if handed_over and task.assigned_to_id == previous["user_id"]:
        fields["assigned_to_id"] = _rep_for(call)  # unless someone gave it to another rep
    if fields:
        services.task_update(task, updated_by=change.actor, fields=fields)


def _rep_field(call):
    """The task's rep: the call's own as the object the call holds (an import's calls hold their
    rep with its memberships, which the task's validation then reads without a query)."""
    if call.user_id:
        return {"assigned_to": call.user}
    return {"assigned_to_id": _rep_for(call)}


def _rep_for(call):
    """The call's rep; else the last rep of its lead who is still in the organization."""
    if call.user_id:
        return call.user_id
    members = Membership.objects.filter(organization_id=call.organization_id).values("user_id")
    return (
        Call.objects.filter(
            organization_id=call.organization_id, lead_id=call.lead_id, user_id__in=members
        )
        .exclude(pk=call.pk)
        .order_by("-activity_at", "-id")
        .values_list("user_id", flat=True)
        .first()
    )


def _connects(call):
    return (
        call.direction == Call.Direction.OUTBOUND and call.disposition == Call.Disposition.ANSWERED
    )


def _last_connected(calls):
    """When the last outbound call of each of `calls`' leads connected (lead id to moment), in
    one query for all of them."""
    if not calls:
        return {}
    rows = (
        Call.objects.filter(
            organization_id__in={call.organization_id for call in calls},
            lead_id__in={call.lead_id for call in calls},
            direction=Call.Direction.OUTBOUND,
            disposition=Call.Disposition.ANSWERED,
        )
        .values("lead_id")
        .annotate(last=Max("activity_at"))
        .values_list("lead_id", "last")
    )
    return dict(rows)


def _complete_earlier_tasks(connected):
    """Complete the open tasks of the calls each lead had before one of the `connected`
    changes' calls connected: found in one query for all of them, completed in one UPDATE
    for each who completes them."""
    latest = {}  # lead id -> its last connected change
    for change in connected:
        call = change.instance
        if (
            call.lead_id not in latest
            or call.activity_at > latest[call.lead_id].instance.activity_at
        ):
            latest[call.lead_id] = change
    their_calls = Call.objects.filter(pk=OuterRef("object_id"), lead_id=OuterRef("lead_id"))
    tasks = (
        Task.objects.filter(
            lead_id__in=latest,
            type__in=Task.FROM_CALLS,
            object_type=CALL,
            is_complete=False,
        )
        .annotate(call_at=Subquery(their_calls.values("activity_at")))
        # What completing each validates (`Task.clean`), read with the tasks.
        .select_related("organization", "lead", "contact", "assigned_to", "created_by")
        .prefetch_related("assigned_to__memberships")
    )
    done = defaultdict(list)  # by who completes them
    for task in tasks:
        last = latest[task.lead_id]
        if task.call_at is not None and task.call_at < last.instance.activity_at:
            done[last.actor].append(task)
    for actor, their_tasks in done.items():
        services.tasks_complete(their_tasks, completed_by=actor)
