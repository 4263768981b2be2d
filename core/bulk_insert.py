"""Inserting a batch of new objects of one model: `insert_all`, Django's `bulk_create` for the
batches of an import, sent to PostgreSQL by COPY.

`bulk_create` on PostgreSQL sends each column as one array (`INSERT ... SELECT * FROM
UNNEST(...)`), and with Django's client-side binding psycopg writes each array's text in
Python, testing every element with a regular expression and quoting the whole as a literal:
for a batch of a thousand calls and their events, about a third of the import's CPU. COPY
sends the same rows with their values formatted by psycopg's C code, and PostgreSQL reads them
without planning a query. It is one statement too: the same constraints checked, the same
errors (an IntegrityError for a duplicate key), nothing written when it fails.

COPY cannot return what the database writes, so it takes only objects whose every value is
known beforehand: their primary keys set (closecalls' public ids are made in Python), no
expression or database default among their values. Anything else, and any other database,
goes to `bulk_create`.
"""

from django.db import connections, router


def insert_all(objs):
    """Insert `objs` (new instances of one model) in one statement, as `bulk_create(objs)`
    does; return them."""
    objs = list(objs)
    if not objs:
        return objs
    model = type(objs[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    fields = [field for field in model._meta.concrete_fields if not field.generated]
    if connection.vendor != "postgresql" or not all(obj._is_pk_set() for obj in objs):
        return model._default_manager.bulk_create(objs)
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    values = [[field.pre_save(obj, True) for field in fields] for obj in objs]
    if any(hasattr(value, "resolve_expression") for row in values for value in row):
        return model._default_manager.bulk_create(objs)
    quote = connection.ops.quote_name
    statement = (
        f"COPY {quote(model._meta.db_table)} "
        f"({', '.join(quote(field.column) for field in fields)}) FROM STDIN"
    )
    prepare = [field.get_db_prep_save for field in fields]
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.copy(statement) as copy,
    ):
        for row in values:
            copy.write_row([to_db(v, connection) for to_db, v in zip(prepare, row, strict=True)])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias
    return objs
