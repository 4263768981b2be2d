"""API objects built straight from `.values()` rows: no model instances, no serializer fields.

A `Representation` lists the keys of one kind of object. For the keys a request asks for
(`_fields`), its `plan()` says which columns to select and builds each object as a plain dict,
ready for the orjson renderer. Keys from another table are either selected by a subquery of
the page's own query (a call's transcripts) or loaded once for the whole page (a lead's
contacts), never with a query per row.

Each key also carries its JSON schema, so that a representation is the one description of its
object: `schema()` is the object's OpenAPI component, and `names()` the keys it answers with.

A key also says which fields of the model it is built from (`sources()`), and can put other
values of them in a row (`with_sources()`): the event log builds an object as it was before an
update that way, from the values the update replaced.

On PostgreSQL a plan can also have the database write each object's JSON text
(`Plan.json_texts`, api/database_json.py), the same bytes orjson writes for the dict: each key
says how the database computes its value (`json_sql`), and those that cannot say are finished
in Python between the database's pieces.
"""

from functools import partial
from operator import itemgetter

import orjson
from django.db import connections
from django.db.models import F, JSONField, Value
from django.db.models.constants import LOOKUP_SEP
from django.db.models.functions import NullIf

from api.database_json import (
    Compiled,
    UnescapedJSONString,
    compiled_alone,
    json_text,
    json_value,
)
from api.dates import CloseDateTime, close_datetime
from api.json_schema import date_time, nullable, object_schema, string
from api.shapes import per_shape

FIELDS_NOTE = "Every key below unless `_fields` names some; `id` always."
USER_ID = nullable(string(description="A user's id (`user_…`)."))


class Key:
    """One key of an API object. `opt_in` keys are only returned when named in `_fields`.

    A key reads `columns` (field names for `.values()`) and `expressions` ({alias: expression});
    `schema` is the JSON schema of its value.
    """

    columns = ()
    expressions = {}

    def __init__(self, name, *, schema, opt_in=False):
        self.name = name
        self.schema = schema
        self.opt_in = opt_in

    def sources(self):
        """Return the field paths of the object's own row this key is built from."""
        return self.columns

    def with_sources(self, row, values):
        """Put `values` ({field path: value}, of this key's sources) where `row` holds them."""
        row.update((path, value) for path, value in values.items() if path in self.columns)

    def json_sql(self, model):
        """Return the key's JSON text as the database writes it for a row of `model`: an
        expression reading that row's table alone (`compiled_alone`), or a string of JSON
        when it is always the same; None when only Python computes the value."""
        return None


class Column(Key):
    """A key copied from the column `source` (default: the key's name), through `convert`.

    `sql`, a function of the column's expression, is `convert` done by the database (by
    default `convert.sql`, as `none_if_blank` has); without it, only Python converts.
    """

    def __init__(self, name, source=None, *, convert=None, sql=None, schema=None, **kwargs):
        super().__init__(name, schema=schema or string(), **kwargs)
        self.source = source or name
        self.columns = (self.source,)
        self.convert = convert
        self.sql = sql or getattr(convert, "sql", None)

    def getter(self, request):
        source, convert = self.source, self.convert
        if convert is None:
            return itemgetter(source)
        return lambda row: convert(row[source])

    def json_sql(self, model):
        if LOOKUP_SEP in self.source:
            return None  # a related row's column: Python reads it through the page's joins
        field = model._meta.get_field(self.source)
        if isinstance(field, JSONField):
            return None  # PostgreSQL spaces and orders JSON columns its own way
        if self.convert is None:
            return json_value(F(self.source), self.schema, null=field.null)
        return None if self.sql is None else json_value(self.sql(F(self.source)), self.schema)


class DateTime(Key):
    """A date-time column as Close writes dates, formatted by the database where it can."""

    def __init__(self, name, source=None, *, null=False, **kwargs):
        schema = nullable(date_time()) if null else date_time()
        super().__init__(name, schema=schema, **kwargs)
        self.source = source or name
        self.alias = f"{name}_as_text"
        self.expressions = {self.alias: CloseDateTime(self.source)}

    def sources(self):
        return (self.source,)

    def with_sources(self, row, values):
        if self.source in values:
            row[self.alias] = values[self.source]

    def getter(self, request):
        alias = self.alias
        return lambda row: close_datetime(row[alias])

    def json_sql(self, model):
        if LOOKUP_SEP in self.source:
            return None  # a related row's date: formatted by the page's query, joined
        null = model._meta.get_field(self.source).null
        return UnescapedJSONString(self.expressions[self.alias], null=null)


class Constant(Key):
    def __init__(self, name, value, *, schema):
        super().__init__(name, schema=schema)
        self.value = value

    def getter(self, request):
        value = self.value
        return lambda row: value

    def json_sql(self, model):
        return orjson.dumps(self.value).decode()


class Computed(Key):
    """A key built by `build(row, request)` from several `columns`; `sql(model)`, when
    given, is the expression of the same value computed by the database (values of the
    request in it are `PerRequest`)."""

    def __init__(self, name, columns, build, *, sql=None, **kwargs):
        super().__init__(name, **kwargs)
        self.columns = tuple(columns)
        self.build = build
        self.sql = sql

    def getter(self, request):
        return partial(self.build, request=request)

    def json_sql(self, model):
        return None if self.sql is None else json_value(self.sql(model), self.schema)


class Selected(Key):
    """A key the database computes in the page's own query, from `expression` (a subquery of
    other tables: it has no `sources()` in the object's own row)."""

    def __init__(self, name, expression, **kwargs):
        super().__init__(name, **kwargs)
        self.alias = f"{name}_selected"
        self.expressions = {self.alias: expression}

    def getter(self, request):
        return itemgetter(self.alias)


class Loaded(Key):
    """A key filled in for a whole page by `load(objects, names, request)`, in one query.

    Keys sharing a `load` function share its query. The key holds None until `load` sets it.
    """

    def __init__(self, name, load, **kwargs):
        super().__init__(name, **kwargs)
        self.load = load

    def getter(self, request):
        return lambda row: None


class Representation:
    """The keys of one kind of API object, the OpenAPI component `name` describes."""

    def __init__(self, *keys, name, description):
        self.keys = keys
        self.name = name
        self.description = description

    def names(self, *, opt_in=False):
        """Return the keys an object has by default, and with `opt_in` those it may have."""
        return [key.name for key in self.keys if opt_in or not key.opt_in]

    def properties(self):
        return {key.name: key.schema for key in self.keys}

    def schema(self):
        """Return the object's OpenAPI component: every key it may have, and no other."""
        description = f"{self.description} {FIELDS_NOTE}"
        opt_in = [f"`{key.name}`" for key in self.keys if key.opt_in]
        if opt_in:
            description += f" Only when named in `_fields`: {', '.join(opt_in)}."
        return object_schema(self.properties(), description=description)

    def plan(self, request, fields=None):
        """Return how to build objects with `fields` (names from `_fields`; None: the defaults).

        `id` is always included; unknown names are ignored.
        """
        if fields is None:
            keys = [key for key in self.keys if not key.opt_in]
        else:
            keys = [key for key in self.keys if key.name in fields or key.name == "id"]
        return Plan(keys, request)


class Plan:
    def __init__(self, keys, request):
        self.keys = keys
        self.request = request
        self.columns = list(dict.fromkeys(column for key in keys for column in key.columns))
        self.expressions = {alias: e for key in keys for alias, e in key.expressions.items()}
        self.getters = [(key.name, key.getter(request)) for key in keys]
        loads = {}
        for key in keys:
            if isinstance(key, Loaded):
                loads.setdefault(key.load, []).append(key.name)
        self.loads = list(loads.items())

    def rows(self, queryset):
        """Return `queryset` as the rows `build()` takes."""
        return queryset.values(*self.columns, **self.expressions)

    def row_of(self, instance):
        """Return the row `rows()` would read for `instance`, made from the instance itself
        (as a service just wrote it), or None when it cannot be: a key the database computes
        from other tables (`Selected`), or a related object the instance has not loaded."""
        row = {}
        for key in self.keys:
            if isinstance(key, Selected):
                return None
            values = {}
            for path in key.sources():
                try:
                    values[path] = _stored_value(instance, path)
                except LookupError:
                    return None
            key.with_sources(row, values)
        return row

    def build(self, rows):
        """Return the API objects for `rows`, from `rows()` or `row_of()`."""
        getters = self.getters
        objects = [{name: get(row) for name, get in getters} for row in rows]
        if objects:
            for load, names in self.loads:
                load(objects, names, self.request)
        return objects

    def writes_json_in_database(self, queryset):
        """Whether `json_texts()` can answer for `queryset`: on PostgreSQL, without keys that
        are loaded for a whole page."""
        return connections[queryset.db].vendor == "postgresql" and not self.loads

    def json_texts(self, queryset):
        """Return the JSON text of each object of `queryset` (sliced or not), as orjson writes
        the objects `build()` makes: the database writes it, Python finishes the keys that
        have no `json_sql`, between the database's pieces."""
        request = self.request
        rows = json_query(
            tuple(self.keys), queryset, lambda sql, params: Compiled(sql, params, request)
        )
        return self.joined_texts(rows, queryset.model, queryset.db)

    def joined_texts(self, rows, model, using):
        """Return the JSON texts of `rows` of `json_query()`: the database's pieces with the
        keys Python finishes between them."""
        pieces, keys = _json_shape(tuple(self.keys), model, using)
        getters = dict(self.getters)
        finished = [getters[key.name] for key in keys]
        texts = []
        for row in rows:
            parts = []
            for n, piece in enumerate(pieces):
                if n:
                    parts.append(orjson.dumps(finished[n - 1](row)).decode())
                parts.append(piece if isinstance(piece, str) else row[f"json_{n}"])
            texts.append("".join(parts))
        return texts


def json_query(keys, queryset, written):
    """Return `queryset` as the `.values()` rows `Plan.joined_texts()` joins: the database's
    pieces of objects with `keys`, each `written(sql, params)` from its compiled SQL, and the
    columns of the keys Python finishes."""
    pieces, finished = _json_shape(keys, queryset.model, queryset.db)
    columns = dict.fromkeys(column for key in finished for column in key.columns)
    expressions = {a: e for key in finished for a, e in key.expressions.items()}
    for n, piece in enumerate(pieces):
        if not isinstance(piece, str):
            expressions[f"json_{n}"] = written(*piece)
    return queryset.values(*columns, **expressions)


@per_shape  # a shape is the _fields a client asks for
def _json_shape(keys, model, using):
    """Return the JSON of an object with `keys`, as pieces the database writes, one more than
    the keys Python finishes, which go between them: ([piece, …], [key, …]). A piece is
    compiled SQL, (sql, params), or a string when it is the same for every object."""
    pieces, finished, run = [], [], []
    for n, key in enumerate(keys):
        run.append(("," if n else "{") + orjson.dumps(key.name).decode() + ":")
        value = key.json_sql(model)
        if value is None:
            pieces.append(json_text(run))
            finished.append(key)
            run = []
        else:
            run.append(value)
    run.append("}")
    pieces.append(json_text(run))
    return (
        [p if isinstance(p, str) else compiled_alone(p, model, using) for p in pieces],
        finished,
    )


def _stored_value(instance, path):
    """The value `.values(path)` reads for `instance`, from the instance; LookupError when a
    relation on the way is not loaded (reading it would cost a query)."""
    *relations, name = path.split(LOOKUP_SEP)
    for relation in relations:
        if not instance._meta.get_field(relation).is_cached(instance):
            raise LookupError(path)
        instance = getattr(instance, relation)
        if instance is None:
            return None
    field = instance._meta.get_field(name)
    return field.get_prep_value(getattr(instance, field.attname))


def user_name(name, relation):
    """A key with the display name (as `User.display_name`) of the user behind `relation`.

    The database's JSON leaves it to Python (no `sql`): read from the page's joins, it costs
    Python less than a subquery per row costs PostgreSQL (3 per call: 1.8 ms per 100 calls).
    """
    first, last, username = (
        f"{relation}__{part}" for part in ("first_name", "last_name", "username")
    )

    def build(row, request):
        if row[username] is None:
            return None
        return f"{row[first]} {row[last]}".strip() or row[username]

    return Computed(name, (first, last, username), build, schema=nullable(string()))


def authorship():
    """The keys of who created and last updated an object, and when, as Close's objects have."""
    return (
        Column("created_by", "created_by_id", schema=USER_ID),
        user_name("created_by_name", "created_by"),
        Column("updated_by", "updated_by_id", schema=USER_ID),
        user_name("updated_by_name", "updated_by"),
        DateTime("date_created"),
        DateTime("date_updated"),
    )


def none_if_blank(value):
    """Blank text columns come out as null, as Close shows an absent phone or URL."""
    return value or None


none_if_blank.sql = lambda column: NullIf(column, Value(""))
