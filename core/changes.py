"""The write path's one declared extension point: every change, told to the rooms above.

The services of the lower apps (leads, activities, ...) call `announce()` inside their
transaction for each object they create, update or delete. The apps above them (search,
insights, events, transcription, ...) receive every change by being named in
`settings.CHANGE_RECEIVERS`, and are called in that order. A receiver runs inside the same
transaction, so what it writes commits or rolls back with the change itself; it never does slow
work there (it enqueues a job for that, which runs after commit).

A writer of many objects at once (an importer's batch) announces them together with
`announce_all()`: a receiver that declares a batch form (`@batch_form(...)`) hears the whole
batch in one call, and can write what it keeps for all of it in a few statements; any other
receiver hears the changes one by one, as from `announce()`.

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


def announce_all(changes):
    """Announce `changes` (a batch written together) to every receiver, in settings' order:
    to its batch form at once if it has one, else one change after another."""
    changes = list(changes)
    if not changes:
        return
    for receiver in receivers():
        many = getattr(receiver, "many", None)
        if many is not None:
            many(changes)
        else:
            for change in changes:
                receiver(change)


def batch_form(many):
    """Declare `many`, a function of a list of changes, the batch form of the receiver this
    decorates: what `announce_all()` calls. It must do what the receiver would do for each
    change of the list in turn."""

    def declare(receiver):
        receiver.many = many
        return receiver

    return declare


# Bookkeeping every update writes; never a change on its own.
BOOKKEEPING = frozenset({"date_updated", "updated_by_id"})


def field_values(instance):
    """Return {attname: value} of `instance`'s concrete fields: what an update compares with."""
    return {
        field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields
    }


def created(instance, *, actor):
    """The Change of `instance` just created."""
    return Change(CREATED, instance, frozenset(field_values(instance)), actor=actor)


def announce_created(instance, *, actor):
    announce(created(instance, actor=actor))


def changed_fields(instance, before):
    """Return the names of the fields of `instance` that differ from `before` (`field_values()`
    taken before the update), bookkeeping aside."""
    return frozenset(
        name
        for name, value in before.items()
        if name not in BOOKKEEPING and getattr(instance, name) != value
    )


def updated(instance, before, *, actor):
    """The Change of the fields of `instance` that differ from `before` (`field_values()`
    taken before the update); None if none does."""
    changed = changed_fields(instance, before)
    if not changed:
        return None
    previous = {name: before[name] for name in changed}
    return Change(UPDATED, instance, changed, previous, actor=actor)


def announce_updated(instance, before, *, actor):
    """Announce the fields of `instance` that differ from `before` (`field_values()` taken
    before the update), if any; return their names."""
    change = updated(instance, before, actor=actor)
    if change is None:
        return frozenset()
    announce(change)
    return change.changed


def deleted(instance, *, actor):
    """The Change of `instance` about to be deleted."""
    return Change(DELETED, instance, actor=actor)


def announce_deleted(instance, *, actor):
    announce(deleted(instance, actor=actor))
