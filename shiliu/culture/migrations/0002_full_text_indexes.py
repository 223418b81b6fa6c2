"""The full-text index of the library for the database in use: an FTS5 table with triggers on SQLite, a generated
tsvector column with a GIN index on PostgreSQL (see shiliu/culture/search.py)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from shiliu.culture import search

    search.install(schema_editor)


def backwards(apps, schema_editor):
    from shiliu.culture import search

    search.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("culture", "0001_library_lectures_courses")]

    operations = [migrations.RunPython(forwards, backwards)]
