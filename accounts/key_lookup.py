"""An API key's lookup as one plain SQL statement, written once from the models' fields.

Every API request looks its key up in the database, so that a revoked key or a deactivated
user fails on the very next request, on every server: the active key with its membership,
its user (active) and its organization. Built by the ORM (filters, `select_related`, compiling
four tables' columns) that lookup cost more of the app's CPU than running it. Here its SQL is
written once per process from the models' own fields (a field added to a model is read too),
the key's hash is its one parameter, and each row is split into the four instances as the ORM
builds them (`Model.from_db`), joined to each other.

PostgreSQL only, where these fields' values come from the driver as they are; elsewhere (the
SQLite quick start) `lookup_statement()` says None and the ORM looks the key up.
"""

from functools import cache

from django.db import connections


def _columns(model, alias):
    fields = model._meta.concrete_fields
    return [f'{alias}."{field.column}"' for field in fields], [field.attname for field in fields]


@cache
def lookup_statement(api_key_model, using):
    """Return (sql, [(model, attnames), …]) for looking a key up by its hash, the models in
    the order the row holds their columns (key, membership, user, organization); None when
    the database's values would need Python's converters."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    membership_field = api_key_model._meta.get_field("membership")
    membership_model = membership_field.related_model
    user_field = membership_model._meta.get_field("user")
    organization_field = membership_model._meta.get_field("organization")
    tables = [
        (api_key_model, "k"),
        (membership_model, "m"),
        (user_field.related_model, "u"),
        (organization_field.related_model, "o"),
    ]
    for model, _ in tables:
        for field in model._meta.concrete_fields:
            if field.get_db_converters(connection) or connection.ops.get_db_converters(
                field.get_col(model._meta.db_table)
            ):
                return None
    selected, shapes = [], []
    for model, alias in tables:
        columns, attnames = _columns(model, alias)
        selected += columns
        shapes.append((model, attnames))
    sql = (
        f"SELECT {', '.join(selected)} "
        f'FROM "{api_key_model._meta.db_table}" k '
        f'JOIN "{membership_model._meta.db_table}" m '
        f'ON m."{membership_model._meta.pk.column}" = k."{membership_field.column}" '
        f'JOIN "{user_field.related_model._meta.db_table}" u '
        f'ON u."{user_field.related_model._meta.pk.column}" = m."{user_field.column}" '
        f'JOIN "{organization_field.related_model._meta.db_table}" o '
        f'ON o."{organization_field.related_model._meta.pk.column}" = '
        f'm."{organization_field.column}" '
        'WHERE k."hashed_key" = %s AND k."date_revoked" IS NULL AND u."is_active"'
    )
    return sql, shapes


def looked_up(api_key_model, using, digest):
    """Return the active key whose hash is `digest`, its membership, user and organization
    set on it, or None; by `lookup_statement()`, which must not be None."""
    sql, shapes = lookup_statement(api_key_model, using)
    with connections[using].prepared_cursor() as cursor:
        cursor.execute(sql, [digest])
        row = cursor.fetchone()
    if row is None:
        return None
    instances, start = [], 0
    for model, attnames in shapes:
        end = start + len(attnames)
        instances.append(model.from_db(using, attnames, row[start:end]))
        start = end
    api_key, membership, user, organization = instances
    membership.user, membership.organization = user, organization
    api_key.membership = membership
    return api_key
