"""Cases purged before the purge reached free text (feedback.retention): mask the phone numbers and
e-mail addresses left in their texts now. Their names are gone with the contact fields, so names
typed into the text cannot be found any more; new purges mask them too."""

from django.db import migrations

from core.privacy import scrub_contacts

TEXT = {
    "Case": ("description", "place", "public_summary", "rating_comment"),
    "TimelineEntry": ("note",),
    "CasePhoto": ("alt_text",),
    "DispatchTask": ("onsite_people", "plan", "result"),
}


def scrub_purged(apps, schema_editor):
    for model_name, fields in TEXT.items():
        model = apps.get_model("feedback", model_name)
        prefix = "" if model_name == "Case" else "case__"
        where = {f"{prefix}contacts_purged_at__isnull": False}
        for row in model.objects.filter(**where).only("pk", *fields).iterator(chunk_size=500):
            changed = {}
            for name in fields:
                text = scrub_contacts(getattr(row, name))[: model._meta.get_field(name).max_length]
                if text != getattr(row, name):
                    changed[name] = text
            if changed:
                model.objects.filter(pk=row.pk).update(**changed)


class Migration(migrations.Migration):
    dependencies = [("feedback", "0004_scrub_public_text")]

    operations = [migrations.RunPython(scrub_purged, migrations.RunPython.noop)]
