"""API objects written as JSON text by PostgreSQL, for the lists' hot path.

A representation's keys each say how the database computes their value (`Key.json_sql`); the
plan (api/representations.py) joins them into one text expression per row, `{"id":"acti_…",
…}`, byte for byte what orjson writes for the dict the Python path builds: the same keys in the
same order, no spaces, strings escaped as orjson escapes them (`to_json` escapes the same
characters the same way), `null` for NULL. Python then only joins the rows. Keys without a
database twin (a value only Python can compute) are finished in Python, between the pieces
the database wrote.

Building and compiling those expressions costs more than running them, so the SQL of each
shape of object (the model and the keys asked for) is compiled once per process
(`Plan.json_texts`) and reused by every page: values of the request (its host, for links) are
parameters filled in when the query runs (`PerRequest`). To read the same in any query of the
model, the SQL reads only the model's own table.
"""

from django.db import connections
from django.db.models import Expression, Func, TextField
from django.db.models.sql import Query


class JSONText(Func):
    """The JSON text of a value, `null` for NULL; `null=False` for a value that is never NULL
    (a NOT NULL column), whose SQL then skips the COALESCE."""

    output_field = TextField()
    template_not_null = None

    def __init__(self, expression, *, null=True):
        extra = {} if null else {"template": self.template_not_null}
        super().__init__(expression, **extra)


class JSONValue(JSONText):
    """The JSON text of a value: `"text"` escaped, `12`, `true`, or `null`."""

    template = "COALESCE(to_json(%(expressions)s)::text, 'null')"
    template_not_null = "to_json(%(expressions)s)::text"


class UnescapedJSONValue(JSONText):
    """The JSON text of an integer or a boolean: `12`, `true`, or `null`. PostgreSQL's text of
    these is their JSON already, without `to_json`'s work per value."""

    template = "COALESCE((%(expressions)s)::text, 'null')"
    template_not_null = "(%(expressions)s)::text"


class UnescapedJSONString(JSONText):
    """The JSON text of a string with nothing to escape (closecalls' own date format:
    digits, `-`, `:`, `.`, `+`, `T`): quoted as it is, or `null`."""

    template = "COALESCE('\"' || %(expressions)s || '\"', 'null')"
    template_not_null = "('\"' || %(expressions)s || '\"')"


def json_value(expression, schema, *, null=True):
    """Return the JSON text of `expression`'s value, whose JSON schema is `schema`: written
    without escaping where the schema says there is nothing to escape."""
    if schema.get("type") in ("integer", "boolean"):
        return UnescapedJSONValue(expression, null=null)
    return JSONValue(expression, null=null)


class Joined(Func):
    """Texts joined end to end: `a || b || c`."""

    arg_joiner = " || "
    template = "(%(expressions)s)"
    output_field = TextField()


def json_text(pieces):
    """Return `pieces` (literal strings and text expressions) joined: one expression, or a
    string when all are strings. Neighbouring strings are merged first."""
    merged = []
    for piece in pieces:
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        else:
            merged.append(piece)
    if len(merged) == 1:
        return merged[0]
    return Joined(*(Literal(piece) if isinstance(piece, str) else piece for piece in merged))


class Literal(Expression):
    """Text written into the SQL itself rather than sent as a parameter: the JSON between the
    values (`,"name":`), text of the code and never of a client, the same for every page."""

    output_field = TextField()

    def __init__(self, text):
        super().__init__()
        self.text = text

    def as_sql(self, compiler, connection):
        # Standard SQL quoting (PostgreSQL's standard_conforming_strings); % is the
        # parameter marker's escape.
        return "'" + self.text.replace("'", "''").replace("%", "%%") + "'", []


class PerRequest(Expression):
    """A value of the request the query runs for, `value(request)`: a parameter of the SQL
    compiled once (`Compiled` fills it in)."""

    output_field = TextField()

    def __init__(self, value):
        super().__init__()
        self.value = value

    def as_sql(self, compiler, connection):
        return "%s", [self]


class Compiled(Expression):
    """SQL compiled beforehand (`compiled_alone`), its `PerRequest` parameters filled in for
    `request`."""

    output_field = TextField()

    def __init__(self, sql, params, request):
        super().__init__()
        self.sql, self.params = sql, params
        self.request = request

    def as_sql(self, compiler, connection):
        request = self.request
        params = [p.value(request) if isinstance(p, PerRequest) else p for p in self.params]
        return self.sql, params


def compiled_alone(expression, model, using):
    """Return (sql, params) of `expression` in a query of `model`'s table alone: it may read
    no other table but through subqueries (a join raises FieldError), so the SQL reads the
    same in any query whose table is `model`'s, unaliased."""
    query = Query(model)
    resolved = expression.resolve_expression(query, allow_joins=False)
    return query.get_compiler(using, connections[using]).compile(resolved)
