from django.db import migrations


def load(apps, schema_editor):
    from shiliu.indicators.catalogue import load as load_catalogue

    load_catalogue(apps)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_indicators_and_evaluation")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
