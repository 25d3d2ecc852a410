"""Data migration: the global personality catalogue and the predefined metrics."""

from django.db import migrations


def forwards(apps, schema_editor):
    from scenarist.catalog.seed import seed_catalog

    seed_catalog(apps.get_model("catalog", "Personality"), apps.get_model("catalog", "PredefinedMetric"))


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
