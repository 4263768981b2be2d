"""A list's page query compiled once per shape, the request's values bound as parameters.

Building a page's queryset (the organization, the filters, the order, the JSON texts of
api/database_json.py) and compiling it with the ORM costs more of the app's CPU than reading
the page. Yet the SQL text depends only on the page's shape: which filters the request gives,
the keys it asks for (`_fields`), the order, the limit. The values (the organization, the filters'
values) are parameters. So the ORM builds and compiles a shape's query once per
process, with `Param` placeholders where the request's values go, and every page of that shape
only binds them: `page()`.

What stays per request is everything that decides what a client sees: the filters are
validated by the view's FilterSet as before (the same errors), the organization is the
caller's, `_limit` and `_order_by` are read by api/lists.py. A filter takes part when its class
says how it reads with a parameter (`BindableFilter`); a page the compiled query cannot answer
(another database, the browsable API, `_skip`, a filter without that knowledge) is built by
the ORM as before, with the same answer.
"""

from django.db import connections
from django.db.models import BooleanField, Func, Q, TextField
from django.db.models.expressions import RawSQL
from django_filters.constants import EMPTY_VALUES
from django_filters.utils import translate_validation

from api import filter_forms, lists
from api.database_json import PerRequest
from api.representations import json_query
from api.shapes import per_shape


class Param(PerRequest):
    """The page's value `name` (the organization, a filter's value): a parameter
    of a query compiled once, bound by `bound()`."""

    def __init__(self, name):
        super().__init__(value=None)
        self.name = name


class IsAnyOf(Func):
    """`column = ANY(values)`: the column is one of a list bound as one array parameter, so the
    SQL reads the same however many values a request gives."""

    output_field = BooleanField()
    conditional = True

    def as_sql(self, compiler, connection):
        (column, column_params), (values, values_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        return f"{column} = ANY({values})", [*column_params, *values_params]


class BindableFilter:
    """A django-filter filter that also says how it reads in a compiled query: its condition
    with a `Param` for the value (`condition()`), the value it binds (`bound_value()`, None
    when the filter would leave the list as it is), and what of that value the SQL depends on
    (`shape()`: nothing here, one parameter whatever the value).

    A range (`activity_at__gte=…`) is planned for its values (`plans_by_value`): how many
    calls it holds decides the plan, and a prepared statement's plan made once for any
    values guessed wrong (one rep's 60 days at 1M calls: 5.7 ms of PostgreSQL against 2.3).
    """

    @property
    def plans_by_value(self):
        return self.lookup_expr in ("gt", "gte", "lt", "lte", "range")

    def bound_value(self, value):
        return None if value in EMPTY_VALUES else value

    def shape(self, value):
        return None

    def parameter(self, value):
        return value

    def condition(self, param, shape):
        return Q(**{f"{self.field_name}__{self.lookup_expr}": param})


class BindableListFilter(BindableFilter):
    """A filter by several values, any of which matches (`lead_id=a,b`, `disposition=…`).

    One value reads as `column = value`, several as `column = ANY(values)`: PostgreSQL (before
    17) reads an index in its order for the first only, so one rep's newest calls would
    otherwise all be read and sorted rather than the first page of `call_org_user` taken.
    """

    def bound_value(self, value):
        return list(value) if value else None

    def shape(self, value):
        return "one" if len(value) == 1 else "any"

    def parameter(self, value):
        return value[0] if len(value) == 1 else value

    def condition(self, param, shape):
        if shape == "one":
            return Q(**{self.field_name: param})
        return IsAnyOf(self.field_name, param)


def page(view, request):
    """Return the page of `view`'s list in Close's envelope, by the query compiled for its
    shape; None when that query cannot answer it (the ORM builds the page then).

    The request is checked in the order the ORM's path checks it: the filters (by
    `view.bound_filters()`), then `_limit`, then `_order_by`.
    """
    if "_skip" in request.query_params or not lists.renders_plain_json(request):
        return None
    using = view.queryset.db
    plan = view.representation.plan(request, lists.requested_fields(request))
    if connections[using].vendor != "postgresql" or not plan.writes_json_in_database(view.queryset):
        return None
    filters = view.bound_filters()
    if filters is None:
        return None
    limit, _ = lists.limit_and_skip(request)
    order = tuple(lists.ordering(request, view.orderings, view.default_order))
    shapes = tuple(sorted((name, f.shape(value)) for name, (f, value) in filters.items()))
    compiled = _compiled(type(view), shapes, order, tuple(plan.keys), using, limit + 1)
    if compiled is None:
        return None
    sql, params, columns = compiled
    values = {name: f.parameter(value) for name, (f, value) in filters.items()}
    values["organization"] = view.organization_id()
    prepare = not any(f.plans_by_value for f, _ in filters.values())
    with connections[using].prepared_cursor(prepare=prepare) as cursor:
        cursor.execute(sql, bound(params, request, values))
        rows = cursor.fetchall()
    rows = (dict(zip(columns, row, strict=True)) for row in rows)
    texts = plan.joined_texts(rows, view.queryset.model, using)
    return lists.envelope(texts, limit)


def validated_filters(filterset_class, request):
    """Return the request's filters as {name: (filter, value)}, for `view.bound_filters()`:
    validated by `filterset_class`'s fields as django-filter's backend validates them (its
    errors raised the same way), the filters that would leave the list as it is left out;
    None when one of those given is not a `BindableFilter`.

    The form holds only the fields of the filters the request gives (`filter_forms`): the
    others, absent, could neither fail nor filter, and Django copies every field of a form
    for each request. So the fields must not depend on the request, and a `BindableFilter`
    reads one query parameter, its own name.
    """
    filterset = filterset_class(request.query_params, request=request)
    names = tuple(name for name in filterset.filters if name in filterset.data)
    if not all(isinstance(filterset.filters[name], BindableFilter) for name in names):
        return None
    form = filter_forms.form_class(filterset_class, names)(
        filterset.data, prefix=filterset.form_prefix
    )
    if not form.is_valid():
        raise translate_validation(form.errors)
    bound_filters = {}
    for name, value in form.cleaned_data.items():
        filter_ = filterset.filters[name]
        value = filter_.bound_value(value)
        if value is not None:
            bound_filters[name] = (filter_, value)
    return bound_filters


def bound(params, request, values):
    """Return `params` with each `Param` and `PerRequest` replaced by its value."""
    return [
        values[p.name]
        if isinstance(p, Param)
        else p.value(request)
        if isinstance(p, PerRequest)
        else p
        for p in params
    ]


def _written(sql, params):
    """A piece of an object's JSON, its `PerRequest` parameters left for `bound()`."""
    return RawSQL(sql, params, output_field=TextField())


@per_shape
def _compiled(view_class, filter_shapes, order, keys, using, rows):
    """Return (sql, params, column names) of the page query of one shape reading at most
    `rows` rows, or None when its rows would need Python's converters (the cursor's values
    are used as they come).

    The limit is written into the SQL rather than bound: PostgreSQL plans a prepared
    statement once for all its executions (a generic plan) only when that plan is estimated
    no dearer than planning each execution for its values, and with the limit unknown it
    estimates a tenth of the organization's calls read, so it would plan every page again.
    Clients use few limits (at most `lists.MAX_LIMIT`)."""
    filters = view_class.filterset_class.base_filters
    queryset = view_class.queryset.filter(organization_id=Param("organization"))
    for name, shape in filter_shapes:
        queryset = queryset.filter(filters[name].condition(Param(name), shape))
    queryset = json_query(keys, queryset.order_by(*order), _written)
    query = queryset.query
    compiler = query.get_compiler(using)
    sql, params = compiler.as_sql()
    if compiler.get_converters([column for column, _, _ in compiler.select]):
        return None
    columns = [*query.extra_select, *query.values_select, *query.annotation_select]
    return f"{sql} LIMIT {int(rows)}", params, columns
