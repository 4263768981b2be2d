"""Database expressions that give the same result on PostgreSQL and on SQLite (`make run`).

Use these rather than Django's `JSONObject` and `JSONArray` (ruff refuses those imports).
SQLite keeps JSON as text, and its json_object() and json_array() nest a text argument as a
JSON *string* unless it comes straight from another JSON function: a JSON column, or JSON read
through a subquery, came back as '[{"start": 0, ...}]' inside the object, where PostgreSQL nests
the JSON itself. Here every JSON-valued argument passes through SQLite's json() first, so both
databases build the same JSON, which `.values()` decodes whole.
"""

from django.db.models import Func, JSONField
from django.db.models import functions as django_functions
from django.db.models.fields.json import KeyTransform


class _NestsJSONOnSQLite:
    def as_sqlite(self, compiler, connection, **extra_context):
        nested = self.copy()
        nested.set_source_expressions(
            [_as_json(expression) for expression in nested.get_source_expressions()]
        )
        return nested.as_sql(compiler, connection, **extra_context)


def _as_json(expression):
    # A key of a JSON column is read by json_extract(), which already nests objects as JSON and
    # gives scalars as SQL values; json() would refuse a plain string there.
    if isinstance(expression.output_field, JSONField) and not isinstance(expression, KeyTransform):
        return Func(expression, function="JSON", output_field=JSONField())
    return expression


class JSONObject(_NestsJSONOnSQLite, django_functions.JSONObject):  # noqa: TID251
    """`JSONObject(key=expression, ...)`: a JSON object built by the database."""


class JSONArray(_NestsJSONOnSQLite, django_functions.JSONArray):  # noqa: TID251
    """`JSONArray(expression, ...)`: a JSON array built by the database."""
