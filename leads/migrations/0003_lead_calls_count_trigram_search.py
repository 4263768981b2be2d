from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

# The expressions match what `LeadQuerySet.search` filters on: `icontains` is UPPER(...) LIKE
# on PostgreSQL, `contains` a plain LIKE.
TRIGRAM_INDEXES = {
    "lead_name_trgm": ("leads_lead", 'UPPER("name")'),
    "contact_name_trgm": ("leads_contact", 'UPPER("name")'),
    "contact_email_trgm": ("leads_contact", 'UPPER("email_text")'),
    "contact_phone_trgm": ("leads_contact", '"phone_digits"'),
}


def count_calls(apps, schema_editor):
    Lead = apps.get_model("leads", "Lead")
    Call = apps.get_model("activities", "Call")
    counts = (
        Call.objects.filter(lead=OuterRef("pk")).order_by().values("lead").annotate(n=Count("id"))
    )
    Lead.objects.update(calls_count=Coalesce(Subquery(counts.values("n")), 0))


def create_trigram_indexes(apps, schema_editor):
    """PostgreSQL only: SQLite (`make run`) searches without them."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, expression) in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX "{name}" ON "{table}" USING gin (({expression}) gin_trgm_ops)'
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("leads", "0002_lead_activity_index_nulls_last"),
        ("activities", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="lead",
            name="calls_count",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="How many calls the lead has; kept by the call services.",
            ),
        ),
        migrations.RunPython(count_calls, migrations.RunPython.noop),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
