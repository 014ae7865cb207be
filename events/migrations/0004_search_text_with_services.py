"""A service day's search text now holds the services it offers (ServiceDay._search_text)."""

from django.db import migrations

from core.textsearch import index_text


def reindex(apps, schema_editor):
    ServiceDay = apps.get_model("events", "ServiceDay")
    for day in ServiceDay.objects.iterator():
        parts = [day.title, day.place, day.description]
        for row in day.offerings.values_list("service_type__name", "service_type__description", "note"):
            parts += row
        ServiceDay.objects.filter(pk=day.pk).update(search_text=index_text(*parts))


class Migration(migrations.Migration):
    dependencies = [("events", "0003_image_sizes")]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
