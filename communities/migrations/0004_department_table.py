# Department moved from feedback to communities (see 0001_initial). Its table takes the
# communities name, and its content type follows it, so the permissions granted on
# departments (to groups, to users) and the admin log entries stay with it: no row is lost.

from django.db import migrations


def _move_content_type(apps, schema_editor, old_label, new_label):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(app_label=old_label, model="department").update(
        app_label=new_label
    )


def forwards(apps, schema_editor):
    # A database migrated before the move has the feedback one; a fresh database has none yet.
    _move_content_type(apps, schema_editor, "feedback", "communities")


def backwards(apps, schema_editor):
    _move_content_type(apps, schema_editor, "communities", "feedback")


class Migration(migrations.Migration):

    dependencies = [
        ("communities", "0003_cover_size"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="department", table=None),
        migrations.RunPython(forwards, backwards),
    ]
