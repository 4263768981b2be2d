"""The objects the event log records, as `settings.EVENT_OBJECTS` declares them.

Each entry maps a model (its label, "activities.Call") to Close's object type for it, the
representation its `data` is built with (the dotted path of one in the app's api.py, as the
API shows the object) and the attribute path from an instance to its lead's id (None for
objects of no lead). An app whose objects should have events adds one entry; its services
announce their changes already (core/changes.py), and nothing else is needed: the receiver
(events/receivers.py) hears every announced change. An entry whose app is not installed is
skipped.
"""

import functools
from dataclasses import dataclass
from operator import attrgetter
from urllib.parse import urljoin

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.module_loading import import_string

from api.representations import Plan
from core.changes import CREATED, DELETED


@dataclass(frozen=True)
class EventObject:
    model: type
    object_type: str
    representation: object
    lead_path: str | None

    def lead_id(self, instance):
        return attrgetter(self.lead_path)(instance) if self.lead_path else None

    def snapshots(self, changes, request):
        """Return {data, changed_fields, previous_data} of each of `changes` (of this model),
        with API names and values.

        `data` is the object as the API shows it after the change (none once deleted): made
        from the instance a creation wrote when the representation allows it
        (`Plan.row_of`), else read, in one query for all of `changes`. On an update,
        `changed_fields` names the keys whose value changed and `previous_data` holds their
        values before, built by the same representation from the values the update replaced.
        """
        plan = self.representation.plan(request or SiteRequest())
        rows = {}
        unread = []
        for change in changes:
            row = plan.row_of(change.instance) if change.action == CREATED else None
            if row is not None:
                rows[change.pk] = row
            elif change.action != DELETED:
                unread.append(change.pk)
        if unread:
            read = plan.rows(self.model._base_manager.filter(pk__in=unread))
            rows.update((row["id"], row) for row in read)
        return [self._snapshot(plan, rows.get(change.pk), change) for change in changes]

    def _snapshot(self, plan, row, change):
        if change.action == DELETED or row is None:
            return {"data": None, "changed_fields": [], "previous_data": {}}
        data = plan.build([row])[0]
        if change.action == CREATED:
            return {"data": data, "changed_fields": [], "previous_data": {}}
        before = self._before(plan, row, change)
        changed = sorted(name for name, value in before.items() if data[name] != value)
        return {
            "data": data,
            "changed_fields": changed,
            "previous_data": {name: before[name] for name in changed},
        }

    def _before(self, plan, row, change):
        """The keys built from a field `change` wrote, as they were before it."""
        attnames = {}  # source path -> the attname that holds it, for changed ones
        for key in plan.keys:
            for path in key.sources():
                field = self.model._meta.get_field(path.split("__")[0])
                if field.attname in change.changed:
                    attnames[path] = field.attname
        keys = [key for key in plan.keys if attnames.keys() & set(key.sources())]
        if not keys:
            return {}
        values = {path: change.previous[attname] for path, attname in attnames.items()}
        values.update(self._related_before(attnames, change))
        old_row = dict(row)
        for key in keys:
            key.with_sources(old_row, values)
        return Plan(keys, plan.request).build([old_row])[0]

    def _related_before(self, attnames, change):
        """Values across a relation whose key changed (`user__first_name` when `user_id` did),
        read from the object the relation pointed to before."""
        paths_by_relation = {}
        for path, attname in attnames.items():
            relation, _, rest = path.partition("__")
            if rest:
                paths_by_relation.setdefault((relation, attname), []).append(rest)
        values = {}
        for (relation, attname), rests in paths_by_relation.items():
            related = self.model._meta.get_field(relation).related_model
            previous_id = change.previous[attname]
            found = (
                related._base_manager.filter(pk=previous_id).values(*rests).first()
                if previous_id is not None
                else None
            ) or {}
            values.update({f"{relation}__{rest}": found.get(rest) for rest in rests})
        return values


class SiteRequest(HttpRequest):
    """The request a representation is given when no request made the change (a background
    job, a management command): nobody signed in, no headers, and absolute links made from
    settings.SITE_URL. A new one for each event: representations may keep what they computed
    of a request on it (the caller's "today")."""

    def __init__(self):
        super().__init__()
        self.user = AnonymousUser()

    def build_absolute_uri(self, location=None):
        return urljoin(settings.SITE_URL, location or "/")


@functools.cache
def _registry():
    registry = {}
    installed = {config.label for config in apps.get_app_configs()}
    for label, (object_type, representation, lead_path) in settings.EVENT_OBJECTS.items():
        if label.partition(".")[0] not in installed:
            continue  # an app not installed here: its objects have no events
        model = apps.get_model(label)
        registry[model] = EventObject(model, object_type, import_string(representation), lead_path)
    return registry


def for_model(model):
    """Return the EventObject of `model`, or None if its changes are not recorded."""
    return _registry().get(model)


def event_objects():
    return list(_registry().values())


def object_types():
    return [entry.object_type for entry in event_objects()]
