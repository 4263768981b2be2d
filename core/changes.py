"""The write path's one declared extension point: every change, told to the rooms above.

The services of the lower apps (leads, activities, ...) call `announce()` inside their
transaction for each object they create, update or delete. The apps above them (search,
insights, events, transcription, ...) receive every change by being named in
`settings.CHANGE_RECEIVERS`, and are called in that order. A receiver runs inside the same
transaction, so what it writes commits or rolls back with the change itself; it never does slow
work there (it enqueues a job for that, which runs after commit).

This keeps the layers pointing downward: `activities` knows nothing of `search`, and the list
of who listens is in one place, in settings, not spread over `ready()` methods.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

CREATED, UPDATED, DELETED = "created", "updated", "deleted"


@dataclass(frozen=True)
class Change:
    """One object created, updated or deleted by a service.

    `instance` is the object as it is after the change; for a deletion, as it was just before
    (Django clears `instance.pk` once it is gone: `pk` keeps it). `changed` names the fields
    (attnames, `lead_id`) an update wrote and `previous` their values before it; a creation
    lists every field it set.
    """

    action: str
    instance: object
    changed: frozenset = frozenset()
    previous: dict = field(default_factory=dict)
    actor: object = None
    pk: object = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "pk", self.instance.pk)

    @property
    def model(self):
        return type(self.instance)


def receivers():
    return [import_string(path) for path in settings.CHANGE_RECEIVERS]


def announce(change):
    """Call every receiver with `change`, in the order settings lists them."""
    for receiver in receivers():
        receiver(change)


# Bookkeeping every update writes; never a change on its own.
BOOKKEEPING = frozenset({"date_updated", "updated_by_id"})


def field_values(instance):
    """Return {attname: value} of `instance`'s concrete fields: what an update compares with."""
    return {
        field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields
    }


def announce_created(instance, *, actor):
    announce(Change(CREATED, instance, frozenset(field_values(instance)), actor=actor))


def changed_fields(instance, before):
    """Return the names of the fields of `instance` that differ from `before` (`field_values()`
    taken before the update), bookkeeping aside."""
    return frozenset(
        name
        for name, value in before.items()
        if name not in BOOKKEEPING and getattr(instance, name) != value
    )


def announce_updated(instance, before, *, actor):
    """Announce the fields of `instance` that differ from `before` (`field_values()` taken
    before the update), if any; return their names."""
    changed = changed_fields(instance, before)
    if changed:
        previous = {name: before[name] for name in changed}
        announce(Change(UPDATED, instance, changed, previous, actor=actor))
    return changed


def announce_deleted(instance, *, actor):
    announce(Change(DELETED, instance, actor=actor))
