"""Rows written before text public by nature was stored scrubbed (core.privacy): mask the phone
numbers in them now. Descriptions and internal notes stay whole (they are scrubbed on display)."""

from django.db import migrations

from core.privacy import scrub_phones

# model -> fields, with the rows to look at
PUBLIC_TEXT = {
    "Case": (("place", "public_summary", "rating_comment"), {}),
    "CasePhoto": (("alt_text",), {}),
    "TimelineEntry": (("note",), {"is_public": True}),
}


def scrub_old_rows(apps, schema_editor):
    for model_name, (fields, where) in PUBLIC_TEXT.items():
        model = apps.get_model("feedback", model_name)
        for row in model.objects.filter(**where).only("pk", *fields).iterator(chunk_size=500):
            changed = {}
            for name in fields:
                limit = model._meta.get_field(name).max_length
                scrubbed = scrub_phones(getattr(row, name))[:limit]
                if scrubbed != getattr(row, name):
                    changed[name] = scrubbed
            if changed:
                model.objects.filter(pk=row.pk).update(**changed)


class Migration(migrations.Migration):
    dependencies = [("feedback", "0003_image_sizes")]

    operations = [migrations.RunPython(scrub_old_rows, migrations.RunPython.noop)]
