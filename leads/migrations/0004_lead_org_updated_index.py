from django.db import migrations, models


class Migration(migrations.Migration):
    """Leads changed since a date, oldest first: what ETL connectors read (leads/query.py)."""

    dependencies = [
        ("leads", "0003_lead_calls_count_trigram_search"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="lead",
            index=models.Index(
                fields=["organization", "date_updated", "id"], name="lead_org_updated"
            ),
        ),
    ]
