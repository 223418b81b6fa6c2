"""Notifications moved from the old ``core`` app (now the ``web`` shell) into their own app.

A database made before the move still has the ``core_notification`` table: copy its rows over (ids kept, the
sequence moved past them on PostgreSQL) and drop it. A new database has no such table and nothing happens.
"""

from django.db import migrations

COLUMNS = "id, recipient_id, text, link, key, created_at, read_at"


def adopt(apps, schema_editor):
    connection = schema_editor.connection
    if "core_notification" not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO notifications_notification ({COLUMNS}) SELECT {COLUMNS} FROM core_notification"
        )
        cursor.execute("DROP TABLE core_notification")
        Notification = apps.get_model("notifications", "Notification")
        for sql in connection.ops.sequence_reset_sql(schema_editor.connection.no_style(), [Notification]):
            cursor.execute(sql)
        cursor.execute("DELETE FROM django_migrations WHERE app = 'core'")


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(adopt, migrations.RunPython.noop)]
