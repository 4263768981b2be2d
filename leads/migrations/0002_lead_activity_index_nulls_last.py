from django.conf import settings
from django.db import migrations

# The leads list orders by latest call first with never-called leads last. SQLite (`make run`)
# can't create an index with NULLS LAST, so the index lives outside the model's state and is
# made on PostgreSQL only.
CREATE_INDEX = """
CREATE INDEX "lead_org_activity" ON "leads_lead"
("organization_id", "last_activity_at" DESC NULLS LAST, "date_created" DESC, "id" DESC)
"""


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('DROP INDEX IF EXISTS "lead_org_activity"')


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("leads", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name="lead", name="lead_org_activity"),
        migrations.RunPython(create_index, drop_index),
    ]
