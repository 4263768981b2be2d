"""The text search configuration (SEARCH_CONFIG) must exist in PostgreSQL: a typo would fail
every write of a transcript or note. Checked with the database (`migrate`, `check --database`)."""

from django.conf import settings
from django.core import checks
from django.db import DatabaseError, connections, transaction


def config_exists(connection):
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("SELECT %s::regconfig", [settings.SEARCH_CONFIG])
    except DatabaseError:
        return False
    return True


@checks.register(checks.Tags.database)
def check_text_search_config(app_configs=None, databases=None, **kwargs):
    return [
        checks.Error(
            f"SEARCH_CONFIG: PostgreSQL has no text search configuration "
            f"{settings.SEARCH_CONFIG!r}.",
            hint="Name one of `SELECT cfgname FROM pg_ts_config` (README, Search).",
            id="search.E001",
        )
        for alias in databases or ()
        if connections[alias].vendor == "postgresql" and not config_exists(connections[alias])
    ]
